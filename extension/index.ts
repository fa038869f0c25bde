/**
 * The extension's plugins (package.json `jupyterlab.extension`; the renderers are the separate
 * mime extension), one per concern, each declaring the services it needs and provides
 * (tokens.ts). Activation only wires signals: nothing heavy is loaded until it is needed.
 */
import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { measurementsPanelPlugin } from './plugins/measurements-panel/plugin';
import { metersPlugin } from './plugins/meters/plugin';
import { notebookPlugin } from './plugins/notebook/plugin';
import { settingsPlugin } from './plugins/settings/plugin';
import { statusBarPlugin } from './plugins/status-bar/plugin';
import { teamViewPlugin } from './plugins/team-view/plugin';
import { timedActivation } from './plugins/activation-timing';

const plugins: JupyterFrontEndPlugin<unknown>[] = [
  settingsPlugin,
  metersPlugin,
  statusBarPlugin,
  notebookPlugin,
  measurementsPanelPlugin,
  teamViewPlugin
];

export default plugins.map(timedActivation);
