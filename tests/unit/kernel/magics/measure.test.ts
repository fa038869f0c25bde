/** `%gaissa config` through the registry, with the kernel's measurement session in a temporary folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gaissa } from '../../../../kernel/api';
import { CommManager } from '../../../../kernel/comms';
import { MagicContext } from '../../../../kernel/magics/context';
import { measureMagics } from '../../../../kernel/magics/measure';
import { parseCell } from '../../../../kernel/magics/parse';
import { MagicRegistry } from '../../../../kernel/magics/registry';
import { closeMeasureSession, measureSession } from '../../../../kernel/measure/current';

const cwd = process.cwd();
let dir: string;
const saved = { ...process.env };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gaissa-config-'));
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
  for (const m of measureMagics) registry.register(m);
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

describe('%gaissa config', () => {
  it('shows the team servers without their user and password, and keeps them for delivery', async () => {
    await magic('%gaissa config set pushgatewayUrl https://ann:s3cret@pgw.example/');
    const text = await magic('%gaissa config set mlflowTrackingUri http://bob:50%off@mlflow:5000');
    expect(text).toContain('mlflowTrackingUri       http://mlflow:5000/   [session]');
    expect(text).toContain('pushgatewayUrl          https://pgw.example/   [session]');
    expect(text).not.toMatch(/s3cret|50%off|ann|bob/);
    expect(measureSession().settings.current.pushgatewayUrl).toBe(
      'https://ann:s3cret@pgw.example/'
    );
  });
});
