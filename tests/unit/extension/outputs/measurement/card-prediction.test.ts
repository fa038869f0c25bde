/**
 * @jest-environment jsdom
 */
// The card of a record with a prediction: "predicted X (tier) / measured Y, error Z %", badged
// predicted; the schema accepts the prediction field and rejects malformed ones.
import { renderMeasurement } from '../../../../../extension/outputs/measurement/view';
import { validateMeasurement } from '../../../../../extension/outputs/measurement/validation';
import type { CellPrediction } from '../../../../../core/cell-prediction';
import { asPayload, sampleRecord } from '../../fixtures/measurement-record';

const prediction: CellPrediction = {
  method: 'predicted',
  tier: 'High',
  estimateJ: 40,
  boundaries: { mediumFromJ: 1, highFromJ: 30 },
  basis: '1G operations in loops nested 1 deep',
  reason: null
};

afterEach(() => {
  document.body.textContent = '';
});

test('shows predicted vs estimated with the error, the boundaries and the basis, as text', () => {
  const record = sampleRecord({
    prediction: { ...prediction, basis: '<img src=x onerror="window.__pwned=true">' }
  });
  const view = renderMeasurement(asPayload(record));
  document.body.appendChild(view.node);
  const line = view.node.querySelector('.gaissa-measurement-prediction')!;
  expect(line.getAttribute('data-method')).toBe('predicted');
  expect(line.querySelector('.gaissa-badge-predicted')!.textContent).toBe('predicted');
  // The sample's mean energy is 11.5 J, estimated (no counter): 40 J is +248 %.
  expect(line.textContent).toContain(
    'predicted 40 J (High) / estimated 11.5 J (Medium), error +248 %'
  );
  expect(line.textContent).toContain('Low < 1 J ≤ Medium < 30 J ≤ High');
  expect(line.textContent).toContain('<img src=x');
  expect(view.node.querySelector('img')).toBeNull();
});

test('measured only where a counter measured it all; no error for a run that did not complete', () => {
  // The sample, its components read by RAPL over the given share of their joules.
  const line = (coverage: number, over: object = {}) => {
    const record = sampleRecord();
    const c = record.components;
    const rapl = <T extends object>(part: T) => ({ ...part, method: 'rapl', coverage });
    const counted = sampleRecord({
      prediction,
      method: 'rapl',
      estimated: coverage < 1,
      coverage,
      components: { ...c, cpu: rapl(c.cpu), ram: rapl(c.ram) } as typeof c,
      ...over
    });
    return renderMeasurement(asPayload(counted)).node.querySelector(
      '.gaissa-measurement-prediction'
    )!.textContent;
  };
  expect(line(1)).toContain('predicted 40 J (High) / measured 11.5 J (Medium), error +248 %');
  expect(line(0.5)).toContain('/ partly measured (50 % counter) 11.5 J');
  for (const status of ['error', 'interrupted'] as const) {
    const text = line(1, { status, error: { name: 'Error', message: 'boom' } });
    expect(text).toContain('predicted 40 J (High) (the run did not complete)');
    expect(text).not.toContain('error +');
  }
});

test('no prediction shows why; no prediction field, no line', () => {
  const none = {
    ...prediction,
    tier: null,
    estimateJ: null,
    reason: 'cannot size a while loop at line 1'
  };
  const view = renderMeasurement(asPayload(sampleRecord({ prediction: none })));
  expect(view.node.querySelector('.gaissa-measurement-prediction')!.textContent).toContain(
    'no prediction: cannot size a while loop at line 1'
  );
  expect(
    renderMeasurement(asPayload(sampleRecord())).node.querySelector(
      '.gaissa-measurement-prediction'
    )
  ).toBeNull();
});

test('the schema takes the prediction field and rejects malformed ones', () => {
  const ok = (p: unknown) =>
    validateMeasurement({ ...(asPayload(sampleRecord()) as object), prediction: p }).ok;
  expect(ok(prediction)).toBe(true);
  expect(ok({ ...prediction, tier: null, estimateJ: null, reason: 'why' })).toBe(true);
  expect(ok({ ...prediction, method: 'measured' })).toBe(false);
  expect(ok({ ...prediction, tier: 'Huge' })).toBe(false);
  expect(ok({ ...prediction, estimateJ: -1 })).toBe(false);
  expect(ok({ ...prediction, extra: 1 })).toBe(false);
  expect(ok({ ...prediction, boundaries: { mediumFromJ: 1 } })).toBe(false);
  expect(ok({ ...prediction, basis: 'x'.repeat(2001) })).toBe(false);
});
