// Static views of the tactics payloads: readable text and HTML, and safe with hostile payloads
// (a notebook from a stranger): strings escaped, numbers re-checked, nothing executable.
import {
  tacticReportHtml,
  tacticReportText,
  tacticsHtml,
  tacticsText,
  modelSummaryHtml
} from '../../../core/tactics-static-view';

const payload = {
  schemaVersion: 1,
  phase: 'inference',
  functionalUnit: 'inference',
  metric: 'accuracy',
  maxAccuracyDrop: 0.01,
  baseline: 'fp32',
  recommended: 'int8',
  recommendation: 'int8 uses 76.0 % less energy per inference than fp32.',
  variants: [
    {
      name: 'fp32',
      baseline: true,
      recommended: false,
      pareto: true,
      withinBudget: true,
      method: 'measured',
      energyPerInferenceJ: 0.004,
      latencyMs: 2,
      latencyP95Ms: 3,
      throughputPerS: 32000,
      modelBytes: 3.2e6,
      gzipBytes: 2.9e6,
      quality: 0.97,
      deltas: null,
      notes: [],
      leftAsIs: []
    },
    {
      name: 'int8',
      baseline: false,
      recommended: true,
      pareto: true,
      withinBudget: true,
      method: 'estimated',
      energyPerInferenceJ: 0.00096,
      latencyMs: 0.5,
      latencyP95Ms: 0.8,
      throughputPerS: 128000,
      modelBytes: 8e5,
      gzipBytes: 7e5,
      quality: 0.968,
      deltas: {
        energyPct: -76,
        latencyPct: -75,
        throughputPct: 300,
        sizePct: -75,
        gzipSizePct: -76,
        qualityPoints: -0.2
      },
      notes: ['fine'],
      leftAsIs: ["Conv 'c': not quantized"]
    }
  ],
  setup: {
    samples: 1000,
    repeat: 5,
    warmup: 1,
    minWindowS: 0.5,
    runtime: 'onnxruntime-node 1.30.0 (CPU)',
    meterMethod: 'estimate',
    fallbackReasons: ['CPU energy estimated: no powercap'],
    host: 'x',
    region: 'FRA',
    carbonIntensityGPerKWh: 50,
    durationS: 12
  },
  notes: ['energy is estimated'],
  createdAt: '2026-01-01T00:00:00Z'
};

test('text: a headline, the recommendation and one row per variant', () => {
  const text = tacticsText(payload);
  expect(text).toMatch(
    /^Tactics comparison: 2 variants, 1,000 inputs, metric accuracy, budget 1.00 points/
  );
  expect(text).toMatch(/Recommended: int8\. int8 uses 76.0 % less energy/);
  expect(text).toMatch(
    /fp32 +4 mJ +2 ms +3 ms +32,000\/s +3.2 MB +2.9 MB +97.00 % +baseline, pareto/
  );
  expect(text).toMatch(/int8 +960 µJ \(est\.\) +-76 % +0.5 ms/);
  expect(text).toMatch(/-0.20 pts +recommended, pareto/);
  expect(text).toMatch(/int8: left as is: Conv 'c': not quantized/);
});

test('html: a table, an SVG with the Pareto front, escaped notes', () => {
  const html = tacticsHtml(payload);
  expect(html).toMatch(/<tr class="gaissa-recommended"><td>int8<\/td>/);
  expect(html).toMatch(/<polyline [^>]*stroke-dasharray/);
  expect(html).toMatch(/Conv &#39;c&#39;: not quantized/);
});

test('hostile payloads: markup escaped, control characters dropped, bad numbers read n/a', () => {
  const evil = '<img src=x onerror=alert(1)>\u001b[2J\u202e';
  const hostile = {
    ...payload,
    recommended: evil,
    recommendation: evil,
    notes: [evil, 42, null],
    variants: [
      {
        ...payload.variants[0],
        name: evil,
        energyPerInferenceJ: 'NaN',
        quality: Infinity,
        notes: [evil],
        leftAsIs: [{ toString: evil }]
      },
      'not a variant',
      null
    ],
    setup: { samples: '<b>', meterMethod: evil, fallbackReasons: 'nope' }
  };
  const html = tacticsHtml(hostile);
  expect(html).not.toMatch(/<img|<b>|onerror=alert\(1\)>/);
  expect(html).toMatch(/&lt;img src=x onerror=alert\(1\)&gt;/);
  expect(html.includes('\u001b') || html.includes('\u202e')).toBe(false);
  const text = tacticsText(hostile);
  expect(text.includes('\u001b') || text.includes('\u202e')).toBe(false);
  expect(text).toMatch(/n\/a/);
  for (const garbage of [null, undefined, 42, 'x', [], { variants: 'x' }]) {
    expect(() => tacticsText(garbage)).not.toThrow();
    expect(() => tacticsHtml(garbage)).not.toThrow();
    expect(() => tacticReportText([garbage])).not.toThrow();
    expect(() => tacticReportHtml([garbage], evil)).not.toThrow();
    expect(modelSummaryHtml(garbage)).toMatch(/^<div class="gaissa-model-summary">/);
  }
  expect(
    tacticReportHtml(
      [{ spec: evil, summary: evil, leftAsIs: [{ op: evil, node: evil, reason: evil }] }],
      evil
    )
  ).not.toMatch(/<img/);
});
