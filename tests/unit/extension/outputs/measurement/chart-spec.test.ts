import {
  powerChartSpec,
  powerData,
  segments
} from '../../../../../extension/outputs/measurement/chart-spec';

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

  it('has no actions and carries only numbers and fixed names as data', () => {
    const spec = powerChartSpec([point(0.1, 5)], colors);
    expect(JSON.stringify(spec)).not.toMatch(/usermeta|href|url/);
  });
});
