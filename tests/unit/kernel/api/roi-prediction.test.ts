// gaissa.roi.whatIf from predictions: gaissa.predict's result (or a compared variant's
// prediction) as the source of energy per inference, named "predicted" with its basis in every
// view; a variant without a prediction is refused with the reason.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gaissa } from '../../../../kernel/api';
import { bundleOf } from '../../../../kernel/display';
import { computeRoi } from '../../../../core/roi';
import { ROI_MIME } from '../../../../core/mime-types';
import { Prediction, type PredictionRecord } from '../../../../kernel/predict/predict';
import { expectValid, roiInputErrors, validateRoi } from '../../fixtures/api-outputs';

function prediction(model: string, energyPerInferenceJ: number): Prediction {
  const record: PredictionRecord = {
    model,
    batch: 32,
    threads: 2,
    method: 'predicted',
    energyPerInferenceJ,
    low: energyPerInferenceJ / 2,
    high: energyPerInferenceJ * 2,
    energyPerCallJ: energyPerInferenceJ * 32,
    latencyMs: 2,
    latencyLowMs: 1,
    latencyHighMs: 4,
    flops: 1e6,
    macs: 5e5,
    bytes: 1e5,
    work: [],
    basis: {
      calibration: join(tmpdir(), 'gaissa-roi-prediction', 'calibration.json'),
      machine: { cpuModel: 'Test CPU', logicalCpus: 2, flags: [], ortVersion: '1' },
      meter: { method: 'estimate', coverage: 0, note: 'estimator' },
      calibratedAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
      points: 30,
      measuredPoints: 3,
      threads: 2,
      interval: '90 % of leave-one-out calibration errors',
      substitutions: []
    }
  };
  return new Prediction(record);
}

const money = { pricePerKWh: 0.25, implementationCost: 100, inferences: 1e9, currency: 'EUR' };

describe('gaissa.roi.whatIf from predictions', () => {
  test('both energies predicted: the figures are the predictions, named predicted with the basis', () => {
    const a = gaissa.roi.whatIf({
      ...money,
      baseline: prediction('mlp', 4e-3),
      optimized: prediction('mlp int8', 1e-3)
    });
    expect(a.scenario).toMatchObject({ baselineEnergyJ: 4e-3, optimizedEnergyJ: 1e-3 });
    expect(a.result.savings).toBeCloseTo(
      computeRoi({ ...money, baselineEnergyJ: 4e-3, optimizedEnergyJ: 1e-3 }).savings,
      9
    );
    expect(a.expected).toBeUndefined();
    const bundle = bundleOf(a);
    expectValid(validateRoi, bundle[ROI_MIME]);
    const text = bundle['text/plain'] as string;
    expect(text).toContain(
      'Source: baseline: predicted (not measured) 4 mJ per inference (2 mJ .. 8 mJ), mlp, batch 32, 2 thread(s); basis: calibration of 30 points at 2 thread(s), 3 from measurements; meter estimate, coverage 0 %'
    );
    expect(text).toContain('Source: optimized: predicted (not measured) 1 mJ per inference');
    expect(text).not.toMatch(/measured \d/);
    expect(a.result.explanations.optimizedEnergyJ).toMatch(
      /^optimized: predicted \(not measured\)/
    );
    expect(bundle['text/html']).toContain('<li>baseline: predicted (not measured) 4 mJ');
  });

  test("a predicted baseline with the literature's reduction: predicted and expected", () => {
    const a = gaissa.roi.whatIf({
      ...money,
      baseline: prediction('mlp', 4e-3).record,
      tactic: 'deep-compression',
      pick: 'high'
    });
    expect(a.scenario.baselineEnergyJ).toBe(4e-3);
    expect(a.scenario.optimizedEnergyJ).toBeCloseTo(4e-3 / 7, 12);
    expect(a.expected?.tactic).toBe('deep-compression');
    expect(a.sources).toEqual([expect.stringMatching(/^baseline: predicted \(not measured\)/)]);
    expect(a.result.explanations.baselineEnergyJ).toMatch(/^baseline: predicted/);
    expectValid(validateRoi, bundleOf(a)[ROI_MIME]);
  });

  test("a compared variant's prediction, and a typed baseline", () => {
    const variant = {
      name: 'int8',
      energyPerInferenceJ: 9e-4,
      prediction: {
        method: 'predicted',
        energyPerInferenceJ: 1.2e-3,
        low: 8e-4,
        high: 1.8e-3,
        latencyMs: 2,
        batch: 64,
        threads: 1,
        basis: 'calibration of 6 points at 1 thread(s)',
        energyErrorPercent: 33,
        latencyErrorPercent: null,
        inInterval: true
      }
    };
    const a = gaissa.roi.whatIf({ ...money, baselineEnergyJ: 4e-3, optimized: variant });
    // The variant's prediction, not its measured figure.
    expect(a.scenario.optimizedEnergyJ).toBe(1.2e-3);
    expect(a.sources[0]).toBe(
      'optimized: predicted (not measured) 1.2 mJ per inference (800 µJ .. 1.8 mJ), batch 64, 1 thread(s); basis: calibration of 6 points at 1 thread(s)'
    );
    const same = gaissa.roi.whatIf({
      ...money,
      baselineEnergyJ: 4e-3,
      optimized: variant.prediction as never
    });
    expect(same.scenario).toEqual(a.scenario);
  });

  test('refuses no prediction, a measurement passed off as a prediction, and ambiguous inputs', () => {
    expect(
      roiInputErrors(() =>
        gaissa.roi.whatIf({
          ...money,
          baselineEnergyJ: 1,
          optimized: { noPrediction: 'unknown operator Foo' }
        })
      )
    ).toEqual([
      {
        field: 'optimized',
        message: expect.stringMatching(
          /^has no prediction \(.*unknown operator Foo.*\): a what-if needs a predicted figure/
        )
      }
    ]);
    const measured = { method: 'measured', energyPerInferenceJ: 1 } as never;
    expect(
      roiInputErrors(() =>
        gaissa.roi.whatIf({ ...money, baseline: measured, tactic: 'deep-compression' })
      )[0]
    ).toMatchObject({
      field: 'baseline',
      message: expect.stringMatching(/^must be a prediction/)
    });
    const both = roiInputErrors(() =>
      gaissa.roi.whatIf({
        ...money,
        baseline: prediction('a', 1),
        baselineEnergyJ: 1,
        optimized: prediction('b', 0.5),
        tactic: 'deep-compression'
      })
    );
    expect(both.map(e => e.field)).toEqual(['baseline', 'optimized']);
    expect(
      roiInputErrors(() =>
        gaissa.roi.whatIf({ ...money, baseline: prediction('a', 1) } as never)
      ).map(e => e.field)
    ).toEqual(['optimized']);
    // The scenario's own fields are still checked.
    expect(
      roiInputErrors(() =>
        gaissa.roi.whatIf({
          ...money,
          pricePerKWh: -1,
          baseline: prediction('a', 1),
          optimized: prediction('b', 0.5)
        })
      ).map(e => e.field)
    ).toContain('pricePerKWh');
  });
});
