/** The commands every GAISSA kernel has: help, version and time. */
import { startStopwatch } from '../api/time';
import { MagicContext } from './context';
import { MagicCommand } from './registry';

export const help: MagicCommand<MagicContext> = {
  name: 'help',
  summary: 'list the magics, or the options of one',
  positionals: [{ name: 'command', description: 'the magic to describe', optional: true }],
  line: (args, ctx) => ctx.print(ctx.registry.help(args.positionals[0]) + '\n')
};

export const version: MagicCommand<MagicContext> = {
  name: 'version',
  summary: 'versions of gaissa, tslab, TypeScript and Node.js',
  line: (_args, ctx) => {
    const v = ctx.api.version();
    ctx.print(
      `gaissa ${v.gaissa} (tslab ${v.tslab}, TypeScript ${v.typescript}, Node.js ${v.node})\n`
    );
  }
};

export const time: MagicCommand<MagicContext> = {
  name: 'time',
  summary: 'wall and CPU time of the cell (CPU time of the kernel process, all threads)',
  cell: async (_args, ctx, body) => {
    const watch = startStopwatch();
    const outcome = await body();
    ctx.print(watch.stop().toMimeBundle()['text/plain'] + '\n');
    return outcome;
  }
};

export const builtinMagics = [help, version, time];
