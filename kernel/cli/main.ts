/** `gaissa` command line: dispatches to the subcommands registered in `commands`. */
import { fsReason, OutputError } from '../label/write-outputs';
import { CliIO, Command, UsageError } from './command';
import { commands } from './commands';

/**
 * A Node file-system error: it names the file it failed on. Duck-typed, since an error from
 * another realm (a test environment, a worker) is no `instanceof Error` here.
 */
function isFileError(e: unknown): e is NodeJS.ErrnoException & { path: string } {
  const error = e as NodeJS.ErrnoException | null;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof error.code === 'string' &&
    typeof error.path === 'string'
  );
}

/**
 * The file a file-system error is about: writeFileAtomic (kernel/atomic-write.ts) fails on its
 * temporary `.NAME.PID.HEX.tmp` beside the target, so that name is turned back into the target's.
 */
function fileOf(path: string): string {
  return path.replace(/(^|[\\/])\.([^\\/]+)\.\d+\.[0-9a-f]{8}\.tmp$/, '$1$2');
}

async function usage(): Promise<string> {
  const all = await Promise.all(Object.values(commands).map(load => load()));
  const width = Math.max(...all.map(c => c.name.length));
  return [
    'Usage: gaissa <command> [options]',
    '',
    'Commands:',
    ...all.map(c => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'gaissa <command> --help' for a command's options."
  ].join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout((await usage()) + '\n');
    return name ? 0 : 2;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    io.stderr(`gaissa: unknown command '${name}'\n\n${await usage()}\n`);
    return 2;
  }
  const command: Command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage + '\n');
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    // Bad input and files that cannot be written are the user's to fix: one line, exit 2.
    if (e instanceof UsageError || e instanceof OutputError) {
      io.stderr(`gaissa ${name}: ${e.message}\n`);
      return 2;
    }
    if (isFileError(e)) {
      io.stderr(`gaissa ${name}: ${fileOf(e.path)}: ${fsReason(e)}\n`);
      return 2;
    }
    throw e;
  }
}

export const processIO: CliIO = {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
};

if (require.main === module) {
  main(process.argv.slice(2), processIO).then(
    code => {
      process.exitCode = code;
    },
    e => {
      process.stderr.write(`gaissa: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 1;
    }
  );
}
