/** Every `gaissa` subcommand, in the order `gaissa --help` lists them. */
import { card } from './card';
import { Command } from './command';
import { install, uninstall } from './install';
import { kernel } from './kernel';
import { label } from './label';
import { roi } from './roi';
import { sci } from './sci';
import { version } from './version';

export const commands: Command[] = [kernel, install, uninstall, roi, label, sci, card, version];
