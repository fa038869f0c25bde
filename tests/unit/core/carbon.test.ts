import { averageIntensity } from '@tgwf/co2/data';
import {
  co2eGrams,
  energyCost,
  gridIntensity,
  listRegions,
  normalizeRegion,
  PUE_PRESETS,
  resolveCarbonSettings
} from '../../../core/carbon';
import { FieldError } from '../../../core/field-error';

describe('grid intensity (Ember data from @tgwf/co2)', () => {
  it('looks up countries by alpha-2, alpha-3 or name, and aggregates', () => {
    const fra = averageIntensity.data.FRA;
    expect(gridIntensity('FR')?.gPerKWh).toBe(fra);
    expect(gridIntensity('fra')?.gPerKWh).toBe(fra);
    expect(gridIntensity('France')).toMatchObject({ region: 'FRA', name: 'France' });
    expect(gridIntensity('world')?.gPerKWh).toBe(averageIntensity.data.WORLD);
    expect(gridIntensity('EU')?.region).toBe('EU');
    expect(gridIntensity('XK')?.region).toBe('XKX');
    expect(gridIntensity('Atlantis')).toBeUndefined();
    expect(normalizeRegion(' de ')).toBe('DEU');
  });

  it('lists every region of the table', () => {
    const regions = listRegions();
    expect(regions.length).toBe(Object.keys(averageIntensity.data).length);
    expect(regions.every(r => r.gPerKWh >= 0 && r.name.length > 0)).toBe(true);
  });
});

describe('carbon settings', () => {
  it('defaults to the world average and says so', () => {
    const s = resolveCarbonSettings();
    expect(s.region).toBe('WORLD');
    expect(s.pue).toBe(1);
    expect(s.pricePerKWh).toBeNull();
    expect(s.notes.join()).toMatch(/world average/);
  });

  it('accepts an intensity override and PUE presets', () => {
    const s = resolveCarbonSettings({
      region: 'FR',
      carbonIntensityGPerKWh: 20,
      pue: 'enterprise'
    });
    expect(s.carbonIntensityGPerKWh).toBe(20);
    expect(s.carbonIntensitySource).toBe('user override');
    expect(s.pue).toBe(PUE_PRESETS.enterprise);
    expect(resolveCarbonSettings({ pue: '1.2' }).pue).toBe(1.2);
    const custom = resolveCarbonSettings({ region: 'my-grid', carbonIntensityGPerKWh: 100 });
    expect(custom.region).toBe('my-grid');
  });

  it('rejects what would give a wrong figure silently', () => {
    expect(() => resolveCarbonSettings({ region: 'Atlantis' })).toThrow(FieldError);
    expect(() => resolveCarbonSettings({ pue: 0.8 })).toThrow(/at least 1/);
    expect(() => resolveCarbonSettings({ pue: 'cloudy' })).toThrow(FieldError);
    expect(() => resolveCarbonSettings({ pricePerKWh: -1 })).toThrow(FieldError);
    expect(() => resolveCarbonSettings({ currency: 'euro' })).toThrow(FieldError);
  });

  it('computes CO2e = kWh x PUE x g/kWh and cost = kWh x PUE x price', () => {
    const s = resolveCarbonSettings({
      region: 'SE',
      carbonIntensityGPerKWh: 400,
      pue: 1.5,
      pricePerKWh: 0.3,
      currency: 'eur'
    });
    expect(co2eGrams(3.6e6, s)).toBeCloseTo(600, 9);
    expect(energyCost(3.6e6, s)).toBeCloseTo(0.45, 12);
    expect(s.currency).toBe('EUR');
    expect(energyCost(3.6e6, resolveCarbonSettings())).toBeNull();
  });
});
