/**
 * Forged bases verify cannot be talked into: each label below is edited and then made internally
 * consistent again (re-rated with the basis it now carries), as a careful forger would.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabelRecord, rerateRecord } from '../../../../core/label/record';
import { MetricName } from '../../../../core/label/metrics';
import { verifyLabel } from '../../../../kernel/label/verify-label';
import { runGaissa as gaissa } from '../fixtures/run-cli';
import { scratchDir } from '../fixtures/scratch-dir';

const scratch = scratchDir('gaissa-verify-basis-');

const training = {
  phase: 'training',
  metrics: { trainingCo2eKg: 50, downloads: 10, performanceScore: 0.5, modelSizeMB: 100 },
  model: { name: 'big' }
};

async function issue(request: object, args: string[] = [], name = 'LABEL.json') {
  const out = join(scratch.dir, name);
  const r = await gaissa(['label', '--json', '-', '--out', out, ...args], JSON.stringify(request));
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { out, record: JSON.parse(readFileSync(out, 'utf8')) as LabelRecord };
}

/** The record re-rated with the basis it carries, so rating, scores and indices agree again. */
function consistent(record: LabelRecord): LabelRecord {
  const again = rerateRecord(record);
  const metrics = { ...again.metrics };
  for (const [name, m] of Object.entries(record.metrics)) {
    const rated = metrics[name as MetricName];
    if (rated && m.percentile !== undefined) rated.percentile = m.percentile;
  }
  return { ...record, rating: again.rating, score: again.score, metrics };
}

async function basisCheck(record: LabelRecord) {
  const report = await verifyLabel(record, { labelDir: scratch.dir });
  return report.checks.find(c => c.kind === 'basis')!;
}

describe('a label rated against Hugging Face models', () => {
  test('as issued, its basis is what rating its figures against the population gives', async () => {
    const { record } = await issue(training);
    expect(record.rating).toBe('E');
    expect((await basisCheck(record)).status).toBe('match');
  });

  test('a bad metric moved to "not rated" is caught', async () => {
    const { record } = await issue(training);
    const forged = structuredClone(record);
    forged.unrated = { ...forged.unrated, trainingCo2eKg: 50 };
    delete forged.metrics.trainingCo2eKg;
    for (const field of ['reference', 'boundaries', 'weights', 'distribution'] as const) {
      delete (forged.basis[field] as Record<string, unknown>).trainingCo2eKg;
    }
    const edited = consistent(forged);
    expect(edited.rating).not.toBe('E');
    const check = await basisCheck(edited);
    expect(check.status).toBe('mismatch');
    expect(check.detail).toContain('metrics.trainingCo2eKg');
  });

  test('a bad metric given a weight of 0 is caught', async () => {
    const { record } = await issue(training);
    const forged = structuredClone(record);
    forged.basis.weights.trainingCo2eKg = 0;
    const check = await basisCheck(consistent(forged));
    expect(check.status).toBe('mismatch');
    expect(check.detail).toContain('basis.weights');
  });

  test('its source or size edited is caught', async () => {
    const { record } = await issue(training);
    const forged = structuredClone(record);
    forged.basis.against!.source = 'an audited population (certified)';
    expect((await basisCheck(forged)).status).toBe('mismatch');
  });

  test('a training label without CO2e is refused against a population', async () => {
    const r = await gaissa(
      ['label', '--json', '-'],
      JSON.stringify({
        phase: 'training',
        metrics: { downloads: 5_000_000, performanceScore: 0.99 }
      })
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /metrics.trainingCo2eKg: is required against 1,418 Hugging Face models/
    );
  });
});

