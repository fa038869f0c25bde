/** `gaissa label` rated against populations: Hugging Face, a mined file, the label registry. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateLabelRecord } from '../../../../kernel/label/label-schema';
import { card, put } from '../fixtures/model-cards';
import { runGaissa as gaissa } from '../fixtures/run-cli';
import { scratchDir } from '../fixtures/scratch-dir';

const scratch = scratchDir('gaissa-label-population-');
const write = scratch.write;

const training = {
  phase: 'training',
  metrics: {
    trainingCo2eKg: 0.02,
    trainingEnergyKWh: 0.05,
    performanceScore: 0.91,
    modelSizeMB: 0.4
  },
  model: { name: 'mnist-mlp' }
};

describe('training labels are rated against the Hugging Face population by default', () => {
  test('the record says so, with each metric’s standing and the figures it cannot rate', async () => {
    const r = await gaissa(['label', '--json', write('t.json', training)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const record = validateLabelRecord(JSON.parse(r.stdout));
    expect(record.basis.against).toMatchObject({ kind: 'population', name: 'hf-co2' });
    expect(Object.keys(record.metrics)).toEqual([
      'trainingCo2eKg',
      'performanceScore',
      'sizeEfficiency'
    ]);
    // 0.4 MB per 20 g of CO2e: 20,000 B/g.
    expect(record.metrics.sizeEfficiency!.value).toBeCloseTo(20000, 6);
    for (const m of Object.values(record.metrics)) {
      expect(m.percentile).toBeGreaterThanOrEqual(0);
      expect(m.percentile).toBeLessThanOrEqual(1);
    }
    expect(record.unrated).toEqual({ trainingEnergyKWh: 0.05, modelSizeMB: 0.4 });
    expect(record.basis.distribution!.trainingCo2eKg).toHaveLength(21);
    expect(record.basis.name).toBeUndefined();
  });

  test('the SVG shows what it was rated against and where the model stands', async () => {
    const svg = join(scratch.dir, 'label.svg');
    const r = await gaissa(['label', '--json', write('t.json', training), '--svg', svg]);
    expect(r.code).toBe(0);
    const drawing = readFileSync(svg, 'utf8');
    expect(drawing).toContain('Rated against:');
    expect(drawing).toContain('Hugging Face models reporting training CO2e');
    expect(drawing).toContain('Where you stand');
  });

  test('--population fixed rates against the fixed reference, named', async () => {
    const r = await gaissa(['label', '--json', write('t.json', training), '--population', 'fixed']);
    expect(r.code).toBe(0);
    const record = JSON.parse(r.stdout);
    expect(record.basis.name).toBe('gaissa-training-v1');
    expect(record.basis.against.kind).toBe('fixed');
  });
});

describe('bad population input exits 2 naming the field', () => {
  test.each([
    [['--population', 'imagenet'], 'population:'],
    [['--population', 'missing.csv'], 'population.path:']
  ])('%j', async (args, field) => {
    const r = await gaissa(['label', '--json', write('t.json', training), ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`gaissa label: ${field}`);
    expect(r.stdout).toBe('');
  });

  test('a population file without the needed columns', async () => {
    write('bad.csv', 'name,grams\na,3\n');
    const r = await gaissa([
      'label',
      '--json',
      write('t.json', training),
      '--population',
      join(scratch.dir, 'bad.csv')
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/population.path: lacks the columns modelId, co2_eq_emissions/);
  });

  test('an inference label with no basis at all is refused, never rated against a default', async () => {
    const r = await gaissa(
      ['label', '--json', '-'],
      JSON.stringify({ phase: 'inference', metrics: { latencyMs: 3 } })
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/population: no basis to rate against/);
  });
});

describe('the label registry', () => {
  const inference = (name: string, energy: number) =>
    JSON.stringify({
      phase: 'inference',
      population: 'fixed',
      model: { name },
      metrics: { energyPerInferenceJ: energy, latencyMs: energy * 10 }
    });

  test('labels written to a folder join its registry; five make a basis, named on the label', async () => {
    const dir = scratch.dir;
    for (const [i, energy] of [0.1, 0.2, 0.3, 0.4, 0.5].entries()) {
      const r = await gaissa(
        ['label', '--json', '-', '--out', join(dir, `m${i}.json`)],
        inference(`m${i}`, energy)
      );
      expect(r.code).toBe(0);
    }
    const registry = join(dir, 'gaissa-labels.jsonl');
    expect(readFileSync(registry, 'utf8').trim().split('\n')).toHaveLength(5);
    // --no-register leaves it alone.
    await gaissa(
      ['label', '--json', '-', '--out', join(dir, 'x.json'), '--no-register'],
      inference('x', 9)
    );
    expect(readFileSync(registry, 'utf8').trim().split('\n')).toHaveLength(5);

    const r = await gaissa(
      ['label', '--json', '-', '--population', 'registry', '--registry', registry],
      JSON.stringify({
        phase: 'inference',
        model: { name: 'new' },
        metrics: { energyPerInferenceJ: 0.15 }
      })
    );
    expect(r.stderr).toBe('');
    const record = JSON.parse(r.stdout);
    expect(record.basis.against).toMatchObject({
      kind: 'registry',
      title: 'your 5 labelled models (gaissa-labels.jsonl)',
      size: 5
    });
    // The reference is the registry's median (0.3 J); 0.15 J stands above 0.3 / 0.15 = 2 ... 4 of 5.
    expect(record.basis.reference.energyPerInferenceJ).toBe(0.3);
    expect(record.metrics.energyPerInferenceJ.percentile).toBe(0.8);
  });

  test('with fewer than five labels the registry is no basis', async () => {
    const dir = scratch.dir;
    await gaissa(['label', '--json', '-', '--out', join(dir, 'a.json')], inference('a', 1));
    const r = await gaissa(
      [
        'label',
        '--json',
        '-',
        '--population',
        'registry',
        '--registry',
        join(dir, 'gaissa-labels.jsonl')
      ],
      JSON.stringify({ phase: 'inference', metrics: { energyPerInferenceJ: 0.15 } })
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/population: .*too few members/);
  });
});

describe('verify recomputes a population basis from its data', () => {
  test('a Hugging Face label verifies; an edited boundary or percentile does not', async () => {
    const out = join(scratch.dir, 'LABEL.json');
    const issued = await gaissa(['label', '--json', write('t.json', training), '--out', out]);
    expect(issued.code).toBe(0);
    const ok = await gaissa(['label', 'verify', out, '--json']);
    const report = JSON.parse(ok.stdout);
    expect(report.checks).toContainEqual(
      expect.objectContaining({ kind: 'basis', status: 'match' })
    );
    const original = readFileSync(out, 'utf8');
    const lifted = JSON.parse(original);
    lifted.metrics.trainingCo2eKg.percentile = 0.999;
    writeFileSync(out, JSON.stringify(lifted));
    const raised = JSON.parse((await gaissa(['label', 'verify', out, '--json'])).stdout);
    expect(raised.checks).toContainEqual(
      expect.objectContaining({
        kind: 'basis',
        status: 'mismatch',
        detail: expect.stringContaining('metrics.trainingCo2eKg')
      })
    );
    const record = JSON.parse(original);
    record.basis.boundaries.trainingCo2eKg[0] = 1;
    writeFileSync(out, JSON.stringify(record));
    const edited = JSON.parse((await gaissa(['label', 'verify', out, '--json'])).stdout);
    expect(edited.checks).toContainEqual(
      expect.objectContaining({
        kind: 'basis',
        status: 'mismatch',
        detail: expect.stringContaining('basis.boundaries')
      })
    );
  });

  test('a label rated against a mined file no longer verifies once the file changes', async () => {
    const root = join(scratch.dir, 'cards');
    for (let i = 0; i < 6; i++)
      put(root, `org/m${i}/README.md`, card(`co2_eq_emissions: ${(i + 1) * 10}`));
    const mined = join(scratch.dir, 'mined.csv');
    const mine = await gaissa(['hf', 'mine', '--dir', root, '--out', mined, '--json']);
    expect(mine.code).toBe(0);
    const out = join(scratch.dir, 'LABEL.json');
    const r = await gaissa([
      'label',
      '--json',
      write('t.json', training),
      '--population',
      mined,
      '--out',
      out
    ]);
    expect(r.stderr).toBe('');
    const record = JSON.parse(r.stdout);
    expect(record.basis.against).toMatchObject({
      kind: 'population',
      size: 6,
      title: '6 models of mined.csv'
    });
    const match = JSON.parse((await gaissa(['label', 'verify', out, '--json'])).stdout);
    expect(match.checks).toContainEqual(
      expect.objectContaining({ kind: 'basis', status: 'match' })
    );
    writeFileSync(mined, readFileSync(mined, 'utf8').replace('org/m0,', 'org/m0x,'));
    const changed = await gaissa(['label', 'verify', out, '--json']);
    expect(changed.code).toBe(1);
    expect(JSON.parse(changed.stdout).checks).toContainEqual(
      expect.objectContaining({ kind: 'basis', status: 'mismatch' })
    );
  });
});
