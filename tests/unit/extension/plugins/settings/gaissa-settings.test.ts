import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_KERNEL_SETTINGS, DEFAULT_SETTINGS } from '../../../../../core/settings-defaults';
import {
  kernelSettings,
  readSettings
} from '../../../../../extension/plugins/settings/gaissa-settings';

const pluginSchema = JSON.parse(
  readFileSync(join(__dirname, '../../../../../schema/settings/plugin.json'), 'utf8')
) as { properties: Record<string, { default: unknown }>; additionalProperties: boolean };

describe('GAISSA settings', () => {
  it('has exactly the Settings Editor schema’s fields, with its defaults', () => {
    const defaults = Object.fromEntries(
      Object.entries(pluginSchema.properties).map(([key, property]) => [key, property.default])
    );
    expect(defaults).toEqual(DEFAULT_SETTINGS);
    expect(pluginSchema.additionalProperties).toBe(false);
  });

  it('reads the registry composite, falling back field by field', () => {
    expect(readSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(
      readSettings({
        region: '  FR ',
        pue: 0.5,
        pricePerKWh: -2,
        currency: 'eur',
        defaultRepeats: 2.5,
        autoMeasure: 'yes'
      })
    ).toEqual({ ...DEFAULT_SETTINGS, region: 'FR' });
    expect(
      readSettings({
        region: 'DE',
        pue: 1.2,
        pricePerKWh: 0.3,
        currency: 'EUR',
        defaultRepeats: 5,
        autoMeasure: true
      })
    ).toEqual({
      region: 'DE',
      pue: 1.2,
      pricePerKWh: 0.3,
      currency: 'EUR',
      defaultRepeats: 5,
      autoMeasure: true
    });
  });

  it('sends at its defaults exactly what the kernel holds as defaults', () => {
    // The meter comm ignores a frontend value equal to the kernel's default, so that a default
    // never overrides the notebook's gaissa.config.json: the two forms must agree.
    expect(kernelSettings({ ...DEFAULT_SETTINGS })).toEqual(DEFAULT_KERNEL_SETTINGS);
  });

  it('leaves unset fields out of what the kernel receives', () => {
    expect(kernelSettings(DEFAULT_SETTINGS)).toEqual({
      pue: 1,
      defaultRepeats: 1,
      autoMeasure: false
    });
    expect(
      kernelSettings({ ...DEFAULT_SETTINGS, region: 'FR', pricePerKWh: 0.2, currency: 'EUR' })
    ).toEqual({
      region: 'FR',
      pue: 1,
      pricePerKWh: 0.2,
      currency: 'EUR',
      defaultRepeats: 1,
      autoMeasure: false
    });
  });
});
