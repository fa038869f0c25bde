/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// gaissa.compare: variants side by side on a tiny model with a fast meter; the payload fits the
// schema and the structural comparison type that gaissa.roi.from and gaissa.label accept.
import { resolveCarbonSettings } from '../../../../core/carbon';
import { paretoFront } from '../../../../core/tactics';
import { connectOutput, gaissa } from '../../../../kernel/api';
import { checkComparison, chosenVariant } from '../../../../kernel/api/tactics-comparison';
import { openPowerMeter } from '../../../../kernel/meters/sampler';
import { OnnxModel } from '../../../../kernel/onnx/onnx-model';
import { mlpModel } from '../../../../kernel/onnx/synthetic-models';
import { applyTactics } from '../../../../kernel/tactics/catalogue';
import { CompareProgress, compareVariants } from '../../../../kernel/tactics/compare';
import { Variant } from '../../../../kernel/tactics/variant';
import {
  argmaxRows,
  expectValid,
  fakeMeter,
  firstOutput,
  inputs,
  modelFile,
  tempDir
} from '../fixtures/tactics';
import { TACTICS_MIME } from '../../../../core/mime-types';

const carbon = resolveCarbonSettings({ region: 'FR' });
const X = inputs(256);
let base: OnnxModel;
let labels: number[];
let variants: Variant[];

beforeAll(async () => {
  base = OnnxModel.fromProto(mlpModel({ sizes: [784, 64, 10] }), { name: 'fp32' });
  // Labels: the model's own answers with every tenth one wrong, so accuracy is 90 %.
  labels = argmaxRows(await firstOutput(base, X), 10).map((c, i) =>
    i % 10 === 0 ? (c + 1) % 10 : c
  );
  variants = [];
  for (const spec of ['quantize-dynamic', 'fp16', 'prune-magnitude:0.5', 'prune-structured:0.9']) {
    variants.push(await applyTactics(base, spec));
  }
});
afterEach(() => connectOutput(undefined));

test('every figure, deltas, the Pareto front and the recommendation within the budget', async () => {
  const progress: CompareProgress[] = [];
  const meter = fakeMeter();
  const c = await compareVariants([base, ...variants], {
    inputs: X,
    labels,
    repeat: 2,
    minWindowS: 0.02,
    meter,
    carbon,
    onProgress: p => progress.push(p)
  });
  const p = c.payload;
  expectValid(p);
  expect(p.metric).toBe('accuracy');
  expect(p.baseline).toBe('fp32');
  expect(p.setup).toMatchObject({
    samples: 256,
    repeat: 2,
    warmup: 1,
    meterMethod: 'estimate',
    region: 'FRA'
  });
  expect(meter.windows).toBe(2 * 5);
  expect(p.variants.map(v => v.name)).toEqual([
    'fp32',
    'quantize-dynamic',
    'fp16',
    'prune-magnitude:0.5',
    'prune-structured:0.9'
  ]);
  const [b, q, h, m, s] = p.variants;
  expect(b.accuracy).toBeCloseTo(230 / 256, 9);
  expect(b.agreement).toBe(1);
  expect(b.deltas).toBeNull();
  expect(b.baseline && !q.baseline).toBe(true);
  for (const v of p.variants) {
    expect(v.energyPerInferenceJ).toBeGreaterThan(0);
    expect(v.method).toBe('estimated');
    expect(v.co2ePerInferenceG).toBeCloseTo(
      (v.energyPerInferenceJ / 3.6e6) * carbon.carbonIntensityGPerKWh,
      12
    );
    expect(v.latencyP95Ms).toBeGreaterThanOrEqual(v.latencyMs);
    expect(v.runtime.batchSize).toBe(64);
    expect(v.modelSizeMB).toBeCloseTo(v.modelBytes / 1e6, 12);
  }
  expect(q.modelBytes / b.modelBytes).toBeLessThan(0.27);
  expect(q.deltas!.sizePct).toBeLessThan(-70);
  expect(h.deltas!.sizePct).toBeCloseTo(-50, 0);
  expect(m.deltas!.sizePct).toBeCloseTo(0, 0);
  expect(m.deltas!.gzipSizePct).toBeLessThan(-30);
  expect(q.deltas!.qualityPoints).toBeCloseTo((q.quality - b.quality) * 100, 9);
  // Honest notes: fp16 and unstructured pruning are sold for size, not speed.
  expect(h.notes.join(' ')).toMatch(/no speed-up/);
  expect(m.notes.join(' ')).toMatch(/no speed or energy gain/);
  // Heavy structured pruning drops far below the 1-point budget.
  expect(s.withinBudget).toBe(false);
  expect(s.notes.join(' ')).toMatch(/outside the accuracy budget/);
  // Pareto flags are core's, and the recommended variant is the least energy within the budget.
  expect(p.variants.map(v => v.pareto)).toEqual(
    paretoFront(p.variants.map(v => ({ energy: v.energyPerInferenceJ, quality: v.quality })))
  );
  const within = p.variants.filter(v => v.withinBudget);
  const least = within.reduce((a, v) => (v.energyPerInferenceJ < a.energyPerInferenceJ ? v : a));
  expect(p.recommended).toBe(least.name);
  expect(p.variants.filter(v => v.recommended).map(v => v.name)).toEqual([least.name]);
  expect(p.recommendation).toMatch(
    least.name === 'fp32' ? /keep fp32/ : /less energy per inference than fp32/
  );
  // Progress: monotone steps, ends with done.
  expect(progress.map(e => e.step)).toEqual([...progress.map(e => e.step)].sort((x, y) => x - y));
  expect(progress[progress.length - 1]).toMatchObject({ phase: 'done' });
  expect(progress.filter(e => e.phase === 'measure')).toHaveLength(10);
  // Fits what gaissa.roi.from and gaissa.label take.
  expect(() => checkComparison(c)).not.toThrow();
  expect(chosenVariant(c).name).toBe(least.name);
  expect(c.variant().name).toBe(least.name);
  const bundle = c.toMimeBundle();
  expect(bundle[TACTICS_MIME]).toBe(p);
  expect(bundle['text/plain']).toMatch(/Recommended:/);
  expect(bundle['text/html']).toMatch(/^<div class="gaissa-tactics-static">/);
});

