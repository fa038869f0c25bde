/** The literature catalogue and the what-if built on it. */
import { computeRoi } from '../../../core/roi';
import {
  catalogueEntry,
  citation,
  reductionBounds,
  ROI_CATALOGUE,
  whatIf
} from '../../../core/roi-catalogue';

test('every entry is sourced and scoped', () => {
  const ids = new Set<string>();
  for (const e of ROI_CATALOGUE) {
    expect(ids.has(e.id)).toBe(false);
    ids.add(e.id);
    expect(e.source.authors.length).toBeGreaterThan(0);
    expect(e.source.title.length).toBeGreaterThan(10);
    expect(e.source.year).toBeGreaterThanOrEqual(2010);
    expect(e.source.venue.length).toBeGreaterThan(3);
    expect(e.source.url).toMatch(/^https:\/\//);
    for (const text of [e.name, e.modelFamily, e.hardware, e.reported, e.caveat]) {
      expect(text.length).toBeGreaterThan(3);
    }
    expect(e.tactics.length).toBeGreaterThan(0);
    expect(e.reduction.low).toBeLessThanOrEqual(e.reduction.high);
    expect(e.reduction.low).toBeGreaterThan(-1);
    expect(e.reduction.high).toBeLessThan(1);
  }
});

test('reductions match the reported figures', () => {
  expect(catalogueEntry('energy-aware-pruning-alexnet')!.reduction.low).toBeCloseTo(
    1 - 1 / 3.7,
    12
  );
  expect(catalogueEntry('runtime-freezing-quantization-early-stopping')!.reduction.low).toBe(0.565);
  const dc = catalogueEntry('deep-compression')!;
  expect([dc.reduction.low, dc.reduction.high]).toEqual([
    expect.closeTo(2 / 3, 12),
    expect.closeTo(6 / 7, 12)
  ]);
  // A negative result stays negative.
  expect(catalogueEntry('onnx-conversion-resnet50-batch64')!.reduction.low).toBeLessThan(0);
});

test('citation keeps surname particles and shortens long author lists', () => {
  const yang = catalogueEntry('energy-aware-pruning-alexnet')!.source;
  expect(citation(yang)).toMatch(/^Yang, Chen & Sze \(2017\)\. Designing/);
  const delRey = catalogueEntry('model-and-training-environment-choice')!.source;
  expect(citation(delRey)).toMatch(/^del Rey et al\. \(2023\)/);
  const reguero = catalogueEntry('runtime-freezing-quantization-early-stopping')!.source;
  expect(citation(reguero)).toMatch(/doi:10\.1016\/j\.csi\.2024\.103906$/);
});

describe('whatIf', () => {
  const base = {
    baselineEnergyJ: 10,
    pricePerKWh: 0.3,
    implementationCost: 50,
    inferences: 1e8
  };

  test('reduces the baseline by the published figure and marks it expected', () => {
    const { scenario, expected } = whatIf({ ...base, tactic: 'energy-aware-pruning-alexnet' });
    expect(scenario.optimizedEnergyJ).toBeCloseTo(10 / 3.7, 12);
    expect(scenario.baselineEnergyJ).toBe(10);
    expect(scenario).not.toHaveProperty('tactic');
    expect(expected.tactic).toBe('energy-aware-pruning-alexnet');
    expect(expected.source).toMatch(/Yang, Chen & Sze \(2017\)/);
    expect(expected.url).toBe('https://arxiv.org/abs/1611.05128');
    expect(computeRoi(scenario).roiUnlimited).toBeCloseTo(2.7, 9);
  });

  test('ranges default to the conservative end', () => {
    const low = whatIf({ ...base, tactic: 'deep-compression' });
    const mid = whatIf({ ...base, tactic: 'deep-compression', pick: 'mid' });
    const high = whatIf({ ...base, tactic: 'deep-compression', pick: 'high' });
    expect(low.scenario.optimizedEnergyJ).toBeCloseTo(10 / 3, 12);
    expect(high.scenario.optimizedEnergyJ).toBeCloseTo(10 / 7, 12);
    expect(mid.expected.reduction).toBeCloseTo((2 / 3 + 6 / 7) / 2, 12);
  });

  test('"up to" figures default to their least favourable bound: no reduction', () => {
    const upTo = ROI_CATALOGUE.filter(e => e.qualifier === 'up to');
    expect(upTo.length).toBeGreaterThan(0);
    for (const e of upTo) {
      const conservative = whatIf({ ...base, tactic: e.id });
      expect(conservative.expected.reduction).toBe(0);
      expect(conservative.scenario.optimizedEnergyJ).toBe(base.baselineEnergyJ);
      expect(computeRoi(conservative.scenario).breakEvenInferences).toBeNull();
      // The view must not print "up to 0 %": the applied figure is one end of a range, and the
      // caveat names the published one.
      expect(conservative.expected.qualifier).toBe('range');
      expect(conservative.expected.caveat).toContain(`Published as "${e.reported}"`);
      const mid = whatIf({ ...base, tactic: e.id, pick: 'mid' });
      expect(mid.expected.reduction).toBeCloseTo(e.reduction.high / 2, 12);
      const best = whatIf({ ...base, tactic: e.id, pick: 'high' });
      expect(best.expected).toMatchObject({ reduction: e.reduction.high, qualifier: 'up to' });
      expect(best.expected.caveat).not.toContain('Published as');
    }
  });

  test('the default pick is never more favourable than any other', () => {
    for (const e of ROI_CATALOGUE) {
      const picked = (pick?: 'low' | 'mid' | 'high') =>
        whatIf({ ...base, tactic: e.id, pick }).expected.reduction;
      const { low, high } = reductionBounds(e);
      expect(picked()).toBe(low);
      expect(picked()).toBeLessThanOrEqual(picked('mid'));
      expect(picked('mid')).toBeLessThanOrEqual(picked('high'));
      expect(picked('high')).toBe(high);
    }
  });

  test('training figures say how to read them', () => {
    const { expected } = whatIf({ ...base, tactic: 'data-centric-reduction' });
    expect(expected.phase).toBe('training');
    expect(expected.caveat).toMatch(/training run/);
  });

  test('a negative result gives no saving', () => {
    const { scenario } = whatIf({ ...base, tactic: 'onnx-conversion-resnet50-batch64' });
    expect(computeRoi(scenario).breakEvenInferences).toBeNull();
  });

  test('unknown tactic lists the known ones', () => {
    expect(() => whatIf({ ...base, tactic: 'magic' })).toThrow(
      /unknown tactic 'magic'; known: .*deep-compression/
    );
  });
});
