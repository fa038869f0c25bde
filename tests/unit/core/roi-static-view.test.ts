/** Static views: readable figures, and no markup or script from a hostile payload. */
import { computeRoi, RoiExpected, RoiResult, RoiScenario } from '../../../core/roi';
import { whatIf } from '../../../core/roi-catalogue';
import { escapeHtml, roiHtml, roiText } from '../../../core/roi-static-view';
import { formatNumber } from '../../../core/format';

const scenario: RoiScenario = {
  baselineEnergyJ: 1000,
  optimizedEnergyJ: 400,
  pricePerKWh: 0.36,
  implementationCost: 300,
  inferences: 1e7,
  currency: 'EUR'
};
const timed: RoiScenario = {
  ...scenario,
  inferencesPerDay: 10000,
  horizonYears: 3,
  discountRate: 0.1
};

/** Markup that must never come out of payload strings: live tags, or event handlers in tags. */
const DANGEROUS = /<(script|img|iframe|foreignObject|b|i)\b|<[^>]*\bon\w+=|javascript:/i;

test('formatNumber is compact and locale-independent', () => {
  expect(formatNumber(1e-4)).toBe('1.00e-4');
  expect(formatNumber(0.4286)).toBe('0.429');
  expect(formatNumber(5e6)).toBe('5,000,000');
  expect(formatNumber(244.6205)).toBe('245');
  expect(formatNumber(0)).toBe('0');
  expect(formatNumber(NaN)).toBe('n/a');
  expect(formatNumber('12')).toBe('n/a');
});

test('escapeHtml escapes the five markup characters', () => {
  expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
    '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;'
  );
});

