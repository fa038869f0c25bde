/** `gaissa card`: a training label's co2_eq_emissions merged into a model card, via the CLI. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runGaissa as gaissa } from '../fixtures/run-cli';
import { scratchDir } from '../fixtures/scratch-dir';

const scratch = scratchDir('gaissa-card-');
const write = scratch.write;

const request = {
  phase: 'inference',
  population: 'fixed',
  method: 'measured',
  metrics: { energyPerInferenceJ: 0.8, latencyMs: 18, modelSizeMB: 90, accuracy: 0.77 }
};

describe('gaissa card', () => {
  async function trainingLabel(): Promise<string> {
    const label = join(scratch.dir, 'train-label.json');
    const input = write('train.json', {
      phase: 'training',
      population: 'fixed',
      method: 'measured',
      metrics: { trainingEnergyKWh: 0.5, trainingCo2eKg: 0.0275 },
      context: { location: 'Spain', hardware: '1 x CPU', trainingType: 'pre-training' }
    });
    expect((await gaissa(['label', '--json', input, '--out', label])).code).toBe(0);
    return label;
  }

  test('merges co2_eq_emissions into an existing card, keeping the rest', async () => {
    const label = await trainingLabel();
    const readme = write(
      'README.md',
      '---\nlicense: mit\ntags: [a, b]\n---\n# My model\n\nDetails.\n'
    );
    const r = await gaissa(['card', label, '--readme', readme, '--hardware', '1 x Xeon']);
    expect(r.code).toBe(0);
    const text = readFileSync(readme, 'utf8');
    expect(text.endsWith('---\n# My model\n\nDetails.\n')).toBe(true);
    const meta = parse(text.split('---\n')[1]);
    expect(meta).toEqual({
      license: 'mit',
      tags: ['a', 'b'],
      co2_eq_emissions: {
        emissions: 27.5,
        source: expect.stringContaining('GAISSA for JupyterLab (declared'),
        training_type: 'pre-training',
        geographical_location: 'Spain',
        hardware_used: '1 x Xeon'
      }
    });
  });

  test('creates the card when it does not exist', async () => {
    const label = await trainingLabel();
    const readme = join(scratch.dir, 'new', '..', 'CARD.md');
    expect((await gaissa(['card', label, '--readme', readme])).code).toBe(0);
    expect(existsSync(readme)).toBe(true);
    expect(parse(readFileSync(readme, 'utf8').split('---\n')[1]).co2_eq_emissions.emissions).toBe(
      27.5
    );
  });

  test('an inference label or a missing label exits 2', async () => {
    const label = join(scratch.dir, 'inf.json');
    await gaissa(['label', '--json', write('in.json', request), '--out', label]);
    const readme = write('README.md', '# untouched\n');
    const r = await gaissa(['card', label, '--readme', readme]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('trainingCo2eKg');
    expect(readFileSync(readme, 'utf8')).toBe('# untouched\n');
    expect((await gaissa(['card'])).code).toBe(2);
    expect((await gaissa(['card', join(scratch.dir, 'none.json')])).code).toBe(2);
  });
});
