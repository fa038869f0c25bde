/** The kernel's settings start from core/settings-defaults.ts, the defaults the extension uses. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

describe('team server settings', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gaissa-settings-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads MLflow's own variable and ours for the experiment and the Pushgateway", () => {
    const store = new SettingsStore(dir, {
      MLFLOW_TRACKING_URI: 'http://mlflow:5000',
      GAISSA_MLFLOW_EXPERIMENT: ' team ',
      GAISSA_PUSHGATEWAY_URL: 'https://pgw.example/'
    });
    expect(store.current).toMatchObject({
      mlflowTrackingUri: 'http://mlflow:5000',
      mlflowExperiment: 'team',
      pushgatewayUrl: 'https://pgw.example/'
    });
    expect(store.sourceOf('mlflowTrackingUri')).toBe('env');
  });

  it('names a refused address without its user and password', () => {
    const store = new SettingsStore(dir, { MLFLOW_TRACKING_URI: 'postgresql://u:pw@db/mlflow' });
    expect(store.warnings).toEqual([
      'MLFLOW_TRACKING_URI: mlflowTrackingUri: must be an http(s) URL, got "postgresql://db/mlflow"'
    ]);
  });

  it("refuses a tracking URI only MLflow's Python client understands, by name", () => {
    const store = new SettingsStore(dir, { MLFLOW_TRACKING_URI: 'databricks' });
    expect(store.current.mlflowTrackingUri).toBeUndefined();
    expect(store.warnings).toEqual([
      'MLFLOW_TRACKING_URI: mlflowTrackingUri: must be an http(s) URL, got "databricks"'
    ]);
    expect(() => store.set('pushgatewayUrl', 'ftp://files.example/x')).toThrow(
      'pushgatewayUrl: must be an http(s) URL, got "ftp://files.example/x"'
    );
  });

  it("lets MLflow's credentials go only to a tracking URI the user chose, not a folder's file", () => {
    writeFileSync(
      join(dir, 'gaissa.config.json'),
      JSON.stringify({ mlflowTrackingUri: 'https://elsewhere.example' })
    );
    // A variable only MLflow's Python client takes is dropped, and the file's address stays.
    const store = new SettingsStore(dir, { MLFLOW_TRACKING_URI: 'databricks' });
    expect(store.teamTargets()).toMatchObject({
      mlflowTrackingUri: 'https://elsewhere.example',
      mlflowEnvCredentials: false
    });
    store.set('mlflowTrackingUri', 'http://mlflow.team:5000');
    expect(store.teamTargets()).toMatchObject({
      mlflowTrackingUri: 'http://mlflow.team:5000',
      mlflowEnvCredentials: true
    });
    const env = new SettingsStore(dir, { MLFLOW_TRACKING_URI: 'http://mlflow.team:5000' });
    expect(env.teamTargets().mlflowEnvCredentials).toBe(true);
  });

  it('unsets a team server with an empty value', () => {
    const store = new SettingsStore(dir, { MLFLOW_TRACKING_URI: 'http://m' });
    store.set('mlflowTrackingUri', '');
    expect(store.current.mlflowTrackingUri).toBeUndefined();
  });
});
