// Tiers, their boundaries, the error and the line views print, from trusted and untrusted payloads.
import {
  boundariesText,
  predictionErrorPercent,
  predictionLine,
  TIER_BOUNDARIES,
  tierOf
} from '../../../core/cell-prediction';

test('tier boundaries: Low < 1 J ≤ Medium < 30 J ≤ High', () => {
  expect(tierOf(0)).toBe('Low');
  expect(tierOf(0.999)).toBe('Low');
  expect(tierOf(1)).toBe('Medium');
  expect(tierOf(29.9)).toBe('Medium');
  expect(tierOf(30)).toBe('High');
  expect(tierOf(5, { mediumFromJ: 10, highFromJ: 20 })).toBe('Low');
  expect(boundariesText(TIER_BOUNDARIES)).toBe('Low < 1 J ≤ Medium < 30 J ≤ High');
  expect(boundariesText({ mediumFromJ: 'x' })).toBe('Low < n/a ≤ Medium < n/a ≤ High');
});

test('the error is signed and relative to the measured figure', () => {
  expect(predictionErrorPercent(12, 10)).toBeCloseTo(20);
  expect(predictionErrorPercent(5, 10)).toBeCloseTo(-50);
  expect(predictionErrorPercent(5, 0)).toBeNull();
  expect(predictionErrorPercent('5', 10)).toBeNull();
});

test('the line says predicted, measured and the error, or no prediction and why', () => {
  const p = {
    method: 'predicted' as const,
    tier: 'Medium' as const,
    estimateJ: 4,
    boundaries: TIER_BOUNDARIES,
    basis: '',
    reason: null
  };
  expect(predictionLine(p)).toBe('predicted 4 J (Medium)');
  const measured = { status: 'ok', method: 'rapl', estimated: false, coverage: 1 };
  expect(predictionLine(p, { ...measured, energyJ: 5 })).toBe(
    'predicted 4 J (Medium) / measured 5 J (Medium), error -20 %'
  );
  expect(predictionLine(p, { ...measured, energyJ: 50 })).toMatch(
    /measured 50 J \(High\), error -92 %/
  );
  expect(
    predictionLine({ ...p, tier: null, estimateJ: null, reason: 'cannot size a while loop' })
  ).toBe('no prediction: cannot size a while loop');
  // A payload whose tier is not one of the three is not shown as a prediction.
  expect(predictionLine({ ...p, tier: 'Huge' as never })).toMatch(/^no prediction/);
});

test('a figure no counter measured is called estimated (or partly measured), never measured', () => {
  const p = { tier: 'Medium' as const, estimateJ: 4, boundaries: TIER_BOUNDARIES };
  const ok = { status: 'ok', energyJ: 5 };
  expect(predictionLine(p, { ...ok, method: 'estimate', estimated: true, coverage: 0 })).toBe(
    'predicted 4 J (Medium) / estimated 5 J (Medium), error -20 %'
  );
  expect(predictionLine(p, { ...ok, method: 'rapl', estimated: true, coverage: 0.4 })).toBe(
    'predicted 4 J (Medium) / partly measured (40 % counter) 5 J (Medium), error -20 %'
  );
  // Unreadable provenance errs towards the estimate.
  expect(predictionLine(p, ok)).toMatch(/ \/ estimated 5 J/);
});

test('a run that did not complete gets no error against its partial joules', () => {
  const p = { tier: 'Medium' as const, estimateJ: 4, boundaries: TIER_BOUNDARIES };
  const run = { method: 'rapl', estimated: false, coverage: 1, energyJ: 0.5 };
  for (const status of ['error', 'interrupted', undefined])
    expect(predictionLine(p, { ...run, status })).toBe(
      'predicted 4 J (Medium) (the run did not complete)'
    );
});
