/**
 * The ROI model without a DOM: values, problems, core's results, the changed signal and the
 * saved state.
 */
import { computeRoi, roiSensitivity, type RoiPayload } from '../../../../../core/roi';
import { ROI_MIME } from '../../../../../core/mime-types';
import { PERSIST_DELAY_MS, RoiModel } from '../../../../../extension/outputs/roi/model';
import type { ControlValues } from '../../../../../extension/outputs/roi/state';
import {
  plainPayload,
  timedPayload,
  TIMED_SCENARIO,
  whatIfPayload
} from '../../fixtures/roi-payload';

function open(payload: RoiPayload = timedPayload(), metadata: unknown = {}) {
  const persist = jest.fn<void, [ControlValues | null]>();
  const model = new RoiModel(payload, metadata, { persist });
  const changes = jest.fn();
  model.changed.connect(changes);
  return { model, persist, changes };
}

const saved = (scenario: unknown, version: unknown = 1) => ({
  [ROI_MIME]: { version, scenario }
});

afterEach(() => jest.useRealTimers());

describe('ROI model', () => {
  it('opens on the kernel scenario and result', () => {
    const payload = timedPayload();
    const { model } = open(payload);
    expect(model.result).toBe(payload.result);
    expect(model.scenario).toEqual(payload.scenario);
    expect(model.sensitivity).toEqual(roiSensitivity(TIMED_SCENARIO));
    expect(model.values.inferencesPerDay).toBe(2e6);
    expect(model.adjusted).toBe(false);
    expect(model.messages).toEqual([]);
    expect(model.notice).toBeNull();
    expect(model.currency).toBe('EUR');
  });

  it('recomputes with core as a value moves, and says so once', () => {
    const { model, changes } = open();
    model.setValue('inferencesPerDay', 4e6);
    const scenario = { ...TIMED_SCENARIO, inferencesPerDay: 4e6 };
    expect(changes).toHaveBeenCalledTimes(1);
    expect(model.result).toEqual(computeRoi(scenario));
    expect(model.sensitivity).toEqual(roiSensitivity(scenario));
    expect(model.scenario.inferencesPerDay).toBe(4e6);
    expect(model.adjusted).toBe(true);
  });

  it('runs core again only when the values change', () => {
    const { model, changes } = open();
    model.setText('pricePerKWh', '0.3');
    const result = model.result;
    model.setText('pricePerKWh', '0,3');
    expect(changes).toHaveBeenCalledTimes(2);
    expect(model.result).toBe(result);
    model.setValue('pricePerKWh', 0.25);
    // Back on the kernel's values: the kernel's own result.
    expect(model.result).toBe(model.payload.result);
  });

  it('reads typed text in shown units: percentages, thousands, decimal commas', () => {
    const { model } = open();
    model.setText('discountRate', '12 %');
    model.setText('inferencesPerDay', '3,000,000');
    model.setText('pricePerKWh', '0,3');
    expect(model.values).toMatchObject({
      discountRate: 0.12,
      inferencesPerDay: 3e6,
      pricePerKWh: 0.3
    });
    expect(model.result).toEqual(
      computeRoi({ ...TIMED_SCENARIO, discountRate: 0.12, inferencesPerDay: 3e6, pricePerKWh: 0.3 })
    );
  });

  it('keeps the last valid result, with the reason, while a typed value is invalid', () => {
    const { model } = open();
    model.setValue('pricePerKWh', 0.4);
    const result = model.result;
    model.setText('pue', '0.5');
    expect(model.problems.get('pue')).toMatch(/at least 1/);
    expect(model.messages).toEqual([model.problems.get('pue')]);
    expect(model.result).toBe(result);
    expect(model.values.pue).toBe(1.2);
    // The slider of the same field fixes it.
    model.setValue('pue', 1.5);
    expect(model.problems.size).toBe(0);
    expect(model.messages).toEqual([]);
    expect(model.result).toEqual(computeRoi({ ...TIMED_SCENARIO, pricePerKWh: 0.4, pue: 1.5 }));
  });

  it('shows the neutral value of a field the kernel left out, and keeps it out', () => {
    const { model } = open(whatIfPayload());
    expect(model.values.pue).toBeNull();
    expect(model.shownValue('pue')).toBe(1);
    expect(model.shownValue('carbonPricePerTonne')).toBe(0);
    model.setValue('pue', 1.5);
    expect(model.adjusted).toBe(true);
    model.setValue('pue', 1);
    expect(model.values.pue).toBeNull();
    expect(model.adjusted).toBe(false);
  });

  it('switches the time scenario off and on', () => {
    const { model } = open();
    model.setGroup('time', false);
    expect(model.groupOn('time')).toBe(false);
    expect(model.values).toMatchObject({
      inferencesPerDay: null,
      annualGrowth: null,
      horizonYears: null,
      discountRate: null
    });
    expect(model.shownValue('annualGrowth')).toBeNull();
    expect(model.result.npv).toBeUndefined();
    model.setGroup('time', true);
    expect(model.values).toMatchObject({ inferencesPerDay: 2e6, horizonYears: 3 });
    expect(model.result).toBe(model.payload.result);
  });

  it('starts a time scenario the kernel did not have from the reported volume', () => {
    const { model } = open(plainPayload());
    expect(model.groupOn('time')).toBe(false);
    model.setGroup('time', true);
    expect(model.values.inferencesPerDay).toBe(Math.round(1_000_000 / 365));
    expect(model.values.horizonYears).toBe(3);
    expect(model.result.npv).toBe(
      computeRoi({
        ...plainPayload().scenario,
        inferencesPerDay: Math.round(1_000_000 / 365),
        horizonYears: 3
      }).npv
    );
  });

  it('asks for a grid intensity when carbon is switched on without one', () => {
    const { model, persist } = open(plainPayload());
    jest.useFakeTimers();
    model.setGroup('carbon', true);
    expect(model.groupOn('carbon')).toBe(true);
    expect(model.problems.get('carbonIntensity')).toBe(
      'Carbon intensity: enter a value (g CO2e per kWh).'
    );
    expect(model.problems.has('carbonPricePerTonne')).toBe(false);
    jest.advanceTimersByTime(PERSIST_DELAY_MS);
    expect(persist).not.toHaveBeenCalled();
    model.setText('carbonIntensity', '400');
    expect(model.messages).toEqual([]);
    expect(model.result.co2SavedKg).toBe(
      computeRoi({ ...plainPayload().scenario, carbonIntensity: 400 }).co2SavedKg
    );
    model.setGroup('carbon', false);
    expect(model.problems.size).toBe(0);
    expect(model.result.co2SavedKg).toBeNull();
  });

  it('saves the state after the last change, not while a value is invalid', () => {
    jest.useFakeTimers();
    const { model, persist } = open();
    model.setValue('pricePerKWh', 0.4);
    model.setValue('pricePerKWh', 0.5);
    expect(persist).not.toHaveBeenCalled();
    jest.advanceTimersByTime(PERSIST_DELAY_MS);
    expect(persist).toHaveBeenCalledTimes(1);
    expect(persist.mock.calls[0][0]).toMatchObject({ pricePerKWh: 0.5, inferencesPerDay: 2e6 });
    model.setText('pricePerKWh', 'abc');
    model.setValue('horizonYears', 5);
    jest.advanceTimersByTime(PERSIST_DELAY_MS * 2);
    expect(persist).toHaveBeenCalledTimes(1);
  });

  it('saves no state once the values are the kernel values again', () => {
    jest.useFakeTimers();
    const { model, persist } = open();
    model.setValue('horizonYears', 5);
    model.setValue('horizonYears', 3);
    jest.advanceTimersByTime(PERSIST_DELAY_MS);
    expect(persist).toHaveBeenCalledWith(null);
  });

  it('resets to the kernel scenario and drops the saved state at once', () => {
    jest.useFakeTimers();
    const { model, persist, changes } = open(timedPayload(), saved({ pue: 1.5 }));
    expect(model.values.pue).toBe(1.5);
    model.setText('pricePerKWh', 'x');
    model.reset();
    expect(persist).toHaveBeenCalledTimes(1);
    expect(persist).toHaveBeenLastCalledWith(null);
    expect(model.values.pue).toBe(1.2);
    expect(model.problems.size).toBe(0);
    expect(model.result).toBe(model.payload.result);
    expect(changes).toHaveBeenCalledTimes(2);
    jest.advanceTimersByTime(PERSIST_DELAY_MS * 2);
    expect(persist).toHaveBeenCalledTimes(1);
  });

  it('opens with a saved state core accepts, and says why it ignores another', () => {
    const { model } = open(timedPayload(), saved({ inferencesPerDay: 5e6, pricePerKWh: 0.3 }));
    expect(model.adjusted).toBe(true);
    expect(model.result).toEqual(
      computeRoi({ ...TIMED_SCENARIO, inferencesPerDay: 5e6, pricePerKWh: 0.3 })
    );
    for (const metadata of [
      saved({ pricePerKWh: 0 }),
      saved({}, 2),
      saved({ baselineEnergyJ: 1 }),
      { [ROI_MIME]: 'oops' }
    ]) {
      const ignored = open(timedPayload(), metadata).model;
      expect(ignored.notice).toMatch(/^The slider state saved in this notebook was ignored: .+\.$/);
      expect(ignored.adjusted).toBe(false);
      expect(ignored.result).toBe(ignored.payload.result);
    }
  });

  it('follows a state saved by another view, and ignores what it cannot take', () => {
    const { model, changes, persist } = open();
    model.applySaved(saved({ horizonYears: 7 }));
    expect(model.values.horizonYears).toBe(7);
    expect(model.result.yearly).toHaveLength(7);
    expect(changes).toHaveBeenCalledTimes(1);
    // The same state again (our own save coming back) changes nothing.
    model.applySaved(saved({ horizonYears: 7 }));
    model.applySaved(saved({ horizonYears: 'x' }));
    expect(changes).toHaveBeenCalledTimes(1);
    model.applySaved(saved({ pricePerKWh: 0 }));
    expect(model.notice).toMatch(/^A slider state from another view was ignored: pricePerKWh/);
    expect(model.values.horizonYears).toBe(7);
    expect(changes).toHaveBeenCalledTimes(2);
    model.applySaved({});
    expect(model.values.horizonYears).toBe(3);
    expect(persist).not.toHaveBeenCalled();
  });

  it('writes a pending state when disposed, and takes no change after', () => {
    jest.useFakeTimers();
    const { model, persist, changes } = open();
    model.setValue('pue', 1.5);
    model.dispose();
    expect(persist).toHaveBeenCalledTimes(1);
    expect(persist).toHaveBeenCalledWith(expect.objectContaining({ pue: 1.5 }));
    model.setValue('pue', 2);
    model.reset();
    jest.advanceTimersByTime(PERSIST_DELAY_MS);
    expect(persist).toHaveBeenCalledTimes(1);
    expect(changes).toHaveBeenCalledTimes(1);
    expect(model.isDisposed).toBe(true);
  });
});
