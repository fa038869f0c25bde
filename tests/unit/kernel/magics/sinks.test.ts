/** `%gaissa sinks` through the registry, with the kernel's measurement session in a temporary folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gaissa } from '../../../../kernel/api';
import { CommManager } from '../../../../kernel/comms';
import { MagicContext } from '../../../../kernel/magics/context';
import { measureMagics } from '../../../../kernel/magics/measure';
import { parseCell } from '../../../../kernel/magics/parse';
import { MagicRegistry } from '../../../../kernel/magics/registry';
import { sinksMagic } from '../../../../kernel/magics/sinks';
import { closeMeasureSession, measureSession } from '../../../../kernel/measure/current';
import { sampleRecord } from '../../fixtures/sample-record';

const cwd = process.cwd();
let dir: string;
let refusing: Server;
let url: string;
const saved = { ...process.env };

beforeAll(async () => {
  // A Pushgateway that refuses every push, as a misconfigured one does.
  refusing = createServer((_, res) => res.writeHead(403).end('forbidden'));
  await new Promise<void>(resolve => refusing.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(refusing.address() as { port: number }).port}`;
});
afterAll(() => refusing.close());

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gaissa-sinks-'));
  process.chdir(dir);
  for (const k of ['MLFLOW_TRACKING_URI', 'GAISSA_PUSHGATEWAY_URL']) delete process.env[k];
});
afterEach(async () => {
  await closeMeasureSession();
  process.chdir(cwd);
  process.env = { ...saved };
  rmSync(dir, { recursive: true, force: true });
});

async function magic(line: string): Promise<string> {
  const registry = new MagicRegistry<MagicContext>();
  for (const m of [...measureMagics, sinksMagic]) registry.register(m);
  const printed: string[] = [];
  const ctx: MagicContext = {
    api: gaissa,
    comms: new CommManager(() => undefined),
    registry,
    print: text => printed.push(text)
  };
  for (const call of parseCell(line).lines) {
    const { command, args } = registry.resolve(call);
    await command.line!(args, ctx);
  }
  return printed.join('');
}

describe('%gaissa sinks', () => {
  it('says when no team server is set', async () => {
    expect(await magic('%gaissa sinks')).toContain('No team server');
    expect(gaissa.sinks()).toEqual([]);
  });

  it('names a record the server refused, after %gaissa config set names the server', async () => {
    await magic(`%gaissa config set pushgatewayUrl ${url}`);
    measureSession().sink.write(sampleRecord('m-1'));
    const text = await magic('%gaissa sinks flush');
    expect(text).toContain(
      `warning: Pushgateway at ${url}: refused the records (HTTP 403: forbidden), which are not retried`
    );
    expect(text).toContain(`Pushgateway at ${url}: 0 delivered, 0 waiting, 1 not yet pushed`);
    expect(text).toContain('not yet pushed: m-1: refused: HTTP 403: forbidden');
    expect(gaissa.sinks()[0].undelivered).toEqual([
      { id: 'm-1', reason: 'refused: HTTP 403: forbidden' }
    ]);
    // Said once: the next look has the status, not the warning again.
    expect(await magic('%gaissa sinks')).not.toContain('warning:');
  });
});
