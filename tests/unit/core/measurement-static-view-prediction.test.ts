// The static views of a record with a prediction: predicted vs measured, the error, the tier
// boundaries, "no prediction: why", and hostile prediction payloads kept as text.
import type { CellPrediction } from '../../../core/cell-prediction';
import {
  measurementHtml,
  measurementLine,
  measurementText
} from '../../../core/measurement-static-view';
import { allElements, parseXml } from '../fixtures/xml-wellformed';
import { DANGEROUS, singleRecord, tampered } from './fixtures/measurement-records';

const predicted: CellPrediction = {
  method: 'predicted',
  tier: 'Medium',
  estimateJ: 4,
  boundaries: { mediumFromJ: 1, highFromJ: 30 },
  basis: '40M operations in loops nested 2 deep; starting costs',
  reason: null
};

test('text: predicted and measured side by side with the error, boundaries and basis', () => {
  const record = singleRecord({ prediction: predicted });
  const text = measurementText(record);
  const row = text.split('\n').find(l => l.trim().startsWith('Prediction'))!;
  expect(row).toContain(`predicted 4 J (Medium) / measured `);
  const error = ((4 - record.energyJ) / record.energyJ) * 100;
  expect(row).toContain(`error ${error > 0 ? '+' : ''}${Math.round(error)} %`);
  expect(row).toContain('[Low < 1 J ≤ Medium < 30 J ≤ High]');
  expect(row).toContain('from 40M operations in loops nested 2 deep');
  expect(row).toContain('predicted, not measured');
  expect(measurementLine(record)).toMatch(/· predicted 4 J \(Medium\) \/ measured .*, error /);
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
    /<tr><th>Prediction<\/th><td>predicted 4 J \(Medium\) \/ measured /
  );
});
