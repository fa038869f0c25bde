import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { FieldError } from '../../../../core/field-error';
import { parseLabelRequest } from '../../../../core/label/record';
import {
  HF_CO2_FILE,
  hfCo2Population,
  populationFromFile,
  populationMembers,
  resolvePopulation
} from '../../../../kernel/label/population-file';
import { scratchDir } from '../fixtures/scratch-dir';

const scratch = scratchDir('gaissa-population-');

function fieldOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'no error',
    e => (e instanceof FieldError ? e.field : `not a FieldError: ${e}`)
  );
}

/** The study's header: what `gaissa hf mine` writes and the shipped population keeps a part of. */
const HEADER =
  'modelId,datasets,datasets_size,co2_eq_emissions,co2_reported,source,training_type,' +
  'geographical_location,environment,performance_metrics,performance_score,downloads,likes,' +
  'library_name,domain,size,created_at,size_efficency,datasets_size_efficency,auto';

function studyCsv(rows: Array<{ id: string; co2: string; downloads?: string; size?: string }>) {
  const line = (r: (typeof rows)[number]) =>
    `${r.id},"['d']",,${r.co2},1,AutoTrain,,,,"{'accuracy': 0.9}",0.9,${r.downloads ?? ''},0,` +
    `"['transformers']",NLP,${r.size ?? ''},2023-01-01,,,True`;
  return [HEADER, ...rows.map(line)].join('\n') + '\n';
}

