/** The early stopping rules as pure arithmetic (core/training-early-stopping.ts). */
import {
  defaultMode,
  earlyStoppingStatus,
  gainPerKJ,
  type EarlyStoppingRule
} from '../../../core/training-early-stopping';

const rule = (over: Partial<EarlyStoppingRule> = {}): EarlyStoppingRule => ({
  monitor: 'val_acc',
  mode: 'max',
  patience: 2,
  minDelta: 0,
  gainWindow: 2,
  startFromEpoch: 0,
  ...over
});

const obs = (values: number[], energyJ = 500) => values.map(value => ({ value, energyJ }));

describe('earlyStoppingStatus', () => {
  test('auto mode: max for accuracy-like metrics, min for losses', () => {
    expect(defaultMode('val_acc')).toBe('max');
    expect(defaultMode('accuracy')).toBe('max');
    expect(defaultMode('val_loss')).toBe('min');
    expect(defaultMode('mse')).toBe('min');
  });

  test('patience counts epochs without improvement since the best', () => {
    const values = [0.8, 0.85, 0.84, 0.86, 0.86, 0.85];
    const stops = values.map(
      (_, i) => earlyStoppingStatus(obs(values.slice(0, i + 1)), rule()).stop
    );
    expect(stops).toEqual([null, null, null, null, null, 'patience']);
    const last = earlyStoppingStatus(obs(values), rule());
    expect(last).toMatchObject({ best: 0.86, bestEpoch: 4, wait: 2, improved: false });
  });

  test('minDelta: a change must beat the best by more than it', () => {
    const status = earlyStoppingStatus(obs([0.5, 0.505, 0.509]), rule({ minDelta: 0.01 }));
    expect(status).toMatchObject({ bestEpoch: 1, wait: 2, stop: 'patience' });
  });

  test('min mode for losses', () => {
    const status = earlyStoppingStatus(
      obs([1, 0.5, 0.6, 0.55]),
      rule({ monitor: 'val_loss', mode: 'min' })
    );
    expect(status).toMatchObject({ best: 0.5, bestEpoch: 2, stop: 'patience' });
  });

  test('startFromEpoch holds any stop back', () => {
    const values = [0.9, 0.8, 0.8, 0.8];
    expect(earlyStoppingStatus(obs(values), rule({ startFromEpoch: 5 })).stop).toBeNull();
    expect(earlyStoppingStatus(obs(values), rule({ startFromEpoch: 3 })).stop).toBe('patience');
  });

  test('NaN never counts as an improvement', () => {
    const status = earlyStoppingStatus(obs([0.5, NaN, NaN]), rule());
    expect(status).toMatchObject({ best: 0.5, bestEpoch: 1, stop: 'patience' });
  });
});

describe('energy-aware rule', () => {
  test('gain per kJ: best now minus best a window ago, over the window energy', () => {
    // window 2: best before = 0.80 (epoch 1), best now = 0.86, over 2 x 0.5 kJ = 0.06 per kJ.
    expect(gainPerKJ(obs([0.8, 0.85, 0.86]), 2, 'max')).toBeCloseTo(0.06, 12);
    expect(gainPerKJ(obs([1.0, 0.7, 0.6], 250), 1, 'min')).toBeCloseTo(0.4, 12);
    expect(gainPerKJ(obs([0.8, 0.85]), 2, 'max')).toBeNull();
  });

  test('stops when the gain per kJ falls below the threshold, before patience would', () => {
    const values = [0.8, 0.9, 0.92, 0.925, 0.926];
    const r = rule({ patience: 5, minGainPerKJ: 0.02, gainWindow: 2 });
    const stops = values.map((_, i) => earlyStoppingStatus(obs(values.slice(0, i + 1)), r));
    // gains per kJ: epoch 3 (0.92 - 0.80) / 1 = 0.12; epoch 4 0.025; epoch 5 0.006 < 0.02.
    expect(stops.map(s => s.stop)).toEqual([null, null, null, null, 'energy']);
    expect(stops[4].gainPerKJ).toBeCloseTo(0.006, 10);
  });

  test('a cheap epoch is allowed a smaller gain', () => {
    const values = [0.8, 0.9, 0.92, 0.925, 0.926];
    const r = rule({ patience: 5, minGainPerKJ: 0.02, gainWindow: 2 });
    // 50 J per epoch: the last two epochs gained 0.006 for 0.1 kJ = 0.06 per kJ.
    expect(earlyStoppingStatus(obs(values, 50), r).stop).toBeNull();
  });

  test('no energy measured: any gain passes, no gain stops', () => {
    expect(gainPerKJ(obs([0.8, 0.9], 0), 1, 'max')).toBe(Infinity);
    expect(gainPerKJ(obs([0.8, 0.8], 0), 1, 'max')).toBe(0);
  });
});
