import { buildLabelRecord, LabelRecord } from '../../../../core/label/record';
import {
  ECDF_PLOT,
  EcdfInput,
  drawEcdfPanel,
  drawEcdfSection,
  ecdfInput,
  ecdfScale,
  shareAt
} from '../../../../core/label/ecdf-svg';
import { drawLabelSvg } from '../../../../core/label/svg';
import { allElements, parseXml, textContent, XmlElement } from '../../fixtures/xml-wellformed';

const HOSTILE = `</text><script>alert("x")</script><desc x='1'>&amp; ]]> \u202Eevil`;
/** The plot's box for a panel drawn at top 0, written out so the tests do not reuse the code's sums. */
const LEFT = 56;
const RIGHT = 336;
const PLOT_TOP = 34;
const PLOT_BOTTOM = 84;

/** 0, 0.1, ..., 2: a population spread evenly over indices 0..2. */
const LINEAR = Array.from({ length: 21 }, (_, k) => Number((k * 0.1).toFixed(1)));
/** 0.01 ... 100, evenly in log space: four decades. */
const DECADES = Array.from({ length: 21 }, (_, k) => Number((10 ** (k / 5 - 2)).toPrecision(6)));

function input(over: Partial<EcdfInput> = {}): EcdfInput {
  return {
    name: 'trainingCo2eKg',
    distribution: LINEAR,
    boundaries: [1.6, 1.2, 0.8, 0.4],
    index: 1,
    percentile: 0.5,
    rating: 'C',
    ...over
  };
}

function panel(over: Partial<EcdfInput> = {}): XmlElement {
  return parseXml(`<svg>${drawEcdfPanel(input(over), 0)}</svg>`);
}

function point(root: XmlElement): { cx: number; cy: number } {
  const circles = allElements(root).filter(e => e.attrs.class === 'gaissa-ecdf-point');
  expect(circles).toHaveLength(1);
  return { cx: Number(circles[0].attrs.cx), cy: Number(circles[0].attrs.cy) };
}

function boundaryXs(root: XmlElement): number[] {
  return allElements(root)
    .filter(e => e.attrs.class === 'gaissa-ecdf-boundary')
    .map(e => {
      expect(e.attrs.x1).toBe(e.attrs.x2);
      return Number(e.attrs.x1);
    });
}

function texts(root: XmlElement): string[] {
  return allElements(root)
    .filter(e => e.name === 'text')
    .map(textContent);
}

/** A training record rated against a population, with the new fields written by hand. */
function populationRecord(extra: (r: Record<string, any>) => void = () => undefined): LabelRecord {
  const r = buildLabelRecord(
    {
      phase: 'training',
      population: 'fixed',
      metrics: { trainingCo2eKg: 0.5, accuracy: 0.9 },
      model: { name: 'tfjs-cnn' }
    },
    new Date('2025-03-04T00:00:00Z')
  ) as unknown as Record<string, any>;
  r.basis.against = {
    kind: 'population',
    title: '1,417 Hugging Face models reporting training CO2e (Castaño et al., ESEM 2023)',
    name: 'hf-co2',
    size: 1417
  };
  r.basis.boundaries.trainingCo2eKg = [20, 3, 0.5, 0.1];
  r.basis.distribution = { trainingCo2eKg: DECADES };
  r.metrics.trainingCo2eKg.index = 1;
  r.metrics.trainingCo2eKg.rating = 'C';
  r.metrics.trainingCo2eKg.percentile = 0.73;
  extra(r);
  return r as unknown as LabelRecord;
}

