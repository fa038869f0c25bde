import { Command } from './command';
import { packageVersion } from '../versions';

export const version: Command = {
  name: 'version',
  summary: 'print the version of gaissa',
  usage: 'Usage: gaissa version',
  async run(_args, io) {
    io.stdout(`gaissa ${packageVersion}\n`);
    return 0;
  }
};
