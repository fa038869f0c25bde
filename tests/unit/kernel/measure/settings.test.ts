/** The kernel's settings start from core/settings-defaults.ts, the defaults the extension uses. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_KERNEL_SETTINGS, DEFAULT_SETTINGS } from '../../../../core/settings-defaults';
import { SETTING_KEYS, SettingsStore, parseSetting } from '../../../../kernel/measure/settings';

describe('kernel settings defaults', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gaissa-settings-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the shared defaults when no file, variable or frontend sets anything', () => {
    const store = new SettingsStore(dir, {});
    expect(store.current).toEqual(DEFAULT_KERNEL_SETTINGS);
    for (const key of SETTING_KEYS) expect(store.sourceOf(key)).toBe('default');
    expect(store.warnings).toEqual([]);
  });

  it('goes back to the shared default when a setting is cleared', () => {
    expect(parseSetting('pue', '')).toEqual({ pue: DEFAULT_SETTINGS.pue });
    expect(parseSetting('defaultRepeats', '')).toEqual({
      defaultRepeats: DEFAULT_SETTINGS.defaultRepeats
    });
    expect(parseSetting('autoMeasure', '')).toEqual({ autoMeasure: DEFAULT_SETTINGS.autoMeasure });
  });

  it('knows every setting the Settings Editor offers', () => {
    for (const key of Object.keys(DEFAULT_SETTINGS)) expect(SETTING_KEYS).toContain(key);
  });
});
