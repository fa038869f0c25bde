/**
 * The training calibration: measured once with the meter it is given (synthetic tfjs fits), cached
 * per machine and meter, read back without measuring again, refused under `calibrate: 'never'`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NoPredictionError } from '../../../../kernel/predict/onnx-work';
import {
  ensureTrainingCalibration,
  loadTrainingCalibration,
  predictTraining,
  trainingMachine
} from '../../../../kernel/predict/training-calibration';
import { loadTfjs, type Tfjs } from '../../../../kernel/training/tfjs-runtime';
import { fakeMeter } from '../training/fixtures/fake-meter';
import { TINY_WORKLOAD } from './fixtures/tiny-training-workload';

let tf: Tfjs;
let dir: string;
beforeAll(async () => {
  tf = await loadTfjs();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gaissa-training-cal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const options = (extra: object = {}) => ({
  cacheDir: dir,
  meterMethod: 'rapl',
  workload: TINY_WORKLOAD,
  ...extra
});

describe('training calibration', () => {
  test('measured once with the given meter, then read from the cache', async () => {
    const meter = fakeMeter(() => 2);
    const first = await ensureTrainingCalibration(tf, meter, options());
    // One window per warm-up and per point: 2 models x (1 + 2 batch sizes).
    expect(meter.ended).toBe(6);
    expect(first.calibration.points.map(p => [p.model, p.batchSize, p.validationSamples])).toEqual([
      ['tiny-8-4-2', 8, 8],
      ['tiny-8-4-2', 32, 0],
      ['tiny-16-8-2', 16, 0],
      ['tiny-16-8-2', 4, 0]
    ]);
    expect(first.calibration.points.every(p => p.energyJ > 0 && p.energyJ <= 2)).toBe(true);
    expect(first.calibration.key.backend).toBe('wasm');
    const again = fakeMeter();
    const second = await ensureTrainingCalibration(tf, again, options());
    expect(again.ended).toBe(0);
    expect(second.calibration.points).toEqual(first.calibration.points);
  });

  test('another meter method is another calibration; a bad point is dropped', async () => {
    const { path } = await ensureTrainingCalibration(
      tf,
      fakeMeter(() => 1),
      options()
    );
    const { key } = await trainingMachine(tf, { cacheDir: dir, meterMethod: 'estimate' });
    expect(loadTrainingCalibration(path, key)).toBeUndefined();
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    saved.points[0].energyJ = null;
    writeFileSync(path, JSON.stringify(saved));
    const { key: same } = await trainingMachine(tf, { cacheDir: dir, meterMethod: 'rapl' });
    expect(loadTrainingCalibration(path, same)?.points).toHaveLength(3);
  });

  test("calibrate: 'never' without a calibration is no prediction, and measures nothing", async () => {
    const meter = fakeMeter();
    await expect(
      ensureTrainingCalibration(tf, meter, options({ calibrate: 'never' }))
    ).rejects.toThrow(NoPredictionError);
    expect(meter.ended).toBe(0);
  });

  test('an unknown layer says so before any calibration is measured', async () => {
    const model = tf.sequential();
    model.add(tf.layers.simpleRNN({ units: 2, inputShape: [3, 2] }));
    const meter = fakeMeter();
    await expect(
      predictTraining(
        tf,
        model,
        { epochs: 1, samples: 4, batchSize: 2, validationSamples: 0 },
        meter,
        options()
      )
    ).rejects.toThrow(/no prediction: .*SimpleRNN/);
    expect(meter.ended).toBe(0);
  });
});
