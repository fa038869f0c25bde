// The static views of a record with a prediction: predicted vs measured, the error, the tier
// boundaries, "no prediction: why", and hostile prediction payloads kept as text.
import type { CellPrediction } from '../../../core/cell-prediction';
import {
  measurementHtml,
  measurementLine,
  measurementText
} from '../../../core/measurement-static-view';
import { allElements, parseXml } from '../fixtures/xml-wellformed';
import {
  DANGEROUS,
  partlyRecord,
  raplRecord,
  singleRecord,
  tampered
} from './fixtures/measurement-records';

const predicted: CellPrediction = {
  method: 'predicted',
  tier: 'Medium',
  estimateJ: 4,
  boundaries: { mediumFromJ: 1, highFromJ: 30 },
  basis: '40M operations in loops nested 2 deep; starting costs',
  reason: null
};

test('text: predicted and estimated side by side with the error, boundaries and basis', () => {
  const record = singleRecord({ prediction: predicted });
  const text = measurementText(record);
  const row = text.split('\n').find(l => l.trim().startsWith('Prediction'))!;
  // The fixture's energy is estimated (no counter): it is not called measured.
  expect(row).toContain(`predicted 4 J (Medium) / estimated `);
  const error = ((4 - record.energyJ) / record.energyJ) * 100;
  expect(row).toContain(`error ${error > 0 ? '+' : ''}${Math.round(error)} %`);
  expect(row).toContain('[Low < 1 J ≤ Medium < 30 J ≤ High]');
  expect(row).toContain('from 40M operations in loops nested 2 deep');
  expect(row).toContain('predicted, not measured');
  expect(measurementLine(record)).toMatch(/· predicted 4 J \(Medium\) \/ estimated .*, error /);
});

test('no prediction says why; a record without one has no row', () => {
  const none = {
    ...predicted,
    tier: null,
    estimateJ: null,
    reason: 'cannot size a while loop at line 2'
  };
  expect(measurementText(singleRecord({ prediction: none }))).toMatch(
    /Prediction +no prediction: cannot size a while loop at line 2/
  );
  expect(measurementText(singleRecord())).not.toContain('Prediction');
  expect(measurementLine(singleRecord())).not.toContain('predicted');
});

test('html: a well-formed row; hostile strings and numbers stay text', () => {
  const hostile = tampered({
    prediction: {
      method: 'predicted',
      tier: 'High<script>',
      estimateJ: '<img src=x onerror=alert(1)>',
      boundaries: { mediumFromJ: '<b>', highFromJ: NaN },
      basis: '<script>alert(1)</script>\nforged row',
      reason: '<iframe src=x onload=alert(1)>'
    }
  });
  const html = measurementHtml(hostile);
  expect(allElements(parseXml(html)).length).toBeGreaterThan(0);
  expect(html).not.toMatch(DANGEROUS);
  expect(html).toContain('no prediction: &lt;iframe');
  const text = measurementText(hostile);
  // The basis is flattened to one line: it cannot forge a row of the text view.
  expect(text.split('\n').some(l => l.startsWith('forged row'))).toBe(false);
  expect(measurementHtml(singleRecord({ prediction: predicted }))).toMatch(
    /<tr><th>Prediction<\/th><td>predicted 4 J \(Medium\) \/ estimated /
  );
});

test('the figure is called measured only when a counter measured all of it', () => {
  const row = (record: object) =>
    measurementText({ ...record, prediction: predicted } as never)
      .split('\n')
      .find(l => l.trim().startsWith('Prediction'))!;
  expect(row(raplRecord())).toMatch(/predicted 4 J \(Medium\) \/ measured .*, error /);
  expect(row(partlyRecord())).toMatch(
    /predicted 4 J \(Medium\) \/ partly measured \(\d+ % counter\) .*, error /
  );
  expect(measurementLine({ ...raplRecord(), prediction: predicted })).toMatch(
    /· predicted 4 J \(Medium\) \/ measured /
  );
});

test('a run that did not complete shows the prediction without an error', () => {
  for (const status of ['error', 'interrupted'] as const) {
    const record = singleRecord({ prediction: predicted, status });
    const row = measurementText(record)
      .split('\n')
      .find(l => l.trim().startsWith('Prediction'))!;
    expect(row).toContain('predicted 4 J (Medium) (the run did not complete)');
    expect(row).not.toContain('error');
    expect(measurementLine(record)).toContain('predicted 4 J (Medium) (the run did not complete)');
    expect(measurementHtml(record)).toContain('predicted 4 J (Medium) (the run did not complete)');
  }
});
