// Predicted vs measured in the static views of a comparison: a section marked "not measured",
// the error from the figures, reasons for no prediction, and hostile strings escaped.
import { tacticsHtml, tacticsText } from '../../../core/tactics-static-view';

const HOSTILE = '<img src=x onerror=alert(1)>\n<script>alert(2)</script>';

function payload(predictions: unknown[]) {
  return {
    schemaVersion: 1,
    phase: 'inference',
    metric: 'agreement',
    maxAccuracyDrop: 0.01,
    baseline: 'fp32',
    recommended: 'int8',
    recommendation: 'int8 uses less.',
    setup: { samples: 64, repeat: 3, warmup: 1, meterMethod: 'estimate', runtime: 'ort' },
    notes: [],
    variants: predictions.map((prediction, i) => ({
      name: ['fp32', 'int8', 'fp16'][i],
      baseline: i === 0,
      recommended: i === 1,
      method: 'estimated',
      energyPerInferenceJ: 100e-6,
      latencyMs: 2,
      quality: 1,
      deltas: null,
      notes: [],
      leftAsIs: [],
      ...(prediction === undefined ? {} : { prediction })
    }))
  };
}

const predicted = {
  method: 'predicted',
  energyPerInferenceJ: 150e-6,
  low: 90e-6,
  high: 200e-6,
  latencyMs: 2.5,
  batch: 8,
  threads: 1,
  basis: 'calibration of 6 points at 1 thread(s)',
  energyErrorPercent: 1,
  latencyErrorPercent: 25,
  inInterval: true
};

describe('tactics static views with predictions', () => {
  it('lists predicted vs the estimated figure per variant, marked not measured', () => {
    const p = payload([predicted, { noPrediction: 'unknown operator Foo' }, undefined]);
    const text = tacticsText(p);
    expect(text).toContain('Predicted before measuring (not measured):');
    expect(text).toContain(
      '  fp32: predicted 150 µJ (90 µJ .. 200 µJ) / estimated 100 µJ, error +50 %, inside the interval; predicted latency 2.5 ms per call of 8 (measured 2 ms)'
    );
    expect(text).toContain('    basis: calibration of 6 points at 1 thread(s)');
    expect(text).toContain('  int8: no prediction: unknown operator Foo');
    expect(text).not.toMatch(/fp16: /);
    const html = tacticsHtml(p);
    expect(html).toContain(
      '<p class="gaissa-tactics-predicted">Predicted before measuring (not measured):</p>'
    );
    expect(html).toContain('<li><strong>int8</strong>: no prediction: unknown operator Foo</li>');
    expect(html).toContain('<small>basis: calibration of 6 points at 1 thread(s)</small>');
  });

  it('calls the figure measured only when a counter measured all of it', () => {
    const p = payload([predicted, predicted]);
    Object.assign(p.variants[0], { method: 'measured', coverage: 1 });
    Object.assign(p.variants[1], { method: 'partly-measured', coverage: 0.25 });
    const text = tacticsText(p);
    expect(text).toContain(
      '  fp32: predicted 150 µJ (90 µJ .. 200 µJ) / measured 100 µJ, error +50 %'
    );
    expect(text).toContain(
      '  int8: predicted 150 µJ (90 µJ .. 200 µJ) / partly measured (25 % counter) 100 µJ'
    );
    expect(tacticsHtml(p)).toContain('/ partly measured (25 % counter) 100 µJ');
  });

  it('says nothing of predictions when there are none', () => {
    const p = payload([undefined, undefined]);
    expect(tacticsText(p)).not.toContain('Predicted');
    expect(tacticsHtml(p)).not.toContain('Predicted');
  });

  it('escapes hostile reasons and bases, and keeps them on one line', () => {
    const p = payload([{ ...predicted, basis: HOSTILE }, { noPrediction: HOSTILE }]);
    const html = tacticsHtml(p);
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &lt;script&gt;');
    const text = tacticsText(p);
    expect(text).toContain(
      '  int8: no prediction: <img src=x onerror=alert(1)> <script>alert(2)</script>'
    );
  });
});