describe('the shipped Hugging Face population (hf-co2)', () => {
  test('every row of the derived file, figures in label units, distilgpt2 as the reference', async () => {
    const rows = parse(readFileSync(HF_CO2_FILE), { columns: true }) as Record<string, string>[];
    const population = await hfCo2Population();
    // A model reporting a CO2e of 0 is left out whole; the study has one.
    const rated = rows.filter(r => Number(r.co2_eq_emissions) !== 0);
    expect(rated.length).toBe(rows.length - 1);
    expect(population.members).toHaveLength(rated.length);
    const reference = population.members.find(m => m.id === 'distilgpt2')!;
    const row = rows.find(r => r.modelId === 'distilgpt2')!;
    expect(reference.metrics.trainingCo2eKg).toBe(Number(row.co2_eq_emissions) / 1000);
    expect(reference.metrics.modelSizeMB).toBe(Number(row.size) / 1e6);
    expect(reference.metrics.downloads).toBe(Number(row.downloads));
    expect(population.against).toMatchObject({
      kind: 'population',
      name: 'hf-co2',
      size: rated.length,
      title: `${rated.length.toLocaleString('en')} Hugging Face models reporting training CO2e`
    });
    expect(population.against.source).toMatch(/ESEM 2023/);
    expect(population.against.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('a training request naming nothing is rated against it; its boundaries are percentiles', async () => {
    const on = (await resolvePopulation(
      parseLabelRequest({ phase: 'training', metrics: { trainingCo2eKg: 1 } }),
      scratch.dir
    ))!;
    expect(on.basis.against?.name).toBe('hf-co2');
    // b1 is the 80th percentile of the CO2e indices: a fifth of the population lies above it.
    const co2 = on.indices!.trainingCo2eKg!;
    const above = co2.filter(i => i > on.basis.boundaries.trainingCo2eKg![0]).length;
    expect(Math.abs(above / co2.length - 0.2)).toBeLessThan(2 / co2.length);
    // The study's five metrics are rated, CO2e from every member.
    expect(Object.keys(on.basis.weights).sort()).toEqual(
      [
        'datasetSizeEfficiency',
        'downloads',
        'performanceScore',
        'sizeEfficiency',
        'trainingCo2eKg'
      ].sort()
    );
    expect(co2).toHaveLength((await hfCo2Population()).members.length);
  });

  test('a request with reference values, or the fixed reference, reads no population', async () => {
    const fixed = parseLabelRequest({
      phase: 'training',
      population: 'fixed',
      metrics: { trainingCo2eKg: 1 }
    });
    expect(await resolvePopulation(fixed, scratch.dir)).toBeUndefined();
    const own = parseLabelRequest({
      phase: 'training',
      metrics: { trainingCo2eKg: 1 },
      reference: { trainingCo2eKg: 2 }
    });
    expect(await resolvePopulation(own, scratch.dir)).toBeUndefined();
  });
});

describe('a population CSV the user names', () => {
  test('the study units become label units; cells that are not figures are left out', () => {
    const members = populationMembers(
      studyCsv([
        { id: 'a', co2: '1500', downloads: '7', size: '2000000' },
        { id: 'b', co2: 'abc', downloads: '-3' },
        { id: 'c', co2: '' }
      ]),
      'population.path'
    );
    expect(members[0]).toEqual({
      id: 'a',
      metrics: { trainingCo2eKg: 1.5, downloads: 7, performanceScore: 0.9, modelSizeMB: 2 }
    });
    expect(members[1].metrics).toEqual({ performanceScore: 0.9 });
    expect(members[2].metrics.trainingCo2eKg).toBeUndefined();
  });

  test('a file without the needed columns, an empty file or no file: the field is named', async () => {
    const noCo2 = scratch.write('no-co2.csv', 'modelId,downloads\na,3\n');
    await expect(populationFromFile(noCo2, 'no-co2.csv')).rejects.toThrow(
      /population.path: lacks the column co2_eq_emissions/
    );
    const empty = scratch.write('empty.csv', HEADER + '\n');
    expect(await fieldOf(populationFromFile(empty, 'empty.csv'))).toBe('population.path');
    expect(await fieldOf(populationFromFile(join(scratch.dir, 'none.csv'), 'none.csv'))).toBe(
      'population.path'
    );
    const broken = scratch.write('broken.csv', 'modelId,co2_eq_emissions\n"a,1\n');
    await expect(populationFromFile(broken, 'broken.csv')).rejects.toThrow(/is not a readable CSV/);
  });

  test('rated with the study method, named by its file; too few members is refused', async () => {
    const rows = Array.from({ length: 8 }, (_, i) => ({ id: `m${i}`, co2: String((i + 1) * 100) }));
    scratch.write('mine.csv', studyCsv(rows));
    const request = parseLabelRequest({
      phase: 'training',
      population: { path: 'mine.csv' },
      metrics: { trainingCo2eKg: 0.25 }
    });
    const on = (await resolvePopulation(request, scratch.dir))!;
    expect(on.basis.against).toMatchObject({
      kind: 'population',
      name: join(scratch.dir, 'mine.csv'),
      size: 8
    });
    expect(on.basis.against!.title).toBe('8 models of mine.csv');
    // No distilgpt2 in it: the reference is the median CO2e, 450 g.
    expect(on.basis.reference.trainingCo2eKg).toBe(0.45);

    scratch.write('few.csv', studyCsv(rows.slice(0, 3)));
    const few = parseLabelRequest({
      phase: 'training',
      population: { path: 'few.csv' },
      metrics: { trainingCo2eKg: 0.25 }
    });
    await expect(resolvePopulation(few, scratch.dir)).rejects.toThrow(/too few members/);
  });
});

describe('naming a population in a request', () => {
  test.each([
    ['unknown name', { population: 'imagenet' }, 'population'],
    ['hf-co2 for inference', { phase: 'inference', population: 'hf-co2' }, 'population'],
    [
      'a path for inference',
      { phase: 'inference', population: { path: 'p.csv' } },
      'population.path'
    ],
    ['an empty path', { population: { path: '' } }, 'population.path'],
    ['two keys', { population: { path: 'a.csv', registry: 'r.jsonl' } }, 'population'],
    ['a baseline without reference values', { population: { baseline: 'fp32' } }, 'reference']
  ])('%s: the field is named', (_, fields, field) => {
    const phase = (fields as { phase?: string }).phase ?? 'training';
    const metrics = phase === 'training' ? { trainingCo2eKg: 1 } : { latencyMs: 3 };
    const request = { phase, metrics, ...fields };
    let thrown: unknown;
    try {
      parseLabelRequest(request);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(FieldError);
    expect((thrown as FieldError).field).toBe(field);
  });
});
