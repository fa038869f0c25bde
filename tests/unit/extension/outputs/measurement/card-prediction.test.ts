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

test('shows predicted vs measured with the error, the boundaries and the basis, as text', () => {
  const record = sampleRecord({
    prediction: { ...prediction, basis: '<img src=x onerror="window.__pwned=true">' }
  });
  const view = renderMeasurement(asPayload(record));
  document.body.appendChild(view.node);
  const line = view.node.querySelector('.gaissa-measurement-prediction')!;
  expect(line.getAttribute('data-method')).toBe('predicted');
  expect(line.querySelector('.gaissa-badge-predicted')!.textContent).toBe('predicted');
  // The sample's mean energy is 11.5 J: 40 J is +248 %.
  expect(line.textContent).toContain(
    'predicted 40 J (High) / measured 11.5 J (Medium), error +248 %'
  );
  expect(line.textContent).toContain('Low < 1 J ≤ Medium < 30 J ≤ High');
  expect(line.textContent).toContain('<img src=x');
  expect(view.node.querySelector('img')).toBeNull();
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
