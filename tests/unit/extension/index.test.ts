/**
 * @jest-environment jsdom
 */
/** The extension's plugin list: each of our services provided once, by one of its plugins. */
import './fixtures/jsdom-globals';
import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import type { Token } from '@lumino/coreutils';

jest.mock('@jupyterlab/application', () => ({ ILabShell: { name: 'ILabShell' } }));
jest.mock('@jupyterlab/apputils', () => ({
  ICommandPalette: { name: 'ICommandPalette' },
  Notification: {}
}));
jest.mock('@jupyterlab/notebook', () => ({ INotebookTracker: { name: 'INotebookTracker' } }));
jest.mock('@jupyterlab/settingregistry', () => ({
  ISettingRegistry: { name: 'ISettingRegistry' }
}));
jest.mock('@jupyterlab/statusbar', () => ({ IStatusBar: { name: 'IStatusBar' } }));

// Imported after the mocks: the real packages do not load outside a browser.
import plugins from '../../../extension/index';

const name = (token: Token<unknown>) => token.name;

describe('the extension’s plugins', () => {
  const list = plugins as JupyterFrontEndPlugin<unknown>[];

  it('keep the settings plugin’s id, and every id is ours and unique', () => {
    const ids = list.map(p => p.id);
    expect(ids).toContain('gaissa-jupyterlab:plugin');
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every(id => id.startsWith('gaissa-jupyterlab:'))).toBe(true);
    expect(list.every(p => p.autoStart === true && typeof p.description === 'string')).toBe(true);
  });

  it('provide each of our services once, and need no service of ours nobody provides', () => {
    const provided = list.flatMap(p => (p.provides ? [name(p.provides)] : []));
    expect(provided.sort()).toEqual([
      'gaissa-jupyterlab:IGaissaMeters',
      'gaissa-jupyterlab:IGaissaSettings',
      'gaissa-jupyterlab:INotebookMeasurements'
    ]);
    const needed = list.flatMap(p => [...(p.requires ?? []), ...(p.optional ?? [])].map(name));
    const ours = needed.filter(n => n.startsWith('gaissa-jupyterlab:'));
    expect(ours.every(n => provided.includes(n))).toBe(true);
    expect(new Set(ours)).toEqual(new Set(provided));
  });
});
