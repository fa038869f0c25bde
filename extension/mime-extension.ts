/** The mime extension JupyterLab loads from package.json's `jupyterlab.mimeExtension`. */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { measurementRendererFactory } from './measurement-renderer';

const extension: IRenderMime.IExtension = {
  id: 'gaissa-jupyterlab:measurement-renderer',
  description: 'Renders GAISSA energy measurements as cards with a power chart.',
  rendererFactory: measurementRendererFactory,
  rank: 40,
  dataType: 'json'
};

export default extension;
