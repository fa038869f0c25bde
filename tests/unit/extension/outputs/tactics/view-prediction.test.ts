/**
 * @jest-environment jsdom
 *
 * Predicted vs measured in the tactics table: the schema's two forms of a variant's prediction,
 * the column (error recomputed from the figures, never taken from the payload), "no prediction:
 * why", and hostile strings in the basis and the reason kept as text.
 */
import { validateTacticsPayload } from '../../../../../extension/outputs/tactics/validation';
import { renderTactics } from '../../../../../extension/outputs/tactics/view';
import { inferencePayload } from '../../fixtures/tactics-payload';
import { checkedAgainst } from '../../../../../core/tactics-prediction';

const HOSTILE =
  '<img src=x onerror="window.__gaissaPwned=true"><script>window.__gaissaPwned=true</script>';

function withPredictions() {
  const p = inferencePayload();
  const [base, int8, ...rest] = p.variants;
  const m = base.energyPerInferenceJ!;
  base.prediction = {
    method: 'predicted',
    energyPerInferenceJ: m * 1.2,
    low: m * 0.9,
    high: m * 1.6,
    latencyMs: 2,
    batch: 64,
    threads: 2,
    basis: 'calibration of 30 points at 2 thread(s)',
    // A payload that lies about its error: the view recomputes it (+20 %).
    energyErrorPercent: -99,
    latencyErrorPercent: null,
    inInterval: false
  };
  int8.prediction = { noPrediction: 'unknown operator Foo (domain com.example)' };
  return { p, base, int8, rest };
}

function predictionCells(node: HTMLElement): string[] {
  const col = [...node.querySelectorAll('thead th')].findIndex(
    th => th.textContent === 'Predicted (not measured)'
  );
  expect(col).toBeGreaterThan(0);
  return [...node.querySelectorAll('tbody tr')].map(tr => tr.children[col].textContent ?? '');
}

describe('predicted vs measured in the tactics view', () => {
  it('the schema takes a prediction or a reason, and nothing that passes for a measurement', () => {
    const { p, base } = withPredictions();
    expect(validateTacticsPayload(p).ok).toBe(true);
    const bad: Array<[string, unknown]> = [
      ['measured', { ...base.prediction, method: 'measured' }],
      ['no energy', { ...base.prediction, energyPerInferenceJ: 0 }],
      ['extra key', { ...base.prediction, measured: true }],
      ['empty reason', { noPrediction: '' }],
      ['reason and figures', { noPrediction: 'x', energyPerInferenceJ: 1 }],
      ['a string', 'predicted']
    ];
    for (const [why, prediction] of bad) {
      const q = withPredictions().p;
      (q.variants[0] as { prediction: unknown }).prediction = prediction;
      expect([why, validateTacticsPayload(q).ok]).toEqual([why, false]);
    }
  });

  it('a comparison whose errors run past the bounds still validates: they are stored as null', () => {
    const { p, base } = withPredictions();
    const m = base.energyPerInferenceJ!;
    const predicted = {
      method: 'predicted' as const,
      energyPerInferenceJ: m,
      low: m / 2,
      high: m * 2
    };
    // A measured figure near zero: an error far past the schema's maximum of 1e9 %.
    base.prediction = checkedAgainst(
      { ...predicted, latencyMs: 2, batch: 64, threads: 2, basis: 'calibration' },
      { energyPerInferenceJ: 1e-15, latencyMs: 1e-9 }
    );
    expect(validateTacticsPayload(p).ok).toBe(true);
    const raw = withPredictions();
    Object.assign(raw.base.prediction!, { energyErrorPercent: 1e10 });
    expect(validateTacticsPayload(raw.p).ok).toBe(false);
  });

  it('shows the prediction, its interval, the recomputed error, the basis and no-prediction reasons', () => {
    const { p } = withPredictions();
    const { node } = renderTactics(p);
    const [base, int8, ...rest] = predictionCells(node);
    expect(base).toContain('(');
    // The fixture's energy is estimated: the error is said to be against that estimate.
    expect(base).toMatch(/error \+20 % against the estimated figure, inside the interval/);
    expect(base).toContain('predicted latency 2 ms per call of 64');
    expect(base).toContain('calibration of 30 points at 2 thread(s)');
    expect(base).not.toContain('-99');
    expect(int8).toBe('no prediction: unknown operator Foo (domain com.example)');
    // Variants without a prediction have an empty cell.
    for (const cell of rest) expect(cell).toBe('');
    expect(node.querySelector('td[data-method="predicted"]')).not.toBeNull();
  });

  it('names the figure the error is against unless a counter measured all of it', () => {
    const cellOf = (method: 'measured' | 'partly-measured', coverage: number) => {
      const { p, base } = withPredictions();
      Object.assign(base, { method, coverage });
      return predictionCells(renderTactics(p).node)[0];
    };
    expect(cellOf('measured', 1)).toMatch(/error \+20 %, inside the interval/);
    expect(cellOf('partly-measured', 0.4)).toMatch(
      /error \+20 % against the partly measured \(40 % counter\) figure, inside/
    );
    // A measured claim its coverage contradicts is not believed.
    expect(cellOf('measured', 0.5)).toContain('against the partly measured (50 % counter) figure');
  });

  it('has no prediction column when no variant was predicted', () => {
    const { node } = renderTactics(inferencePayload());
    const headers = [...node.querySelectorAll('thead th')].map(th => th.textContent);
    expect(headers).not.toContain('Predicted (not measured)');
  });

  it('keeps hostile strings in the basis and the reason as text', () => {
    const { p, base, int8 } = withPredictions();
    (base.prediction as { basis: string }).basis = HOSTILE;
    int8.prediction = { noPrediction: HOSTILE };
    const { node } = renderTactics(p);
    expect(node.querySelector('img, script')).toBeNull();
    expect((window as { __gaissaPwned?: boolean }).__gaissaPwned).toBeUndefined();
    const [b, i] = predictionCells(node);
    expect(b).toContain(HOSTILE);
    expect(i).toBe(`no prediction: ${HOSTILE}`);
  });
});
