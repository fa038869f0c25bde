/** The settings plugin: its id binds the schema; it serves the registry's settings, checked. */
import { Signal } from '@lumino/signaling';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../../../../../core/settings-defaults';
import type { IGaissaSettings } from '../../../../../extension/tokens';

jest.mock('@jupyterlab/settingregistry', () => ({
  ISettingRegistry: { name: 'ISettingRegistry' }
}));

// Imported after the mock: the real package does not load outside a browser.
import { settingsPlugin } from '../../../../../extension/plugins/settings/plugin';

const root = join(__dirname, '../../../../..');

/** Just enough of ISettingRegistry: one plugin's settings, changed by `set`. */
function fakeRegistry(composite: Record<string, unknown>) {
  const changed = new Signal<object, void>({});
  const settings = { composite, changed };
  return {
    registry: { load: jest.fn(() => Promise.resolve(settings)) },
    set(next: Record<string, unknown>) {
      settings.composite = next;
      changed.emit();
    }
  };
}

const activate = (registry: unknown) =>
  settingsPlugin.activate({} as never, registry) as IGaissaSettings;

describe('settings plugin', () => {
  it('has the id JupyterLab binds schema/settings/plugin.json to', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string };
    const schemas = readdirSync(join(root, 'schema/settings')).map(f => f.replace(/\.json$/, ''));
    expect(schemas).toEqual(['plugin']);
    expect(settingsPlugin.id).toBe(`${pkg.name}:${schemas[0]}`);
    expect(settingsPlugin.provides?.name).toBe('gaissa-jupyterlab:IGaissaSettings');
  });

  it('serves the defaults until the user’s settings are loaded, then those, checked', async () => {
    const { registry } = fakeRegistry({ region: ' FR ', pue: 0.2 });
    const settings = activate(registry);
    const seen: unknown[] = [];
    settings.changed.connect((_, value) => seen.push(value));
    expect(settings.current).toEqual(DEFAULT_SETTINGS);
    await settings.loaded;
    expect(registry.load).toHaveBeenCalledWith('gaissa-jupyterlab:plugin');
    // The region trimmed, the out-of-range PUE replaced by its default.
    expect(settings.current).toEqual({ ...DEFAULT_SETTINGS, region: 'FR' });
    expect(seen).toEqual([{ ...DEFAULT_SETTINGS, region: 'FR' }]);
  });

  it('tells every change made in the Settings Editor', async () => {
    const fake = fakeRegistry({});
    const settings = activate(fake.registry);
    await settings.loaded;
    const seen: unknown[] = [];
    settings.changed.connect((_, value) => seen.push(value));
    fake.set({ region: 'PL', currency: 'PLN' });
    expect(settings.current).toEqual({ ...DEFAULT_SETTINGS, region: 'PL', currency: 'PLN' });
    expect(seen).toEqual([settings.current]);
  });

  it('keeps the defaults, and still settles, without a registry or when loading fails', async () => {
    const without = activate(null);
    await expect(without.loaded).resolves.toBeUndefined();
    expect(without.current).toEqual(DEFAULT_SETTINGS);

    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const failing = activate({ load: () => Promise.reject(new Error('no schema')) });
    await expect(failing.loaded).resolves.toBeUndefined();
    expect(failing.current).toEqual(DEFAULT_SETTINGS);
    expect(warn).toHaveBeenCalledWith(
      'GAISSA: settings could not be loaded; using defaults',
      expect.any(Error)
    );
    warn.mockRestore();
  });
});
