/** Every `gaissa` subcommand, in the order `gaissa --help` lists them. */
import { Command } from './command';
import { version } from './version';

export const commands: Command[] = [version];
