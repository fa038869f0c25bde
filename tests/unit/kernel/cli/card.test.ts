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

  test('--ai-act writes the Annex XI energy section, front matter and body, replaced on rerun', async () => {
    const label = join(scratch.dir, 'act-label.json');
    const input = write('act.json', {
      phase: 'training',
      metrics: { trainingEnergyKWh: 0.5, trainingCo2eKg: 0.0275 },
      context: { location: 'Spain', hardware: '1 x CPU' },
      aiAct: { trainingComputeFlops: 4.5e15, trainingTimeHours: 0.25 },
      sciForAi: { parameters: 2e6, trainingFlops: 4.5e15 }
    });
    expect((await gaissa(['label', '--json', input, '--out', label])).code).toBe(0);
    // The issued label passed the schema with both sections; 27.5 g over 0.002 billion parameters
    // is 13,750 g per billion parameters, over 4.5 PFLOP 6.11 g per PFLOP.
    const issued = JSON.parse(readFileSync(label, 'utf8'));
    expect(issued.sciForAi.provider.scores.map((s: { sciG: number }) => s.sciG)).toEqual([
      27.5,
      13750,
      27.5 / 4.5
    ]);
    const readme = write('README.md', '---\nlicense: mit\n---\n# My model\n');
    const r = await gaissa(['card', label, '--readme', readme, '--ai-act']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('eu_ai_act_annex_xi: training_compute_flops');
    const once = readFileSync(readme, 'utf8');
    const meta = parse(once.split('---\n')[1]);
    expect(meta.license).toBe('mit');
    expect(meta.co2_eq_emissions.emissions).toBe(27.5);
    expect(meta.eu_ai_act_annex_xi).toMatchObject({
      training_compute_flops: 4.5e15,
      training_time_hours: 0.25,
      energy_consumption_kwh: 0.5,
      energy_method: 'declared',
      hardware_used: '1 x CPU',
      geographical_location: 'Spain'
    });
    expect(once).toContain('# My model\n\n<!-- gaissa: EU AI Act Annex XI energy');
    expect(once).toContain(
      '| 2(d) Computational resources used for training | 4.5 × 10^15 FLOPs |'
    );
    const again = await gaissa(['card', label, '--readme', readme, '--ai-act', '--location', 'FR']);
    expect(again.code).toBe(0);
    const twice = readFileSync(readme, 'utf8');
    expect(twice.split('## Energy (EU AI Act, Annex XI)')).toHaveLength(2);
    expect(twice).toContain('| Location | FR |');
    expect(twice).not.toContain('| Location | Spain |');
  });

  test('--ai-act with an inference label exits 2 naming why; bad aiAct input names the field', async () => {
    const label = join(scratch.dir, 'inf-act.json');
    await gaissa(['label', '--json', write('in.json', request), '--out', label]);
    const readme = write('README.md', '# untouched\n');
    const r = await gaissa(['card', label, '--readme', readme, '--ai-act']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Annex XI documents the training');
    expect(readFileSync(readme, 'utf8')).toBe('# untouched\n');
    const bad = write('bad.json', {
      phase: 'training',
      metrics: { trainingCo2eKg: 0.1 },
      aiAct: { trainingTimeHours: -3 }
    });
    const refused = await gaissa(['label', '--json', bad, '--out', join(scratch.dir, 'no.json')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('aiAct.trainingTimeHours');
    const inferenceAct = write('bad2.json', { ...request, aiAct: {} });
    const r2 = await gaissa([
      'label',
      '--json',
      inferenceAct,
      '--out',
      join(scratch.dir, 'no.json')
    ]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('aiAct');
    const unit = write('bad3.json', { ...request, sciForAi: { consumerUnit: 'token' } });
    const r3 = await gaissa(['label', '--json', unit, '--out', join(scratch.dir, 'no.json')]);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain('sciForAi.unitsPerInference');
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
