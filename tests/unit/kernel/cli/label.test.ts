/** `gaissa label` and `gaissa label verify`, run through the real CLI. */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGaissa as gaissa } from '../fixtures/run-cli';
import { measuredRecord, writeJsonLines } from '../../fixtures/label-measurements';
import { parseXml } from '../../fixtures/xml-wellformed';
import { scratchDir } from '../fixtures/scratch-dir';

const scratch = scratchDir('gaissa-label-');
const write = scratch.write;

const request = {
  phase: 'inference',
  population: 'fixed',
  method: 'measured',
  metrics: { energyPerInferenceJ: 0.8, latencyMs: 18, modelSizeMB: 90, accuracy: 0.77 }
};

describe('gaissa label', () => {
  test('prints the record with rating and per-metric {value, index, rating}; exit 0', async () => {
    const r = await gaissa(['label', '--json', write('in.json', request)]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rating).toBe('C');
    expect(out.metrics.latencyMs).toEqual({ value: 18, index: 1.11111111111, rating: 'C' });
    expect(Object.keys(out.metrics)).toEqual([
      'energyPerInferenceJ',
      'latencyMs',
      'modelSizeMB',
      'accuracy'
    ]);
  });

  test('reads standard input with --json -', async () => {
    const r = await gaissa(
      ['label', '--json', '-'],
      JSON.stringify({ phase: 'training', population: 'fixed', metrics: { trainingCo2eKg: 1 } })
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).rating).toBe('A');
  });

  test('--min is a CI gate: 0 at or above the minimum, 1 below', async () => {
    const input = write('in.json', request); // rates C
    expect((await gaissa(['label', '--json', input, '--min', 'C'])).code).toBe(0);
    expect((await gaissa(['label', '--json', input, '--min', 'd'])).code).toBe(0);
    const fail = await gaissa(['label', '--json', input, '--min', 'B']);
    expect(fail.code).toBe(1);
    expect(fail.stderr).toContain('rating C is worse than the minimum B');
    expect(JSON.parse(fail.stdout).rating).toBe('C');
  });

  test.each([
    [{ phase: 'inference', population: 'fixed', metrics: { speed: 1 } }, 'metrics.speed'],
    [{ phase: 'inference', population: 'fixed', metrics: { latencyMs: -3 } }, 'metrics.latencyMs'],
    [{ phase: 'inference', population: 'fixed', metrics: {} }, 'metrics'],
    [
      {
        phase: 'inference',
        population: 'fixed',
        metrics: { latencyMs: 3 },
        boundaries: { latencyMs: [1, 2, 3, 4] }
      },
      'boundaries.latencyMs'
    ],
    [
      { phase: 'inference', population: 'fixed', metrics: { latencyMs: 3 }, colour: 'green' },
      'colour'
    ],
    [
      {
        phase: 'inference',
        population: 'fixed',
        metrics: { latencyMs: 3 },
        model: { path: 'missing.onnx' }
      },
      'model.path'
    ]
  ])('invalid input %j exits 2 naming %s', async (input, field) => {
    const r = await gaissa(['label', '--json', write('bad.json', input)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`gaissa label: ${field}:`);
    expect(r.stdout).toBe('');
  });

  test('bad usage exits 2: missing --json, bad --min, unknown option, invalid JSON', async () => {
    expect((await gaissa(['label'])).code).toBe(2);
    expect((await gaissa(['label', '--json', write('in.json', request), '--min', 'F'])).code).toBe(
      2
    );
    expect((await gaissa(['label', '--json', write('in.json', request), '--colour'])).code).toBe(2);
    expect((await gaissa(['label', '--json', write('broken.json', '{ nope')])).code).toBe(2);
  });

  test('--out writes the record and --svg the drawing', async () => {
    const out = join(scratch.dir, 'new-folder', 'label.json');
    const svg = join(scratch.dir, 'label.svg');
    const r = await gaissa([
      'label',
      '--json',
      write('in.json', request),
      '--out',
      out,
      '--svg',
      svg
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(JSON.parse(r.stdout));
    expect(parseXml(readFileSync(svg, 'utf8')).name).toBe('svg');
  });

  test('--help prints the usage', async () => {
    const r = await gaissa(['label', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('gaissa label verify');
  });
});

describe('gaissa label verify', () => {
  async function issue(
    extra: object = {}
  ): Promise<{ label: string; model: string; runs: string }> {
    const model = write('model.onnx', 'model bytes v1');
    const runs = writeJsonLines(join(scratch.dir, 'runs.jsonl'), [
      measuredRecord('r1'),
      measuredRecord('r2')
    ]);
    const single = write('run3.json', measuredRecord('r3'));
    const label = join(scratch.dir, 'label.json');
    const input = write('in.json', {
      ...request,
      model: { path: model },
      measurements: [{ path: runs, id: 'r2' }, { path: single }],
      sci: {
        energyKWh: 0.2,
        carbonIntensity: 300,
        functionalUnits: 1000,
        functionalUnit: 'inference'
      },
      ...extra
    });
    const r = await gaissa(['label', '--json', input, '--out', label]);
    expect(r.code).toBe(0);
    return { label, model, runs };
  }

  test('an untouched label verifies (exit 0); paths are stored relative to the label', async () => {
    const { label } = await issue();
    const record = JSON.parse(readFileSync(label, 'utf8'));
    expect(record.model.path).toBe('model.onnx');
    expect(record.measurements.map((m: { path: string }) => m.path)).toEqual([
      'runs.jsonl',
      'run3.json'
    ]);
    const r = await gaissa(['label', 'verify', label]);
    expect(r.stdout).toContain('verified: every check matches');
    expect(r.code).toBe(0);
  });

  test('still verifies after the folder moves, and after more records are appended', async () => {
    const { runs } = await issue();
    appendFileSync(runs, JSON.stringify(measuredRecord('r4')) + '\n');
    const moved = mkdtempSync(join(tmpdir(), 'gaissa-moved-'));
    try {
      cpSync(scratch.dir, moved, { recursive: true });
      expect((await gaissa(['label', 'verify', join(moved, 'label.json')])).code).toBe(0);
    } finally {
      rmSync(moved, { recursive: true, force: true });
    }
  });

  test('a changed model file is a mismatch (exit 1)', async () => {
    const { label, model } = await issue();
    writeFileSync(model, 'model bytes v2');
    const r = await gaissa(['label', 'verify', label]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/mismatch\s+model/);
    expect(r.stdout).toContain('NOT verified');
  });

  test('a changed measurement record is a mismatch (exit 1)', async () => {
    const { label, runs } = await issue();
    writeJsonLines(runs, [measuredRecord('r1'), measuredRecord('r2', 3.6)]);
    const r = await gaissa(['label', 'verify', label, '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(false);
    expect(report.checks).toContainEqual(
      expect.objectContaining({ kind: 'measurement', subject: 'runs.jsonl#r2', status: 'mismatch' })
    );
  });

  test('a deleted model file or record is reported missing (exit 1)', async () => {
    const { label, model } = await issue();
    rmSync(model);
    const r = await gaissa(['label', 'verify', label, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).checks[0]).toMatchObject({ kind: 'model', status: 'missing' });
  });

  test('--model checks another file against the recorded hash', async () => {
    const { label } = await issue();
    const copy = write('copy.onnx', 'model bytes v1');
    const other = write('other.onnx', 'something else');
    expect((await gaissa(['label', 'verify', label, '--model', copy])).code).toBe(0);
    expect((await gaissa(['label', 'verify', label, '--model', other])).code).toBe(1);
  });

  test('an edited rating or metric is a mismatch (exit 1)', async () => {
    const { label } = await issue();
    const record = JSON.parse(readFileSync(label, 'utf8'));
    writeFileSync(label, JSON.stringify({ ...record, rating: 'A' }));
    expect((await gaissa(['label', 'verify', label])).stdout).toMatch(/mismatch\s+rating/);
    record.metrics.latencyMs.value = 1;
    writeFileSync(label, JSON.stringify(record));
    expect((await gaissa(['label', 'verify', label])).code).toBe(1);
  });

  test('an edited SCI is a mismatch (exit 1)', async () => {
    const { label } = await issue();
    const record = JSON.parse(readFileSync(label, 'utf8'));
    record.sci.sciG = record.sci.sciG / 2;
    writeFileSync(label, JSON.stringify(record));
    const r = await gaissa(['label', 'verify', label]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/mismatch\s+sci/);
    record.sci.sciG = record.sci.sciG * 2;
    record.sci.disclosure.functionalUnit = '1k inferences';
    writeFileSync(label, JSON.stringify(record));
    expect((await gaissa(['label', 'verify', label])).stdout).toMatch(/mismatch\s+sci/);
  });

  test('a record id missing from the JSON Lines file is reported missing (exit 1)', async () => {
    const { label, runs } = await issue();
    writeJsonLines(runs, [measuredRecord('r1')]);
    const r = await gaissa(['label', 'verify', label]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/missing\s+measurement runs\.jsonl#r2 — no record with this id/);
  });

  test('an unknown record id at issue time exits 2 naming the field', async () => {
    const runs = writeJsonLines(join(scratch.dir, 'runs.jsonl'), [measuredRecord('r1')]);
    const input = write('in.json', { ...request, measurements: [{ path: runs, id: 'zz' }] });
    const r = await gaissa(['label', '--json', input]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('measurements[0].id');
  });

  test('a label with no hash to check does not verify (exit 1)', async () => {
    const label = join(scratch.dir, 'bare.json');
    await gaissa(['label', '--json', write('in.json', request), '--out', label]);
    const r = await gaissa(['label', 'verify', label]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('unverifiable');
  });

  test('an invalid label file exits 2 naming the field; bad usage exits 2', async () => {
    const { label } = await issue();
    const record = JSON.parse(readFileSync(label, 'utf8'));
    const bad = write('bad-label.json', { ...record, model: { name: 'x', sha256: 'nothex' } });
    const r = await gaissa(['label', 'verify', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('model.sha256');
    expect((await gaissa(['label', 'verify'])).code).toBe(2);
    expect((await gaissa(['label', 'verify', join(scratch.dir, 'nope.json')])).code).toBe(2);
  });
});

test('gaissa --help lists label, sci and card', async () => {
  const r = await gaissa(['--help']);
  for (const name of ['label', 'sci', 'card'])
    expect(r.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
});
