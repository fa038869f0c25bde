/** The distribution chart: well-formed SVG, bars on a log scale, percentiles marked. */
import { co2HistogramSvg } from '../../../../kernel/hf/co2-histogram-svg';
import { co2Distribution } from '../../../../kernel/hf/mine-cards';
import { allElements, parseXml, textContent } from '../../fixtures/xml-wellformed';

function drawn(svg: string) {
  const root = parseXml(svg);
  const elements = allElements(root);
  return {
    root,
    bars: elements.filter(e => e.name === 'rect' && e.attrs.fill === '#4c9a6a'),
    texts: elements.filter(e => e.name === 'text').map(textContent)
  };
}

describe('co2HistogramSvg', () => {
  test('one bar per occupied half-decade, percentile marks, zeros counted not drawn', () => {
    const grams = [0, 0.5, 0.6, 40, 45, 3000, 2e6];
    const { root, bars, texts } = drawn(co2HistogramSvg(grams, co2Distribution(grams)));
    expect(root.name).toBe('svg');
    // 0.5 and 0.6 share a bin; 40 and 45 share one; 3000; 2e6.
    expect(bars).toHaveLength(4);
    const heights = bars.map(b => Number(b.attrs.height));
    expect(Math.max(...heights)).toBeCloseTo(2 * Math.min(...heights), 6);
    expect(texts).toEqual(expect.arrayContaining(['20%', '40%', '60%', '80%', '1 t', '1 g']));
    expect(texts).toContain('1 reporting 0 g not drawn');
    expect(texts[0]).toBe('Training CO2e reported by 7 model cards (log scale)');
  });

  test('bars sit left to right in order of grams', () => {
    const { bars } = drawn(co2HistogramSvg([1, 1000, 1e6], null));
    const xs = bars.map(b => Number(b.attrs.x));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(xs).size).toBe(3);
  });

  test('nothing positive: a message, still well-formed', () => {
    const { bars, texts } = drawn(co2HistogramSvg([0], co2Distribution([0])));
    expect(bars).toHaveLength(0);
    expect(texts).toContain('no positive emissions to draw');
  });
});