describe('the ECDF panel geometry', () => {
  test('values too close for their precision draw at once (no endless tick loop)', () => {
    const started = Date.now();
    const scale = ecdfScale([1e300, 1.0000000000000002e300], 56, 400);
    expect(scale.ticks.length).toBeGreaterThan(0);
    expect(scale.ticks.length).toBeLessThanOrEqual(13);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test('linear scale: the point sits at the x of its index and the y of its percentile', () => {
    const root = panel({ index: 1, percentile: 0.5 });
    // Domain 0..2 over 280 px: index 1 is halfway; share 0.5 is halfway up the 50 px plot.
    expect(point(root).cx).toBeCloseTo(LEFT + 140, 1);
    expect(point(root).cy).toBeCloseTo(PLOT_BOTTOM - 25, 1);
    const other = panel({ index: 0.3, percentile: 0.15 });
    expect(point(other).cx).toBeCloseTo(LEFT + 0.15 * 280, 1);
    expect(point(other).cy).toBeCloseTo(PLOT_BOTTOM - 0.15 * 50, 1);
    expect(texts(root)).not.toContain('index, log scale');
  });

  test('the boundaries are vertical lines at their x, under the band letters E..A', () => {
    const root = panel();
    expect(boundaryXs(root)).toEqual([1.6, 1.2, 0.8, 0.4].map(b => LEFT + (b / 2) * 280));
    const letters = allElements(root)
      .filter(
        e => e.name === 'text' && e.attrs['font-size'] === '9.5' && /^[A-E]$/.test(textContent(e))
      )
      .map(e => [textContent(e), Number(e.attrs.x)] as const);
    // E on the left (lowest index), A on the right, each centred in its band.
    expect(letters).toEqual([
      ['E', LEFT + 0.1 * 280],
      ['D', LEFT + 0.3 * 280],
      ['C', LEFT + 0.5 * 280],
      ['B', LEFT + 0.7 * 280],
      ['A', LEFT + 0.9 * 280]
    ]);
  });

  test('the curve runs from share 0 at the left to share 1 at the right through the points', () => {
    const root = panel();
    const curve = allElements(root).find(e => e.attrs.class === 'gaissa-ecdf-curve')!;
    const coords = curve.attrs.d.replace(/[ML]/g, ' ').trim().split(/\s+/).map(Number);
    expect(coords.slice(0, 2)).toEqual([LEFT, PLOT_BOTTOM]);
    expect(coords.slice(-2)).toEqual([RIGHT, PLOT_TOP]);
    // The 11th of 21 points: index 1.0 at share 0.5.
    expect(coords.slice(2 + 20, 2 + 22)).toEqual([LEFT + 140, PLOT_BOTTOM - 25]);
  });

  test('a log scale once the values span more than two decades, and only then', () => {
    const root = panel({ distribution: DECADES, boundaries: [10, 1, 0.1, 0.05], index: 1 });
    expect(texts(root)).toContain('index, log scale');
    // 0.01..100 is four decades over 280 px: 1 sits at 2/4, 10 at 3/4, 0.1 at 1/4.
    expect(point(root).cx).toBeCloseTo(LEFT + 140, 1);
    const xs = boundaryXs(root);
    expect(xs[0]).toBeCloseTo(LEFT + 210, 1);
    expect(xs[2]).toBeCloseTo(LEFT + 70, 1);
    expect(texts(root)).toEqual(expect.arrayContaining(['0.01', '1', '100']));

    // Exactly two decades (1..100): linear.
    const two = Array.from({ length: 21 }, (_, k) => 1 + (99 * k) / 20);
    expect(ecdfScale(two, LEFT, RIGHT).log).toBe(false);
    expect(ecdfScale([...two, 0.99], LEFT, RIGHT).log).toBe(true);
    // Zeros are data (an index of 0): a log scale over the positive values draws them at the left.
    const zeros = [0, 0, 0, 0.01, 1, 100];
    const scale = ecdfScale(zeros, LEFT, RIGHT);
    expect(scale.log).toBe(true);
    expect(scale.x(0)).toBe(LEFT);
    expect(scale.x(100)).toBe(RIGHT);
    // Only zeros and one value: nothing to take a log of, linear from 0.
    expect(ecdfScale([0, 0, 5], LEFT, RIGHT)).toMatchObject({ log: false, lo: 0, hi: 5 });
    // A population all at one index still draws a scale.
    expect(ecdfScale([2, 2, 2], LEFT, RIGHT)).toMatchObject({ log: false, lo: 1, hi: 3 });
  });

  test('the plot box the tests assume is the code’s', () => {
    expect(ECDF_PLOT).toEqual({ left: LEFT, right: RIGHT, top: PLOT_TOP, bottom: PLOT_BOTTOM });
  });

  test('without a recorded percentile the point sits on the curve and the text says about', () => {
    const root = panel({ index: 0.25, percentile: null });
    expect(point(root).cy).toBeCloseTo(PLOT_BOTTOM - 0.125 * 50, 1);
    expect(texts(root)).toContain(
      'Index 0.25 (C): at least as good as about 12 % of the population'
    );
  });

  test('shareAt: linear between the points, the highest share among ties, 0 and 1 outside', () => {
    expect(shareAt([0, 1, 2], 0.5)).toBe(0.25);
    expect(shareAt([0, 1, 2], 2)).toBe(1);
    expect(shareAt([1, 2, 3], 0.5)).toBe(0);
    expect(shareAt([1, 2, 3], 9)).toBe(1);
    expect(shareAt([0, 0, 0, 1, 2], 0)).toBe(0.5);
  });
});

describe('the ECDF panel text', () => {
  test('says where the model stands, in whole per cent never rounded up', () => {
    expect(texts(panel({ percentile: 0.73 }))).toContain(
      'Index 1 (C): at least as good as 73 % of the population'
    );
    expect(texts(panel({ percentile: 0.999 }))).toContain(
      'Index 1 (C): at least as good as 99 % of the population'
    );
    expect(texts(panel({ percentile: 0.29 }))).toContain(
      'Index 1 (C): at least as good as 29 % of the population'
    );
    const noIndex = panel({ index: null });
    expect(allElements(noIndex).some(e => e.attrs.class === 'gaissa-ecdf-point')).toBe(false);
    expect(texts(noIndex)).toContain("This model's index is not recorded");
  });

  test('is an accessible group: role img, a title and a description of the whole chart', () => {
    const root = panel({ distribution: DECADES, percentile: 0.73 });
    const group = allElements(root).find(e => e.attrs.class === 'gaissa-label-ecdf')!;
    expect(group.attrs.role).toBe('img');
    expect(group.attrs['data-metric']).toBe('trainingCo2eKg');
    const children = group.children.filter((c): c is XmlElement => typeof c !== 'string');
    expect(children[0].name).toBe('title');
    expect(textContent(children[0])).toContain('where this model stands');
    expect(children[1].name).toBe('desc');
    const desc = textContent(children[1]);
    expect(desc).toContain('log scale');
    expect(desc).toContain('A above 1.6, B above 1.2, C above 0.8, D above 0.4, else E');
    expect(desc).toContain('73 % of the population');
  });

  test('every colour is explicit (the label paints its own background)', () => {
    for (const e of allElements(panel())) {
      if (['text', 'rect', 'circle'].includes(e.name))
        expect(e.attrs.fill).toMatch(/^#[0-9a-f]{6}$/);
      if (e.name === 'line') expect(e.attrs.stroke).toMatch(/^#[0-9a-f]{6}$/);
    }
  });
});

describe('the ECDF section of a record', () => {
  test('one panel per metric with a distribution, in the order asked', () => {
    const r = populationRecord(x => (x.basis.distribution.accuracy = LINEAR));
    const section = drawEcdfSection(r, ['trainingCo2eKg', 'accuracy'], 500)!;
    const root = parseXml(`<svg>${section.svg}</svg>`);
    const groups = allElements(root).filter(e => e.attrs.class === 'gaissa-label-ecdf');
    expect(groups.map(g => g.attrs['data-metric'])).toEqual(['trainingCo2eKg', 'accuracy']);
    expect(section.height).toBeGreaterThan(2 * 100);
    expect(drawEcdfSection(r, ['accuracy'], 0)).not.toBeNull();
    expect(drawEcdfSection(populationRecord(), ['accuracy'], 0)).toBeNull();
  });

  test('the point of a drawn label sits at its percentile within its panel’s plot', () => {
    const root = parseXml(drawLabelSvg(populationRecord()));
    const group = allElements(root).find(e => e.attrs.class === 'gaissa-label-ecdf')!;
    const frame = allElements(group).find(e => e.name === 'rect' && e.attrs.stroke === '#9e9e9e')!;
    const [top, height] = [Number(frame.attrs.y), Number(frame.attrs.height)];
    const { cx, cy } = point(group);
    expect(cy).toBeCloseTo(top + height - 0.73 * height, 1);
    // Index 1 in 0.01..100: the middle of the plot.
    expect(cx).toBeCloseTo(Number(frame.attrs.x) + Number(frame.attrs.width) / 2, 1);
  });

  test.each([
    ['not an array', 'x'],
    ['an object', { 0: 1, 1: 2 }],
    ['one point', [1]],
    ['102 points', Array.from({ length: 102 }, (_, k) => k)],
    ['descending', [3, 2, 1]],
    ['negative', [-1, 0, 1]],
    ['a string inside', [0, '1', 2]],
    ['null inside (NaN through JSON)', [0, null, 2]],
    ['Infinity', [0, 1, Infinity]]
  ])('a malformed distribution (%s) is ignored, never drawn', (_, bad) => {
    const r = populationRecord(x => (x.basis.distribution.trainingCo2eKg = bad));
    expect(ecdfInput(r, 'trainingCo2eKg')).toBeNull();
    const svg = drawLabelSvg(r);
    expect(svg).not.toContain('gaissa-label-ecdf');
    expect(svg).not.toContain('Where you stand');
    expect(parseXml(svg).name).toBe('svg');
  });

  test('101 points are drawn; a distribution object that is not one is ignored', () => {
    const fine = Array.from({ length: 101 }, (_, k) => k / 50);
    expect(
      ecdfInput(
        populationRecord(x => (x.basis.distribution.trainingCo2eKg = fine)),
        'trainingCo2eKg'
      )
    ).not.toBeNull();
    for (const distribution of [null, [DECADES], 'x', 7]) {
      expect(
        ecdfInput(
          populationRecord(x => (x.basis.distribution = distribution)),
          'trainingCo2eKg'
        )
      ).toBeNull();
    }
    // Inherited names are not the record's.
    expect(ecdfInput(populationRecord(), 'constructor')).toBeNull();
  });

  test('malformed boundaries, index or percentile drop that part only', () => {
    const r = populationRecord(x => {
      x.basis.boundaries.trainingCo2eKg = [1, 2, 3, 4];
      x.metrics.trainingCo2eKg.percentile = 1.5;
    });
    const root = parseXml(drawLabelSvg(r));
    expect(boundaryXs(root)).toEqual([]);
    expect(texts(root).join('\n')).toContain('at least as good as about');
    const noIndex = populationRecord(x => (x.metrics.trainingCo2eKg.index = 'big'));
    expect(
      allElements(parseXml(drawLabelSvg(noIndex))).some(e => e.attrs.class === 'gaissa-ecdf-point')
    ).toBe(false);
  });

  test('hostile strings in the record stay text', () => {
    const r = populationRecord(x => {
      x.basis.against.title = HOSTILE;
      x.basis.against.source = HOSTILE;
      x.model.name = HOSTILE;
      x.metrics.trainingCo2eKg.rating = HOSTILE;
      x.basis.distribution[HOSTILE] = DECADES;
      x.metrics[HOSTILE] = { value: 1, index: 1, rating: 'A', percentile: 0.5 };
    });
    const svg = drawLabelSvg(r);
    const root = parseXml(svg);
    expect(allElements(root).map(e => e.name)).not.toContain('script');
    expect(svg).not.toMatch(/<script/i);
    expect(svg).not.toContain('\u202E');
    // Only the real metric gets a panel; the hostile rating reads as none.
    const groups = allElements(root).filter(e => e.attrs.class === 'gaissa-label-ecdf');
    expect(groups.map(g => g.attrs['data-metric'])).toEqual(['trainingCo2eKg']);
    expect(texts(root)).toContain('Index 1: at least as good as 73 % of the population');
    expect(texts(root).some(t => t.startsWith('</text><script>'))).toBe(true);
  });
});
