import {
  modelIndex,
  modelPercentile,
  percentText,
  populationDistribution,
  ratedAgainst,
  ratingBoundaries,
  unratedFigures,
  standingPhrase
} from '../../../../core/label/rated-against';

const withAgainst = (against: unknown) => ({ basis: { against } });

describe('reading the population fields of an untrusted record', () => {
  test('against: a title is needed; other fields kept only when well-typed', () => {
    expect(ratedAgainst({ basis: {} })).toBeNull();
    expect(ratedAgainst({})).toBeNull();
    expect(ratedAgainst(withAgainst('hf-co2'))).toBeNull();
    expect(ratedAgainst(withAgainst({ title: 7 }))).toBeNull();
    expect(ratedAgainst(withAgainst({ title: '  ' }))).toBeNull();
    expect(
      ratedAgainst(
        withAgainst({ kind: 'population', title: ' hf ', name: 'hf-co2', size: 1417, source: [] })
      )
    ).toEqual({ kind: 'population', title: 'hf', name: 'hf-co2', size: 1417 });
    expect(ratedAgainst(withAgainst({ title: 'x', size: -1 }))?.size).toBeUndefined();
    expect(ratedAgainst(withAgainst({ title: 'x', size: 1.5 }))?.size).toBeUndefined();
    expect(Array.from(ratedAgainst(withAgainst({ title: 'y'.repeat(5000) }))!.title)).toHaveLength(
      300
    );
  });

  test('distribution and boundaries: own keys, finite, ordered, bounded', () => {
    const record = {
      basis: {
        distribution: { a: [0, 0, 1, 3], b: [1, 0], c: [] },
        boundaries: { a: [4, 3, 3, 1], b: [1, 2, 3, 4], c: [4, 3, 2] }
      }
    };
    expect(populationDistribution(record, 'a')).toEqual([0, 0, 1, 3]);
    expect(populationDistribution(record, 'b')).toBeNull();
    expect(populationDistribution(record, 'c')).toBeNull();
    expect(populationDistribution(record, 'toString')).toBeNull();
    expect(ratingBoundaries(record, 'a')).toEqual([4, 3, 3, 1]);
    expect(ratingBoundaries(record, 'b')).toBeNull();
    expect(ratingBoundaries(record, 'c')).toBeNull();
  });

  test('index, percentile and unrated figures', () => {
    const record = {
      metrics: { a: { index: 2, percentile: 0.5 }, b: { index: -1, percentile: 2 }, c: 'x' },
      unrated: { trainingEnergyKWh: 3, bad: 'x', 'a b': 1, nan: NaN }
    };
    expect(modelIndex(record, 'a')).toBe(2);
    expect(modelIndex(record, 'b')).toBeNull();
    expect(modelIndex(record, 'c')).toBeNull();
    expect(modelPercentile(record, 'a')).toBe(0.5);
    expect(modelPercentile(record, 'b')).toBeNull();
    expect(unratedFigures(record)).toEqual([['trainingEnergyKWh', 3]]);
    expect(unratedFigures({ unrated: [1, 2] })).toEqual([]);
  });

  test('percentText floors to whole per cent despite binary fractions', () => {
    expect(percentText(0.29)).toBe('29 %');
    expect(percentText(0.999)).toBe('99 %');
    expect(percentText(1)).toBe('100 %');
    expect(percentText(0)).toBe('0 %');
  });

  test('a model below every member says so rather than "0 %"', () => {
    expect(standingPhrase(0)).toBe('below every member of the population');
    expect(standingPhrase(0.004)).toBe('in the lowest 1 % of the population');
    expect(standingPhrase(0.73)).toBe('at least as good as 73 % of the population');
  });
});
