/**
 * The tactics chart's Vega-Lite spec, without Vega: one point per variant, the Pareto front as a
 * line in energy order, the recommended variant ringed, the accuracy budget as a rule.
 */
import {
  energyTitle,
  tacticsChartSpec,
  tacticsChartSummary,
  tacticsData,
  type TacticsChartColors
} from '../../../../../extension/outputs/tactics/chart-spec';
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
