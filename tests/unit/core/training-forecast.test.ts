/** Forecast arithmetic (core/training-forecast.ts), Carbontracker style. */
import { checkForecast, forecastTraining } from '../../../core/training-forecast';

const carbon = { pue: 1.5, carbonIntensityGPerKWh: 400 };

describe('forecastTraining', () => {
  test('one measured epoch times the planned epochs', () => {
    const f = forecastTraining([{ energyJ: 360, durationS: 2 }], 10, carbon);
    expect(f.energyJ).toBe(3600);
    expect(f.durationS).toBe(20);
    // 3600 J = 0.001 kWh, x PUE 1.5 x 400 g/kWh = 0.6 g.
    expect(f.co2eG).toBeCloseTo(0.6, 12);
    expect(f).toMatchObject({
      basedOnEpochs: 1,
      plannedEpochs: 10,
      perEpoch: { energyJ: 360, durationS: 2 }
    });
  });

  test('several measured epochs: their sum plus their mean for each remaining epoch', () => {
    const f = forecastTraining(
      [
        { energyJ: 500, durationS: 5 }, // a first epoch with warm-up costs
        { energyJ: 300, durationS: 3 }
      ],
      6,
      carbon
    );
    expect(f.perEpoch).toEqual({ energyJ: 400, durationS: 4 });
    expect(f.energyJ).toBe(800 + 4 * 400);
    expect(f.durationS).toBe(8 + 4 * 4);
  });

  test('refuses no epochs, planned < measured and negative figures', () => {
    expect(() => forecastTraining([], 3, carbon)).toThrow(/at least one/);
    expect(() =>
      forecastTraining(
        [
          { energyJ: 1, durationS: 1 },
          { energyJ: 1, durationS: 1 }
        ],
        1,
        carbon
      )
    ).toThrow(/planned/);
    expect(() => forecastTraining([{ energyJ: -1, durationS: 1 }], 3, carbon)).toThrow(/energyJ/);
    expect(() => forecastTraining([{ energyJ: 1, durationS: NaN }], 3, carbon)).toThrow(
      /durationS/
    );
  });
});

describe('checkForecast', () => {
  const epochs = [
    { energyJ: 100, durationS: 1 },
    { energyJ: 120, durationS: 1.5 },
    { energyJ: 80, durationS: 0.5 },
    { energyJ: 100, durationS: 1 }
  ];

  test('forecast vs actual over the epochs run, in percent of actual', () => {
    const f = forecastTraining(epochs.slice(0, 1), 10, carbon);
    const check = checkForecast(f, epochs, carbon);
    expect(check.actual).toMatchObject({ epochs: 4, energyJ: 400, durationS: 4 });
    expect(check.forecastForActualEpochs.energyJ).toBe(400);
    expect(check.energyErrorPercent).toBeCloseTo(0, 12);
    expect(check.durationErrorPercent).toBeCloseTo(0, 12);
    expect(check.forecast.energyJ).toBe(1000); // the planned run, for the record
  });

  test('an over-forecast is positive, an under-forecast negative', () => {
    const high = forecastTraining([{ energyJ: 200, durationS: 2 }], 4, carbon);
    const actual = [
      { energyJ: 200, durationS: 2 },
      ...Array(3).fill({ energyJ: 100, durationS: 1 })
    ];
    const check = checkForecast(high, actual, carbon);
    // forecast 200 + 3 x 200 = 800 vs actual 500: +60 %.
    expect(check.energyErrorPercent).toBeCloseTo(60, 10);
    const low = forecastTraining([{ energyJ: 50, durationS: 1 }], 2, carbon);
    expect(
      checkForecast(
        low,
        [
          { energyJ: 50, durationS: 1 },
          { energyJ: 150, durationS: 1 }
        ],
        carbon
      ).energyErrorPercent
    ).toBeCloseTo(-50, 10);
  });

  test('a run stopped early is judged on the epochs it ran, not the plan', () => {
    const f = forecastTraining(epochs.slice(0, 2), 20, carbon);
    const check = checkForecast(f, epochs, carbon);
    // first two as measured (220) + 2 x mean 110 = 440 vs 400 actual.
    expect(check.forecastForActualEpochs.energyJ).toBe(440);
    expect(check.energyErrorPercent).toBeCloseTo(10, 10);
    expect(check.forecastForActualEpochs.co2eG).toBeCloseTo((440 / 3.6e6) * 1.5 * 400, 12);
  });
});
