import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  kernelSettings,
  readSettings
} from '../../../../../extension/plugins/settings/gaissa-settings';
import {
  helloMessage,
  parseKernelMessage,
  settingsMessage
} from '../../../../../extension/plugins/meters/meter-messages';
import { power } from '../../fixtures/power-message';

const schema = JSON.parse(
  readFileSync(join(__dirname, '../../../../../schema/meter-comm.schema.json'), 'utf8')
) as object;
const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);

const applied = {
  type: 'settings-applied',
  settings: {
    region: 'FRA',
    regionName: 'France',
    carbonIntensityGPerKWh: 56,
    pue: 1.1,
    pricePerKWh: 0.2,
    currency: 'EUR',
    defaultRepeats: 3,
    autoMeasure: false
  }
};

describe('gaissa.meter messages', () => {
  it('builds hello and settings messages that match the schema', () => {
    const settings = kernelSettings(
      readSettings({ region: 'FR', pue: 1.2, pricePerKWh: 0.3, currency: 'EUR', defaultRepeats: 5 })
    );
    for (const message of [helloMessage(settings), settingsMessage(settings)]) {
      expect(validate(message)).toBe(true);
    }
    expect(validate(helloMessage(kernelSettings(readSettings({}))))).toBe(true);
  });

  it('accepts what the schema accepts', () => {
    for (const message of [
      power,
      { ...power, method: 'rapl', estimated: false, sessionCost: 0.01, currency: 'USD' },
      { ...power, coverage: 0.4 },
      applied,
      { type: 'settings-error', field: 'region', message: 'unknown region "Atlantis"' },
      { type: 'unavailable', reason: 'no meter' }
    ]) {
      expect(validate(message)).toBe(true);
      expect(parseKernelMessage(message)).toEqual(message);
    }
  });

  it.each([
    ['not an object', 'power'],
    ['null', null],
    ['an unknown type', { type: 'reboot' }],
    [
      'a frontend message',
      { type: 'hello', protocol: 1, settings: { pue: 1, defaultRepeats: 1, autoMeasure: false } }
    ],
    ['a negative power', { ...power, powerW: -1 }],
    ['power as text', { ...power, powerW: '23 W' }],
    ['a NaN', { ...power, sessionEnergyJ: Number.NaN }],
    ['an unknown method', { ...power, method: 'guess' }],
    ['a coverage above 1', { ...power, coverage: 1.5 }],
    ['an extra field', { ...power, html: '<b>x</b>' }],
    ['a missing field', (({ sessionCo2eG: _, ...rest }) => rest)(power)],
    ['a bad currency', { ...power, currency: '<script>' }],
    ['a PUE below 1', { ...applied, settings: { ...applied.settings, pue: 0.5 } }],
    ['a fractional repeat', { ...applied, settings: { ...applied.settings, defaultRepeats: 1.5 } }],
    ['an endless reason', { type: 'unavailable', reason: 'x'.repeat(1001) }]
  ])('rejects %s', (_, message) => {
    expect(parseKernelMessage(message)).toBeNull();
    if (
      message !== null &&
      typeof message === 'object' &&
      (message as { type?: string }).type !== 'hello'
    ) {
      // Where the schema can judge it, it agrees (NaN does not survive JSON).
      if (!Number.isNaN((message as { sessionEnergyJ?: number }).sessionEnergyJ)) {
        expect(validate(message)).toBe(false);
      }
    }
  });
});
