import {
  HF_CO2_METHOD,
  MIN_POPULATION,
  Population,
  PopulationMember,
  median,
  percentile,
  populationBasis,
  populationReference
} from '../../../../core/label/population';
import { rateLabel } from '../../../../core/label/rating';

const against = { kind: 'population' as const, title: 'a test population' };

function member(
  id: string,
  co2G: number,
  more: PopulationMember['metrics'] = {}
): PopulationMember {
  return { id, metrics: { trainingCo2eKg: co2G / 1000, ...more } };
}

/** Ten members with CO2e 1..10 g and downloads 0..9; "ref" (CO2e 5 g) is the reference. */
function tenMembers(): Population {
  const members = Array.from({ length: 10 }, (_, i) =>
    member(i === 4 ? 'ref' : `m${i}`, i + 1, { downloads: i })
  );
  return { members, method: { ...HF_CO2_METHOD, referenceId: 'ref' }, against };
}

describe('percentiles as numpy computes them by default (linear between closest ranks)', () => {
  test('position (n - 1) p / 100, interpolated', () => {
    // numpy.percentile([1, 2, 3, 4], 40) = 2.2: position 1.2, between 2 and 3.
    expect(percentile([1, 2, 3, 4], 40)).toBeCloseTo(2.2, 12);
    expect(percentile([1, 2, 3, 4], 0)).toBe(1);
    expect(percentile([1, 2, 3, 4], 100)).toBe(4);
    expect(percentile([7], 80)).toBe(7);
    expect(() => percentile([], 50)).toThrow(RangeError);
  });

  test('the median of an even count is the mean of the middle two, unsorted input allowed', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
  });
});

describe('a population basis', () => {
  test('indices against the reference member, boundaries at the 80/60/40/20th percentiles', () => {
    const { basis, indices } = populationBasis(tenMembers());
    expect(basis.reference.trainingCo2eKg).toBe(0.005);
    // CO2e is a cost: index = reference / value = 5 / (1..10).
    const co2 = indices.trainingCo2eKg!;
    expect(co2).toHaveLength(10);
    expect(co2[0]).toBeCloseTo(0.5, 12);
    expect(co2[9]).toBe(5);
    expect(basis.boundaries.trainingCo2eKg).toEqual([80, 60, 40, 20].map(p => percentile(co2, p)));
    expect(basis.weights.trainingCo2eKg).toBe(0.35);
    expect(basis.distribution!.trainingCo2eKg).toHaveLength(21);
    expect(basis.distribution!.trainingCo2eKg![0]).toBe(co2[0]);
    expect(basis.distribution!.trainingCo2eKg![20]).toBe(co2[9]);
    expect(basis.against).toBe(against);
  });

  test('downloads use the 96/94/85/60th percentiles; a 0 is data for a higher-is-better metric', () => {
    const { basis, indices } = populationBasis(tenMembers());
    // The reference member has 4 downloads; members 0..9 give indices 0, 0.25 ... 2.25.
    expect(indices.downloads![0]).toBe(0);
    expect(basis.boundaries.downloads).toEqual(
      [96, 94, 85, 60].map(p => percentile(indices.downloads!, p))
    );
  });

  test('a CO2e of 0 has no index and is left out of the population', () => {
    const population = tenMembers();
    const withZero = { ...population, members: [...population.members, member('zero', 0)] };
    expect(populationBasis(withZero).indices.trainingCo2eKg).toHaveLength(10);
  });

  test('a reference the reference member lacks is the population median', () => {
    const members = Array.from({ length: 6 }, (_, i) =>
      member(`m${i}`, 10, { performanceScore: 0.5 + i / 10 })
    );
    members.push(member('ref', 10));
    const reference = populationReference({
      members,
      method: { ...HF_CO2_METHOD, referenceId: 'ref' },
      against
    });
    expect(reference.performanceScore).toBeCloseTo(
      median(members.slice(0, 6).map(m => m.metrics.performanceScore!)),
      12
    );
    expect(reference.trainingCo2eKg).toBe(0.01);
  });

  test('derived metrics (bytes per g CO2e) are computed for every member', () => {
    const members = Array.from({ length: 5 }, (_, i) =>
      member(`m${i}`, 1000, { modelSizeMB: i + 1 })
    );
    const { indices, basis } = populationBasis({ members, method: HF_CO2_METHOD, against });
    // 1 MB per 1000 g = 1000 B/g for the first; no reference member: the median (3000 B/g).
    expect(basis.reference.sizeEfficiency).toBe(3000);
    expect(indices.sizeEfficiency).toEqual(
      [1 / 3, 2 / 3, 1, 4 / 3, 5 / 3].map(v => Number(v.toPrecision(12)))
    );
  });

  test(`a metric with fewer than ${MIN_POPULATION} members is not rated`, () => {
    const members = Array.from({ length: MIN_POPULATION }, (_, i) => member(`m${i}`, i + 1));
    members[0].metrics.downloads = 3;
    const { basis } = populationBasis({ members, method: HF_CO2_METHOD, against });
    expect(Object.keys(basis.reference)).toEqual(['trainingCo2eKg']);
  });
});

describe('rating against a population', () => {
  test('each metric gets its percentile; figures the population cannot rate are kept as unrated', () => {
    const on = populationBasis(tenMembers());
    const rated = rateLabel(
      { phase: 'training', metrics: { trainingCo2eKg: 0.002, trainingEnergyKWh: 3, downloads: 9 } },
      on
    );
    // 5 g / 2 g = index 2.5: at or above 9 of the 10 indices 5/1 ... 5/10 (all but 5).
    expect(rated.metrics.trainingCo2eKg).toMatchObject({ index: 2.5, percentile: 0.9 });
    expect(rated.metrics.downloads!.percentile).toBe(1);
    expect(rated.unrated).toEqual({ trainingEnergyKWh: 3 });
    expect(rated.basis.against).toBe(against);
    expect(Object.keys(rated.basis.distribution!)).toEqual(['trainingCo2eKg', 'downloads']);
  });

  test('equal members make equal boundaries: the band between them is empty, not an error', () => {
    const members = Array.from({ length: 6 }, (_, i) => member(`m${i}`, 7));
    const on = populationBasis({ members, method: HF_CO2_METHOD, against });
    expect(new Set(on.basis.boundaries.trainingCo2eKg).size).toBe(1);
    expect(rateLabel({ phase: 'training', metrics: { trainingCo2eKg: 0.001 } }, on).rating).toBe(
      'A'
    );
    expect(rateLabel({ phase: 'training', metrics: { trainingCo2eKg: 0.007 } }, on).rating).toBe(
      'E'
    );
  });

  test('a request with nothing the population rates is refused, naming what it rates', () => {
    expect(() =>
      rateLabel(
        { phase: 'training', metrics: { trainingEnergyKWh: 3 } },
        populationBasis(tenMembers())
      )
    ).toThrow(/none of trainingEnergyKWh can be rated against a test population/);
  });

  test('downloads are a whole number', () => {
    expect(() =>
      rateLabel({ phase: 'training', metrics: { trainingCo2eKg: 1, downloads: 0.5 } })
    ).toThrow(/metrics.downloads: must be a whole number of downloads/);
  });

  test('derived figures cannot be given, only their inputs', () => {
    expect(() =>
      rateLabel({ phase: 'training', metrics: { trainingCo2eKg: 1, sizeEfficiency: 5 } })
    ).toThrow(/metrics.sizeEfficiency: is computed/);
  });
});
