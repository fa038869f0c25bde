/** The mime extension JupyterLab loads from package.json's `jupyterlab.mimeExtension`. */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { labelRendererFactory } from '../outputs/label/renderer';
import { measurementRendererFactory } from '../outputs/measurement/renderer';
import { roiRendererFactory } from '../outputs/roi/renderer';
import { tacticsRendererFactory } from '../outputs/tactics/renderer';

const extension: IRenderMime.IExtension = {
  id: 'gaissa-jupyterlab:measurement-renderer',
  description: 'Renders GAISSA energy measurements as cards with a power chart.',
  rendererFactory: measurementRendererFactory,
  rank: 40,
  dataType: 'json'
};

const labelExtension: IRenderMime.IExtension = {
  id: 'gaissa-jupyterlab:label-renderer',
  description: 'Renders GAISSA energy labels (A-E, SCI) with details, phase switch and downloads.',
  rendererFactory: labelRendererFactory,
  rank: 40,
  dataType: 'json'
};

const roiExtension: IRenderMime.IExtension = {
  id: 'gaissa-jupyterlab:roi-renderer',
  description: 'Renders GAISSA ROI analyses as a widget with sliders and live charts.',
  rendererFactory: roiRendererFactory,
  rank: 40,
  dataType: 'json'
};

const tacticsExtension: IRenderMime.IExtension = {
  id: 'gaissa-jupyterlab:tactics-renderer',
  description:
    'Renders GAISSA tactics comparisons: table of variants and energy-vs-accuracy chart.',
  rendererFactory: tacticsRendererFactory,
  rank: 40,
  dataType: 'json'
};

export default [extension, labelExtension, roiExtension, tacticsExtension];
