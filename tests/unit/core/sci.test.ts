import { FieldError } from '../../../core/field-error';
import { HOURS_PER_YEAR, computeSci, embodiedEmissionsG, parseSciInput } from '../../../core/sci';

describe('SCI = (E x I + M) / R, M = TE x (TiR / EL) x (RR / ToR)', () => {
  test('operational emissions only, per functional unit', () => {
    const r = computeSci({ energyKWh: 2, carbonIntensity: 300, functionalUnits: 1000 });
    expect(r.operationalG).toBeCloseTo(0.6, 12);
    expect(r.embodiedG).toBe(0);
    expect(r.sciG).toBeCloseTo(0.6, 12);
    expect(r.disclosure).toEqual({
      standard: 'ISO/IEC 21031:2024 (GSF SCI)',
      boundary: expect.any(String),
      functionalUnit: 'unit',
      method: 'location-based',
      carbonIntensityGPerKWh: 300,
      embodied: 'not included'
    });
  });

  test('embodied share: a year reserved of a 4-year lifespan, half the machine', () => {
    const embodied = { totalKg: 1000, lifespanYears: 4, reservedHours: 8760, resourceShare: 0.5 };
    // M = 1,000,000 g x (8760 / 35040) x 0.5 = 125,000 g
    expect(embodiedEmissionsG(embodied)).toBeCloseTo(125000, 6);
    const r = computeSci({
      energyKWh: 10,
      carbonIntensity: 400,
      embodied,
      functionalUnits: 1000,
      functionalUnit: 'inference',
      boundary: 'CPU package + DRAM'
    });
    expect(r.operationalG).toBeCloseTo(4, 12);
    expect(r.embodiedG).toBeCloseTo(125, 9);
    expect(r.sciG).toBeCloseTo(129, 9);
    expect(r.disclosure).toMatchObject({
      functionalUnit: 'inference',
      boundary: 'CPU package + DRAM',
      embodied: 'included'
    });
    expect(r.input.embodied).toEqual(embodied);
  });

  test('a year is 8,760 hours', () => {
    expect(HOURS_PER_YEAR).toBe(8760);
    const m = embodiedEmissionsG({
      totalKg: 1,
      lifespanYears: 1,
      reservedHours: 1,
      resourceShare: 1
    });
    expect(m).toBeCloseTo(1000 / 8760, 12);
  });

  test('SCI scales with 1/R', () => {
    const one = computeSci({ energyKWh: 1, carbonIntensity: 100, functionalUnits: 1 });
    const ten = computeSci({ energyKWh: 1, carbonIntensity: 100, functionalUnits: 10 });
    expect(ten.sciG * 10).toBeCloseTo(one.sciG, 12);
  });

  test('zero energy and zero intensity are valid (a renewable-only grid still pays embodied)', () => {
    const r = computeSci({
      energyKWh: 0,
      carbonIntensity: 0,
      functionalUnits: 1,
      embodied: { totalKg: 10, lifespanYears: 1, reservedHours: 876, resourceShare: 1 }
    });
    expect(r.operationalG).toBe(0);
    expect(r.sciG).toBeCloseTo(1000, 9);
  });
});

describe('SCI input validation names the field', () => {
  const ok = { energyKWh: 1, carbonIntensity: 100, functionalUnits: 1 };
  const embodied = { totalKg: 1, lifespanYears: 1, reservedHours: 1, resourceShare: 1 };
  test.each([
    [{ ...ok, energyKWh: -1 }, 'energyKWh'],
    [{ ...ok, carbonIntensity: -5 }, 'carbonIntensity'],
    [{ ...ok, carbonIntensity: null }, 'carbonIntensity'],
    [{ ...ok, functionalUnits: 0 }, 'functionalUnits'],
    [{ energyKWh: 1, carbonIntensity: 100 }, 'functionalUnits'],
    [{ ...ok, offsetsKg: 3 }, 'offsetsKg'],
    [{ ...ok, marketBasedIntensity: 3 }, 'marketBasedIntensity'],
    [{ ...ok, embodied: { ...embodied, lifespanYears: 0 } }, 'embodied.lifespanYears'],
    [{ ...ok, embodied: { ...embodied, resourceShare: 1.5 } }, 'embodied.resourceShare'],
    [{ ...ok, embodied: { ...embodied, totalKg: -1 } }, 'embodied.totalKg'],
    [{ ...ok, embodied: { ...embodied, extra: 1 } }, 'embodied.extra'],
    [{ ...ok, embodied: 5 }, 'embodied'],
    [{ ...ok, functionalUnit: '' }, 'functionalUnit']
  ])('%j -> %s', (input, field) => {
    let caught: unknown;
    try {
      parseSciInput(input);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FieldError);
    expect((caught as FieldError).field).toBe(field);
  });

  test('offsets are refused with the reason', () => {
    expect(() => parseSciInput({ ...ok, offsetsKg: 3 })).toThrow(/offsets .* never lower/);
  });

  test('nested path when used inside a label request', () => {
    expect(() => parseSciInput({ ...ok, energyKWh: -1 }, 'sci')).toThrow(/^sci\.energyKWh:/);
  });
});

describe('SCI figures that overflow are out of range, never Infinity or null', () => {
  test('operational: E x I / R beyond the largest double names energyKWh', () => {
    expect(() =>
      computeSci({ energyKWh: 1e308, carbonIntensity: 400, functionalUnits: 1 })
    ).toThrow(/^energyKWh: E x I \/ R = 1e\+308 x 400 \/ 1 overflows/);
    expect(computeSci({ energyKWh: 1e300, carbonIntensity: 400, functionalUnits: 1 }).sciG).toBe(
      4e302
    );
  });

  test('embodied: a total that overflows names embodied', () => {
    const embodied = { totalKg: 1e306, lifespanYears: 1, reservedHours: 8760, resourceShare: 1 };
    expect(() =>
      computeSci({ energyKWh: 1, carbonIntensity: 1, functionalUnits: 1, embodied })
    ).toThrow(FieldError);
  });
});
