/**
 * The charts are drawn as our own SVG, but each is also built as a Vega-Lite spec from the same
 * rows: that spec is the chart's portable description. Checked here against Vega-Lite's own JSON
 * Schema (the vega-lite package's vega-lite-schema.json), so a spec that Vega-Lite would reject
 * fails a test. Compiling that schema takes several seconds: once for the file.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { computeRoi, roiSensitivity } from '../../../../core/roi';
import { powerChartSpec } from '../../../../extension/outputs/measurement/chart-spec';
import {
  co2Chart,
  costChart,
  tornadoChart,
  type ChartContent,
  type RoiChartColors
} from '../../../../extension/outputs/roi/chart-spec';
import {
  tacticsChartSpec,
  type TacticsChartColors
} from '../../../../extension/outputs/tactics/chart-spec';
import { TIMED_SCENARIO } from '../fixtures/roi-payload';
import { inferencePayload, trainingPayload } from '../fixtures/tactics-payload';

const FONT = { text: '#000', mutedText: '#555', grid: '#ccc', font: 'sans-serif' };
const ROI_COLORS: RoiChartColors = {
  baseline: '#f57c00',
  optimized: '#1976d2',
  low: '#1976d2',
  high: '#f57c00',
  co2: '#388e3c',
  ...FONT
};
const TACTICS_COLORS: TacticsChartColors = {
  point: '#777',
  pareto: '#17d',
  recommended: '#383',
  budget: '#f70',
  ...FONT
};

let validate: ValidateFunction;
beforeAll(() => {
  const schema = JSON.parse(
    readFileSync(require.resolve('vega-lite/vega-lite-schema.json'), 'utf8')
  ) as object;
  // Formats (uri, color-hex) are not what this checks; structure and enums are.
  const ajv = new Ajv({ strict: false, allowUnionTypes: true, validateFormats: false });
  validate = ajv.compile(schema);
}, 120_000);

function expectValid(spec: unknown): void {
  const ok = validate(spec);
  expect(ok ? [] : (validate.errors ?? []).slice(0, 3)).toEqual([]);
}

function roiSpec(content: ChartContent): unknown {
  if (content.kind !== 'chart') throw new Error(`no chart: ${content.reason}`);
  return content.spec.spec;
}

describe('chart specs against the Vega-Lite schema', () => {
  it('rejects what Vega-Lite rejects (the check can fail)', () => {
    expect(validate({ mark: 'no-such-mark', data: { values: [] } })).toBe(false);
  });

  it('accepts the power chart, with and without a GPU', () => {
    const point = (t: number, gpuW: number) => ({
      t,
      powerW: 6 + gpuW,
      cpuW: 5,
      gpuW,
      ramW: 1
    });
    const colors = { cpu: 'blue', gpu: 'orange', ram: 'grey', ...FONT };
    expectValid(powerChartSpec([point(0.1, 0), point(0.2, 0)], colors));
    expectValid(powerChartSpec([point(0.1, 80), point(0.2, 90)], colors));
  });

  it('accepts the tactics charts, inference and training', () => {
    expectValid(tacticsChartSpec(inferencePayload(), TACTICS_COLORS));
    expectValid(tacticsChartSpec(trainingPayload(), TACTICS_COLORS));
  });

  it('accepts the ROI cost, CO2e and sensitivity charts', () => {
    const result = computeRoi(TIMED_SCENARIO);
    expectValid(roiSpec(costChart(result, ROI_COLORS)));
    expectValid(roiSpec(co2Chart(result, ROI_COLORS)));
    const sensitivity = roiSensitivity(TIMED_SCENARIO);
    expect(sensitivity).not.toBeNull();
    expectValid(roiSpec(tornadoChart(sensitivity!, 'EUR', ROI_COLORS)));
  });
});