test('agreement without labels, a real estimator meter, a fixed batch dimension and model files', async () => {
  const tmp = tempDir();
  const meter = await openPowerMeter({ raplRoot: '/nonexistent', nvidia: false, intervalMs: 20 });
  try {
    const file = await modelFile(tmp.dir, 'one.onnx', mlpModel({ sizes: [784, 32, 10], batch: 1 }));
    const c = await compareVariants(
      {
        base: file.path,
        int8: await applyTactics(await OnnxModel.load(file.path), 'quantize-dynamic')
      },
      {
        inputs: inputs(20),
        repeat: 2,
        warmup: 0,
        minWindowS: 0.05,
        meter,
        carbon
      }
    );
    const p = c.payload;
    expectValid(p);
    expect(p.metric).toBe('agreement');
    expect(p.notes.join(' ')).toMatch(/agreement with base's outputs/);
    expect(p.variants.map(v => v.name)).toEqual(['base', 'int8']);
    expect(p.variants[0].modelPath).toBe(file.path);
    expect(p.variants[0].runtime.batchSize).toBe(1);
    expect(p.variants[0].notes).toContain(
      "the model's batch dimension is fixed at 1: run 1 input per call"
    );
    expect(p.variants.every(v => v.energyPerInferenceJ > 0 && v.method === 'estimated')).toBe(true);
    expect(p.setup.fallbackReasons.join(' ')).toMatch(/CPU energy estimated/);
  } finally {
    await meter.close();
    tmp.remove();
  }
});

test('reference outputs: agreement measured against them, metric chosen explicitly', async () => {
  const reference = labels.map(c => [...Array(10).keys()].map(k => (k === c ? 1 : 0)));
  const c = await compareVariants([base, variants[0]], {
    inputs: X,
    labels,
    referenceOutputs: reference,
    metric: 'agreement',
    repeat: 1,
    warmup: 0,
    minWindowS: 0,
    meter: fakeMeter(),
    carbon
  });
  expectValid(c.payload);
  expect(c.payload.metric).toBe('agreement');
  // The reference is the labels as one-hot rows: agreement equals accuracy here.
  for (const v of c.payload.variants) expect(v.agreement).toBe(v.accuracy);
  expect(c.payload.variants[0].quality).toBeCloseTo(230 / 256, 9);
  expect(c.payload.notes.join(' ')).toMatch(/agreement with the reference outputs given/);
});

describe('bad input', () => {
  const run = (
    options: Partial<Parameters<typeof compareVariants>[1]>,
    sources: Parameters<typeof compareVariants>[0] = [base]
  ) =>
    compareVariants(sources, {
      inputs: X,
      meter: fakeMeter(),
      carbon,
      repeat: 1,
      warmup: 0,
      minWindowS: 0,
      ...options
    });

  test.each([
    [{ metric: 'accuracy' as const }, /metric 'accuracy' needs labels/],
    [{ labels: [1, 2, 3] }, /3 labels for 256 samples/],
    [{ maxAccuracyDrop: 5 }, /maxAccuracyDrop is a fraction in \[0, 1\] \(0.01 = 1 point\), got 5/],
    [{ repeat: 0 }, /repeat must be a whole number >= 1/],
    [
      { inputs: inputs(4, [4, 700]) },
      /fp32 expects shape \[N, 784\], got \[4, 700\]|not a whole number/
    ],
    [
      { inputs: { type: 'float32', data: new Float32Array(10), dims: [1, 10] } },
      /expects shape \[N, 784\], got \[1, 10\]/
    ],
    [{ baseline: 'nope' }, /baseline 'nope' names no variant \(variants: fp32\)/]
  ])('%p', async (options, message) => {
    await expect(run(options)).rejects.toThrow(message);
  });

  test('no variants, or something that is not a model', async () => {
    await expect(run({}, [])).rejects.toThrow(/at least one variant/);
    await expect(run({}, [42 as never])).rejects.toThrow(/each variant must be a model/);
    await expect(run({}, ['/nonexistent/model.onnx'])).rejects.toThrow(/no such file/);
  });
});

test('gaissa.model / gaissa.tactics / gaissa.compare in the notebook, with progress updated in place', async () => {
  const shown: Array<[string, unknown, string | undefined]> = [];
  connectOutput({
    display: (data, _m, id) => shown.push(['display', data, id]),
    updateDisplay: (id, data) => shown.push(['update', data, id]),
    clearOutput: () => undefined,
    page: () => undefined
  });
  const tmp = tempDir();
  try {
    const file = await modelFile(tmp.dir, 'mlp.onnx', mlpModel({ sizes: [784, 16, 10] }));
    const model = await gaissa.model.load(file.path);
    expect(model.summary.parameters).toBe(784 * 16 + 16 + 16 * 10 + 10);
    const v = await gaissa.tactics.apply(file.path, 'quantize-dynamic');
    expect(v.toMimeBundle()['text/plain']).toMatch(/int8 weights for 2 nodes/);
    expect(gaissa.tactics.list().map(t => t.id)).toContain('prune-structured');
    const c = await gaissa.compare([model, v], {
      inputs: inputs(16),
      repeat: 1,
      warmup: 0,
      minWindowS: 0,
      meter: fakeMeter(),
      carbon
    });
    expect(c.recommended).toBeDefined();
    const id = shown[0][2];
    expect(shown[0][0]).toBe('display');
    expect(id).toEqual(expect.any(String));
    const updates = shown.filter(s => s[0] === 'update');
    expect(updates.length).toBeGreaterThan(3);
    expect(updates.every(u => u[2] === id)).toBe(true);
    expect((updates[updates.length - 1][1] as Record<string, string>)['text/plain']).toMatch(
      /^compared 2 variants in/
    );
    expect(gaissa.model.synthetic.mlp({ sizes: [4, 3, 2] }).summary.operators.MatMul).toBe(2);
    // A failing comparison says so in its progress line.
    shown.length = 0;
    await expect(
      gaissa.compare([model], { inputs: inputs(2, [2, 5]), meter: fakeMeter(), carbon })
    ).rejects.toThrow(/expects shape/);
    const stopped = shown.filter(s => s[0] === 'update').pop()![1] as Record<string, string>;
    expect(stopped['text/plain']).toMatch(/^comparison stopped: .*expects shape/);
    // The comparison feeds the ROI and label features as it is.
    const roi = gaissa.roi.from(c, {
      variant: 'quantize-dynamic',
      pricePerKWh: 0.3,
      implementationCost: 100,
      inferences: 1e9
    });
    expect(roi.scenario.baselineEnergyJ).toBe(c.variants[0].energyPerInferenceJ);
    expect(roi.scenario.optimizedEnergyJ).toBe(c.variants[1].energyPerInferenceJ);
    const label = await gaissa.label(c, { variant: 'quantize-dynamic', record: false });
    expect((label.record.metrics.modelSizeMB as { value: number }).value).toBeCloseTo(
      v.model.sizeBytes / 1e6,
      4
    );
  } finally {
    tmp.remove();
  }
});
