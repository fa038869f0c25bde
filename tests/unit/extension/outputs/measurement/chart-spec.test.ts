import {
  powerChartSpec,
  powerData,
  powerFigure,
  segments
} from '../../../../../extension/outputs/measurement/chart-spec';
import type { Mark } from '../../../../../extension/shared/charts/svg-chart';

const colors = {
  cpu: 'blue',
  gpu: 'orange',
  ram: 'grey',
  text: 'black',
  mutedText: '#555',
  grid: '#ccc',
  font: 'sans-serif'
};

const point = (t: number, cpuW: number, gpuW = 0, ramW = 1) => ({
  t,
  powerW: cpuW + gpuW + ramW,
  cpuW,
  gpuW,
  ramW
});

describe('power chart spec', () => {
  it('stacks the components that drew power, in the theme’s colours', () => {
    const spec = powerChartSpec([point(0.1, 5), point(0.2, 6)], colors) as {
      data: { values: Array<{ component: string }> };
      encoding: { color: { scale: { domain: string[]; range: string[] } } };
    };
    expect(spec.data.values.map(d => d.component)).toEqual(['CPU', 'RAM', 'CPU', 'RAM']);
    expect(spec.encoding.color.scale).toEqual({ domain: ['CPU', 'RAM'], range: ['blue', 'grey'] });
    const withGpu = powerChartSpec([point(0.1, 5, 80)], colors) as typeof spec;
    expect(withGpu.encoding.color.scale.domain).toEqual(['CPU', 'GPU', 'RAM']);
    expect(withGpu.encoding.color.scale.range).toEqual(['blue', 'orange', 'grey']);
  });

  it('breaks the area at pauses between runs', () => {
    expect(segments([0.1, 0.2, 0.3, 1.1, 1.2, 1.3, 5, 5.1])).toEqual([0, 0, 0, 1, 1, 1, 2, 2]);
    expect(segments([])).toEqual([]);
    expect(segments([1])).toEqual([0]);
    const data = powerData([point(0.1, 5), point(0.2, 5), point(0.3, 5), point(3, 5)]);
    expect(new Set(data.map(d => d.segment))).toEqual(new Set([0, 1]));
  });

  it('draws points in time order and leaves out points without a finite time', () => {
    const rows = powerData([point(0.3, 7), point(NaN, 9), point(0.1, 5), point(0.2, 6)]);
    const cpu = rows.filter(r => r.component === rows[0].component);
    expect(cpu.map(r => r.t)).toEqual([0.1, 0.2, 0.3]);
    expect(cpu.map(r => r.watts)).toEqual([5, 6, 7]);
  });

  it('has no actions and carries only numbers and fixed names as data', () => {
    const spec = powerChartSpec([point(0.1, 5)], colors);
    expect(JSON.stringify(spec)).not.toMatch(/usermeta|href|url/);
  });
});

describe('power chart figure (what the card draws)', () => {
  type Area = Extract<Mark, { type: 'area' }>;
  const areas = (marks: readonly Mark[]) => marks.filter((m): m is Area => m.type === 'area');

  it('stacks the spec’s components in its order and colours, each on top of the one before', () => {
    const figure = powerFigure([point(0.1, 5, 80, 2), point(0.2, 6, 70, 2)], colors);
    expect(figure.legend.map(l => [l.label, l.color])).toEqual([
      ['CPU', 'blue'],
      ['GPU', 'orange'],
      ['RAM', 'grey']
    ]);
    const [cpu, gpu, ram] = areas(figure.marks);
    expect(cpu.points).toEqual([
      { x: 0.1, y0: 0, y1: 5 },
      { x: 0.2, y0: 0, y1: 6 }
    ]);
    expect(gpu.points[0]).toEqual({ x: 0.1, y0: 5, y1: 85 });
    expect(ram.points[1]).toEqual({ x: 0.2, y0: 76, y1: 78 });
    expect([cpu.color, gpu.color, ram.color]).toEqual(['blue', 'orange', 'grey']);
    expect(cpu.fields).toEqual([
      ['component', 'CPU'],
      ['power (W)', 'mean 5.5, peak 6']
    ]);
    expect(figure.x.title).toBe('time (s)');
    expect(figure.y).toEqual({ title: 'power (W)' });
  });

  it('draws one area per component and stretch, so no area spans a pause', () => {
    const figure = powerFigure([point(0.1, 5), point(0.2, 5), point(0.3, 5), point(3, 5)], colors);
    const drawn = areas(figure.marks);
    expect(drawn).toHaveLength(4); // CPU and RAM, before and after the pause
    expect(drawn.map(a => a.points.map(p => p.x))).toEqual([
      [0.1, 0.2, 0.3],
      [3],
      [0.1, 0.2, 0.3],
      [3]
    ]);
  });

  it('has nothing to draw for an empty timeline', () => {
    expect(powerFigure([], colors).marks).toEqual([]);
    expect(powerFigure([], colors).legend).toEqual([]);
  });
});
