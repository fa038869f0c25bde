/** gaissa.config, with the kernel's measurement session in a temporary folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config } from '../../../../kernel/api/measure';
import { closeMeasureSession } from '../../../../kernel/measure/current';

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

describe('gaissa.config', () => {
  it('gives the team servers without their user and password', () => {
    config.set('mlflowTrackingUri', 'https://ann:s3cret@mlflow.example/team');
    const view = config.get();
    expect(view.settings.mlflowTrackingUri).toBe('https://mlflow.example/team');
    expect(view.sources.mlflowTrackingUri).toBe('session');
  });
});
