/**
 * The mime extensions JupyterLab loads from package.json's `jupyterlab.mimeExtension`: one per
 * GAISSA output. Their ids are kept as they are, since JupyterLab settings may refer to them.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { labelRendererFactory } from '../outputs/label/renderer';
import { measurementRendererFactory } from '../outputs/measurement/renderer';
import { profileRendererFactory } from '../outputs/profile/renderer';
import { roiRendererFactory } from '../outputs/roi/renderer';
import { tacticsRendererFactory } from '../outputs/tactics/renderer';

/** Per output: the name in its extension id, its renderer, and what the extension manager says. */
const OUTPUTS: ReadonlyArray<[name: string, IRenderMime.IRendererFactory, description: string]> = [
  [
    'measurement',
    measurementRendererFactory,
    'Renders GAISSA energy measurements as cards with a power chart.'
  ],
  [
    'label',
    labelRendererFactory,
    'Renders GAISSA energy labels (A-E, SCI) with details, phase switch and downloads.'
  ],
  [
    'roi',
    roiRendererFactory,
    'Renders GAISSA ROI analyses as a widget with sliders and live charts.'
  ],
  [
    'tactics',
    tacticsRendererFactory,
    'Renders GAISSA tactics comparisons: table of variants and energy-vs-accuracy chart.'
  ],
  [
    'profile',
    profileRendererFactory,
    'Renders GAISSA energy profiles: energy per line of code and a flame graph of functions.'
  ]
];

const mimeExtensions: IRenderMime.IExtension[] = OUTPUTS.map(
  ([name, rendererFactory, description]) => ({
    id: `gaissa-jupyterlab:${name}-renderer`,
    description,
    rendererFactory,
    rank: rendererFactory.defaultRank,
    dataType: 'json'
  })
);

export default mimeExtensions;
