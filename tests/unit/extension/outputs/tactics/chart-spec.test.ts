/**
 * The tactics chart's Vega-Lite spec, without Vega: one point per variant, the Pareto front as a
 * line in energy order, the recommended variant ringed, the accuracy budget as a rule.
 */
import {
  energyTitle,
  tacticsChartSpec,
  tacticsChartSummary,
  tacticsData,
  tacticsFigure,
  type TacticsChartColors
} from '../../../../../extension/outputs/tactics/chart-spec';
import type { Mark } from '../../../../../extension/shared/charts/svg-chart';
import { inferencePayload, trainingPayload } from '../../fixtures/tactics-payload';

const COLORS: TacticsChartColors = {
  point: '#777',
  pareto: '#17d',
  recommended: '#383',
  budget: '#f70',
  text: '#000',
  mutedText: '#555',
  grid: '#ccc',
  font: 'sans-serif'
};

type Layer = { data?: { values: Record<string, unknown>[] }; mark: { type: string } };

describe('tactics chart spec', () => {
  it('has one point per variant with its energy and quality', () => {
    const p = inferencePayload();
    const data = tacticsData(p);
    expect(data.map(d => [d.name, d.energy, d.quality, d.front])).toEqual(
      p.variants.map(v => [
        v.name,
        v.energyPerInferenceJ,
        v.quality,
        v.pareto ? 'Pareto front' : 'dominated'
      ])
    );
    expect(data.filter(d => d.recommended).map(d => d.name)).toEqual(['quantize-dynamic']);
  });

  it('draws the front in energy order, rings the recommended one, and rules the budget', () => {
    const p = inferencePayload();
    const spec = tacticsChartSpec(p, COLORS) as { layer: Layer[]; $schema: string };
    expect(spec.$schema).toContain('vega-lite');
    const [line, points, ring, labels, rule] = spec.layer;
    expect(line.mark.type).toBe('line');
    const energies = (line.data?.values ?? []).map(d => d.energy as number);
    expect(energies).toEqual([...energies].sort((a, b) => a - b));
    expect(line.data?.values.map(d => d.name)).toEqual(['quantize-dynamic', 'fp16']);
    expect(points.mark.type).toBe('point');
    expect(ring).toMatchObject({ transform: [{ filter: 'datum.recommended' }] });
    expect(labels.mark.type).toBe('text');
    // The baseline's agreement is 1 and the budget 2 points: the rule sits at 0.98.
    expect(rule.mark.type).toBe('rule');
    expect(rule.data?.values[0].budget).toBeCloseTo(0.98, 12);
  });

  it('takes its colours from the theme', () => {
    const spec = tacticsChartSpec(inferencePayload(), COLORS) as {
      layer: Array<{ mark: { color?: string } }>;
      config: { axis: { labelColor: string } };
    };
    expect(spec.layer[0].mark.color).toBe('#17d');
    expect(spec.layer[2].mark.color).toBe('#383');
    expect(spec.config.axis.labelColor).toBe('#555');
  });

  it('uses energy per training run for training comparisons', () => {
    const p = trainingPayload();
    expect(energyTitle(p)).toBe('energy per training run (J)');
    expect(tacticsData(p).map(d => d.energy)).toEqual([5400, 2300, 3900]);
    expect(tacticsChartSummary(p)).toContain('against accuracy for 3 variants');
  });
});

describe('tactics chart figure (what the output draws)', () => {
  const of = <T extends Mark['type']>(marks: readonly Mark[], type: T) =>
    marks.filter((m): m is Extract<Mark, { type: T }> => m.type === type);

  it('draws the spec’s layers: front line in energy order, points by front, ring, labels, budget', () => {
    const p = inferencePayload();
    const figure = tacticsFigure(p, COLORS);
    const [line] = of(figure.marks, 'line');
    expect(line.color).toBe('#17d');
    const xs = line.points.map(pt => pt.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(line.points).toHaveLength(2);
    const points = of(figure.marks, 'point');
    const variants = points.filter(pt => pt.filled);
    expect(variants.map(pt => pt.fields.find(([k]) => k === 'variant')?.[1])).toEqual(
      p.variants.map(v => v.name)
    );
    expect(variants.map(pt => [pt.color, pt.shape])).toEqual(
      p.variants.map(v => (v.pareto ? ['#17d', 'circle'] : ['#777', 'square']))
    );
    expect(variants[0].fields[0]).toEqual([
      'front',
      p.variants[0].pareto ? 'Pareto front' : 'dominated'
    ]);
    const ring = points.filter(pt => !pt.filled);
    expect(ring).toHaveLength(1);
    expect(ring[0]).toMatchObject({ color: '#383', size: 380 });
    expect(ring[0].fields.find(([k]) => k === 'variant')?.[1]).toBe('quantize-dynamic');
    expect(of(figure.marks, 'text').map(t => t.text)).toEqual(p.variants.map(v => v.name));
    const [rule] = of(figure.marks, 'rule');
    expect(rule).toMatchObject({ axis: 'y', color: '#f70', dash: '4 4' });
    expect(rule.value).toBeCloseTo(0.98, 12);
    expect(figure.x).toMatchObject({
      title: 'energy per inference (J)',
      format: '.3~s',
      zero: false
    });
    expect(figure.y).toMatchObject({ title: `${p.metric} (%)`, format: '.1~%', zero: false });
    expect(figure.legend.map(l => l.label)).toEqual(['Pareto front', 'dominated']);
  });

  it('names the training axis and shortens long names on the chart only', () => {
    const p = trainingPayload();
    expect(tacticsFigure(p, COLORS).x.title).toBe('energy per training run (J)');
    const long = inferencePayload();
    long.variants[0].name = 'x'.repeat(40);
    const [label] = of(tacticsFigure(long, COLORS).marks, 'text');
    expect(Array.from(label.text)).toHaveLength(24);
    expect(label.text.endsWith('…')).toBe(true);
  });
});