describe('text view', () => {
  test('headline figures', () => {
    const text = roiText(computeRoi(scenario));
    expect(text).toMatch(/Cost per inference, baseline\s+1\.00e-4 EUR/);
    expect(text).toMatch(/Break-even\s+5,000,000 inferences/);
    expect(text).toMatch(/ROI after 10,000,000 inferences\s+42\.9 %/);
    expect(text).toMatch(/ROI for unlimited use\s+150\.0 %/);
    expect(text).toMatch(/CO2e avoided\s+n\/a \(carbonIntensity not given\)/);
    expect(text).not.toMatch(/NaN|undefined/);
  });

  test('time scenario: NPV, payback and the yearly table', () => {
    const text = roiText(computeRoi(timed));
    expect(text).toMatch(/NPV over 3 years\s+245 EUR/);
    expect(text).toMatch(/Payback\s+500 days \(1\.37 years\)/);
    expect(text).toMatch(/year\s+inferences\s+savings/);
    expect(text.split('\n').filter(l => /^\s+[123]\s+3,650,000/.test(l))).toHaveLength(3);
  });

  test('a what-if says it is expected and cites its source', () => {
    const w = whatIf({ ...scenario, tactic: 'energy-aware-pruning-alexnet' });
    const text = roiText(computeRoi(w.scenario), w.expected);
    expect(text).toMatch(
      /Expected, not measured: Energy-aware pruning \(AlexNet\), 73\.0 % less energy \(Yang, Chen & Sze \(2017\)/
    );
  });

  test('"up to" figures stay "up to", and the caveat is shown', () => {
    const w = whatIf({ ...scenario, tactic: 'data-centric-reduction', pick: 'high' });
    const text = roiText(computeRoi(w.scenario), w.expected);
    expect(text).toMatch(/, up to 92\.2 % less energy \(Verdecchia et al\. \(2022\)/);
    expect(text).toMatch(/^Caveat: .*training run/m);
    // The conservative default applies no reduction and says what was published.
    const low = whatIf({ ...scenario, tactic: 'data-centric-reduction' });
    const lowText = roiText(computeRoi(low.scenario), low.expected);
    expect(lowText).toMatch(/, 0\.0 % less energy \(from a reported range\)/);
    expect(lowText).not.toMatch(/up to 0/);
    expect(lowText).toMatch(/^Caveat: .*Published as "up to 92\.16% less energy/m);
    const onnx = whatIf({ ...scenario, tactic: 'onnx-conversion-resnet50-batch64' });
    expect(roiText(computeRoi(onnx.scenario), onnx.expected)).toMatch(
      /approximately 10\.0 % more energy/
    );
  });

  test('extreme but valid figures print without Infinity', () => {
    const r = { ...computeRoi(scenario), roiUnlimited: 1.7976931348623163e306 } as RoiResult;
    expect(roiText(r)).toMatch(/ROI for unlimited use\s+1\.80e\+306 \(as a fraction\)/);
    expect(roiHtml(r)).not.toMatch(/Infinity|NaN/);
  });

  test('no-saving results say why', () => {
    const text = roiText(computeRoi({ ...scenario, optimizedEnergyJ: 2000 }));
    expect(text).toMatch(/Break-even\s+none \(no saving/);
  });

  test('control characters from a payload are stripped', () => {
    const r = { ...computeRoi(scenario), currency: 'E\u001b[31mUR' } as RoiResult;
    expect(roiText(r).includes('\u001b')).toBe(false);
  });
});

describe('HTML view', () => {
  test('table and SVG chart with the break-even point marked', () => {
    const html = roiHtml(computeRoi(scenario));
    expect(html).toMatch(/^<div class="gaissa-roi-static">/);
    expect(html).toMatch(/<th>Break-even<\/th><td>5,000,000 inferences<\/td>/);
    expect(html).toMatch(/<svg [^>]*role="img"/);
    expect(html.match(/<polyline /g)).toHaveLength(2);
    expect(html).toMatch(/<circle [^>]*\/>.*break-even: 5,000,000 inferences/);
  });

  test('time scenario charts days and marks the payback day', () => {
    const html = roiHtml(computeRoi(timed));
    expect(html).toMatch(/break-even: 500 days/);
    expect(html).toMatch(/<th>Cumulative net<\/th>/);
  });

  test('no break-even: no marker', () => {
    const html = roiHtml(computeRoi({ ...scenario, optimizedEnergyJ: 2000 }));
    expect(html).not.toMatch(/<circle/);
    expect(html).toMatch(/<svg/);
  });

  test('hostile strings are escaped everywhere', () => {
    const hostile = '<script>alert(1)</script>';
    const result = {
      ...computeRoi(timed),
      currency: hostile,
      explanations: { roi: '<img src=x onerror=alert(1)>', paybackDays: '"><iframe>' }
    } as RoiResult;
    const expected: RoiExpected = {
      tactic: 'x',
      name: '<img src=x onerror=alert(2)>',
      reduction: 0.5,
      qualifier: 'reported',
      phase: 'inference',
      source: '</p><script>alert(3)</script>',
      url: 'javascript:alert(4)',
      caveat: '<foreignObject>'
    };
    const html = roiHtml(result, expected);
    expect(html).not.toMatch(DANGEROUS);
    expect(html).toContain('&lt;/p&gt;&lt;script&gt;alert(3)&lt;/script&gt;');
    expect(html).toContain('(&lt;script&gt;alert(1))'); // currency, cut to 16 characters
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    // The currency reaches the SVG only as escaped text, never inside an attribute.
    expect(html).not.toMatch(/="[^"]*<script/);
  });

  test('wrong types in a payload render as n/a instead of leaking', () => {
    const hostile = {
      currency: { toString: () => '<script>' },
      inferences: '<b>1</b>',
      costPerInferenceBaseline: '<script>alert(1)</script>',
      roi: NaN,
      breakEvenInferences: '5',
      yearly: [{ year: '<i>', savings: null }, 'junk'],
      npv: 'x',
      inferenceCurve: [{ inferences: '<x>', baseline: 1, optimized: 2 }],
      costCurve: 'not a list',
      explanations: 'nope'
    } as unknown as RoiResult;
    const html = roiHtml(hostile, 'nope' as unknown as RoiExpected);
    expect(html).not.toMatch(DANGEROUS);
    expect(html).not.toMatch(/NaN/);
    expect(html).toContain('<td>n/a</td>');
    expect(html).not.toMatch(/<svg/); // no valid points: no chart
    expect(roiText(hostile)).not.toMatch(/NaN|<script/);
    expect(() => roiHtml(null as unknown as RoiResult)).not.toThrow();
  });
});
