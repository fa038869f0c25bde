/** A mining run over generated cards: rows for the reporting ones, malformed ones listed, the distribution. */
import { co2Distribution, mineCards } from '../../../../kernel/hf/mine-cards';
import { cardTree } from '../fixtures/model-cards';
import { scratchDir } from '../fixtures/scratch-dir';

const scratch = scratchDir('gaissa-hf-mine-');

describe('mineCards', () => {
  test('imports the reporting cards in grams, lists the malformed ones with their reason', async () => {
    cardTree(scratch.dir);
    const progress: number[] = [];
    const { models, summary, files } = await mineCards(
      { dir: scratch.dir },
      { onProgress: n => progress.push(n) }
    );
    expect(models.map(m => [m.modelId, m.co2.emissionsG])).toEqual([
      ['acme/kg-model', 1500],
      ['acme/tiny-bert', 12.5],
      ['other/nested-dict', 2000],
      ['solo', 0.3]
    ]);
    expect(models[1].sizeBytes).toBe(1000);
    expect(summary.cardsRead).toBe(10);
    expect(summary.reporting).toBe(4);
    expect(summary.reportingRate).toBeCloseTo(0.4, 12);
    expect(summary.withoutCard).toBe(0);
    expect(summary.malformed).toEqual([
      { modelId: 'bad/abc', reason: expect.stringMatching(/not a number/) },
      { modelId: 'bad/negative', reason: expect.stringMatching(/negative/) },
      { modelId: 'bad/unclosed', reason: expect.stringMatching(/never closes/) },
      { modelId: 'bad/yaml', reason: expect.stringMatching(/not valid YAML/) }
    ]);
    expect(summary.source).toBe(`folder ${scratch.dir}`);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(files).toHaveLength(10);
    // numpy.percentile([0.3, 12.5, 1500, 2000], [20, 40, 60, 80]) = [7.62, 310, 1202.5, 1700]
    const d = summary.distribution!;
    expect(d.count).toBe(4);
    expect([d.min, d.max]).toEqual([0.3, 2000]);
    expect(d.p20).toBeCloseTo(7.62, 9);
    expect(d.p40).toBeCloseTo(310, 9);
    expect(d.p60).toBeCloseTo(1202.5, 9);
    expect(d.p80).toBeCloseTo(1700, 9);
  });

  test('an empty folder reads no card and has no distribution', async () => {
    const { summary } = await mineCards({ dir: scratch.dir });
    expect(summary).toMatchObject({
      cardsRead: 0,
      reporting: 0,
      reportingRate: null,
      distribution: null
    });
  });
});

describe('co2Distribution', () => {
  test('numpy-default percentiles (linear between order statistics)', () => {
    // numpy.percentile([0.5, 3, 7, 12.5, 1200], [20, 40, 60, 80]) = [2.5, 5.4, 9.2, 250]
    const d = co2Distribution([1200, 3, 0.5, 12.5, 7])!;
    expect([d.p20, d.p40, d.p60, d.p80].map(v => Number(v.toFixed(9)))).toEqual([
      2.5, 5.4, 9.2, 250
    ]);
    expect(co2Distribution([5])).toEqual({
      count: 1,
      min: 5,
      p20: 5,
      p40: 5,
      p60: 5,
      p80: 5,
      max: 5
    });
  });
});
