import { parseArgs } from 'node:util';
import { Command, UsageError } from './command';

export const kernel: Command = {
  name: 'kernel',
  summary: 'run the Jupyter kernel (Jupyter starts this through the kernelspec)',
  usage:
    'Usage: gaissa kernel -f CONNECTION_FILE\n\nRuns the GAISSA TypeScript kernel on the sockets named in CONNECTION_FILE.',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { 'connection-file': { type: 'string', short: 'f' } }
    });
    const file = values['connection-file'];
    if (!file) throw new UsageError('-f CONNECTION_FILE is required');
    // Loaded lazily: other subcommands should not pay for tslab and zeromq.
    const { Kernel } = await import('../kernel');
    const { readConnectionFile } = await import('../protocol/connection');
    (await import('../records/attribution')).setConnectionFile(file);
    const k = new Kernel(readConnectionFile(file));
    process.on('uncaughtException', e => k.log(`uncaught exception: ${e.stack ?? e}`));
    process.on('unhandledRejection', e =>
      k.log(`unhandled rejection: ${(e as Error)?.stack ?? e}`)
    );
    await k.start();
    // The kernel runs until a shutdown_request (or a signal) ends the process.
    return new Promise<number>(() => undefined);
  }
};