describe('reference values an issuer gave never pass for a population', () => {
  test('a baseline is titled by the tool, whatever name it is given', async () => {
    const { record } = await issue({
      ...training,
      population: { baseline: '1,418 Hugging Face models reporting training CO2e' },
      reference: { trainingCo2eKg: 100000 }
    });
    expect(record.basis.against).toEqual({
      kind: 'baseline',
      title:
        'the baseline 1,418 Hugging Face models reporting training CO2e (reference values given by the issuer)'
    });
    expect((await basisCheck(record)).status).toBe('note');
    const retitled = structuredClone(record);
    retitled.basis.against!.title = '1,418 Hugging Face models reporting training CO2e';
    expect((await basisCheck(retitled)).status).toBe('mismatch');
  });

  test('a custom or fixed basis carrying a population’s percentiles or distribution is caught', async () => {
    const { record } = await issue({ ...training, population: 'fixed' });
    expect((await basisCheck(record)).status).toBe('match');
    const fixed = structuredClone(record);
    fixed.metrics.trainingCo2eKg!.percentile = 0.99;
    expect((await basisCheck(fixed)).status).toBe('mismatch');
    const custom = structuredClone(record);
    custom.basis.against = { kind: 'custom', title: 'reference values given by the issuer' };
    delete custom.basis.name;
    custom.basis.distribution = { trainingCo2eKg: Array.from({ length: 21 }, (_, i) => i) };
    const check = await basisCheck(custom);
    expect(check.status).toBe('mismatch');
    expect(check.detail).toContain('distribution');
  });
});

describe('a label rated against the registry', () => {
  const inference = (name: string, energy: number) => ({
    phase: 'inference',
    population: 'fixed',
    model: { name },
    metrics: { energyPerInferenceJ: energy, latencyMs: energy * 10 }
  });

  test('verifies after more labels join the registry, and not once it is forged', async () => {
    for (const [i, e] of [0.1, 0.2, 0.3, 0.4, 0.5, 0.6].entries()) {
      await issue(inference(`m${i}`, e), [], `m${i}.json`);
    }
    const registry = join(scratch.dir, 'gaissa-labels.jsonl');
    const { record } = await issue(
      { phase: 'inference', model: { name: 'x' }, metrics: { energyPerInferenceJ: 0.9 } },
      ['--population', 'registry', '--registry', registry, '--no-register'],
      'x.json'
    );
    expect(record.basis.against?.bytes).toBeGreaterThan(0);
    expect((await basisCheck(record)).status).toBe('match');
    // The registry grows: the label was rated against its first bytes, which are unchanged.
    await issue(inference('m7', 0.01), [], 'm7.json');
    expect((await basisCheck(record)).status).toBe('match');
    // A forger who edits the boundaries and the registry hash gains nothing.
    const forged = structuredClone(record);
    forged.basis.against!.sha256 = '0'.repeat(64);
    forged.basis.boundaries.energyPerInferenceJ = [0.1, 0.05, 0.02, 0.01];
    expect((await basisCheck(consistent(forged))).status).toBe('mismatch');
    // An edit inside the part rated against is caught too.
    const text = readFileSync(registry, 'utf8');
    writeFileSync(registry, text.replace('"m0"', '"m9"'));
    expect((await basisCheck(record)).status).toBe('mismatch');
  });
});

describe('a label rated against a population file', () => {
  test('stores the file relative to the label, so the folder can move', async () => {
    const project = join(scratch.dir, 'project');
    mkdirSync(project);
    const rows = Array.from({ length: 6 }, (_, i) => `m${i},${(i + 1) * 1000},${i * 10}`);
    writeFileSync(
      join(project, 'pop.csv'),
      ['modelId,co2_eq_emissions,downloads', ...rows, 'bad,n/a,3'].join('\n') + '\n'
    );
    const request = join(project, 'request.json');
    writeFileSync(request, JSON.stringify({ phase: 'training', metrics: { trainingCo2eKg: 2 } }));
    const out = join(project, 'LABEL.json');
    const r = await gaissa([
      'label',
      '--json',
      request,
      '--population',
      join(project, 'pop.csv'),
      '--out',
      out
    ]);
    expect(r.stderr).toBe('');
    const record = JSON.parse(r.stdout) as LabelRecord;
    expect(record.basis.against).toMatchObject({
      name: 'pop.csv',
      size: 6,
      title: '6 models of pop.csv; 1 row without a CO2e left out'
    });
    const moved = join(scratch.dir, 'moved');
    renameSync(project, moved);
    const report = await verifyLabel(record, { labelDir: moved });
    expect(report.checks.find(c => c.kind === 'basis')!.status).toBe('match');
    appendFileSync(join(moved, 'pop.csv'), 'm7,5,1\n');
    const changed = await verifyLabel(record, { labelDir: moved });
    expect(changed.checks.find(c => c.kind === 'basis')!.status).toBe('mismatch');
  });
});
