import { validateScenario } from '../../../../../core/roi';
import {
  checkedScenario,
  controlValues,
  mergeScenario,
  readSavedState,
  sameValues,
  withSavedState
} from '../../../../../extension/outputs/roi/state';
import { PLAIN_SCENARIO, TIMED_SCENARIO } from '../../fixtures/roi-payload';
import { ROI_MIME } from '../../../../../core/mime-types';

describe('ROI slider state', () => {
  it('takes the inputs from the kernel scenario; null for absent fields', () => {
    const values = controlValues(PLAIN_SCENARIO);
    expect(values.pricePerKWh).toBe(0.2);
    expect(values.inferencesPerDay).toBeNull();
    expect(values.carbonIntensity).toBeNull();
    expect(sameValues(values, controlValues({ ...PLAIN_SCENARIO }))).toBe(true);
  });

  it('merges inputs into the kernel scenario and drops what a switched-off group needs', () => {
    const kernel = { ...TIMED_SCENARIO, hardwareSavingsPerYear: 100 };
    const merged = mergeScenario(kernel, {
      inferencesPerDay: null,
      annualGrowth: null,
      horizonYears: null,
      discountRate: null,
      carbonIntensity: null,
      pricePerKWh: 0.4
    });
    expect(merged.hardwareSavingsPerYear).toBeUndefined();
    expect(merged.carbonPricePerTonne).toBeUndefined();
    expect(merged.pricePerKWh).toBe(0.4);
    // Energies always come from the kernel.
    expect(merged.baselineEnergyJ).toBe(kernel.baselineEnergyJ);
    expect(validateScenario(merged).ok).toBe(true);
  });

  it('reports core messages for a scenario core refuses', () => {
    const checked = checkedScenario(PLAIN_SCENARIO, { pricePerKWh: 0 });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.messages[0]).toMatch(/^pricePerKWh: must be greater than 0/);
  });

  it('reads a saved state field by field', () => {
    expect(readSavedState(undefined)).toEqual({ kind: 'none' });
    expect(readSavedState({})).toEqual({ kind: 'none' });
    expect(
      readSavedState({ [ROI_MIME]: { version: 1, scenario: { pue: 1.3, carbonIntensity: null } } })
    ).toEqual({ kind: 'ok', values: { pue: 1.3, carbonIntensity: null } });
    for (const entry of [
      null,
      [],
      'x',
      { version: 1 },
      { version: '1', scenario: {} },
      { version: 1, scenario: { pue: '1.3' } },
      { version: 1, scenario: { pue: Infinity } },
      { version: 1, scenario: { baselineEnergyJ: 1 } },
      { version: 1, scenario: { constructor: 1 } }
    ]) {
      expect(readSavedState({ [ROI_MIME]: entry }).kind).toBe('invalid');
    }
  });

  it('writes the state beside other metadata, and removes it for null', () => {
    const values = controlValues(TIMED_SCENARIO);
    const written = withSavedState({ isolated: false }, values);
    expect(written).toEqual({ isolated: false, [ROI_MIME]: { version: 1, scenario: values } });
    expect(readSavedState(JSON.parse(JSON.stringify(written)))).toEqual({ kind: 'ok', values });
    expect(withSavedState(written, null)).toEqual({ isolated: false });
    expect(withSavedState(null, null)).toEqual({});
  });
});
