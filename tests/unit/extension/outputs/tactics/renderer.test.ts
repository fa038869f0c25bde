/**
 * @jest-environment jsdom
 *
 * The tactics renderer: the table first, then the chart once its chunk loads; a failed chart
 * leaves the table; an invalid payload never loads the chart code; disposal frees the chart.
 */
import '../../fixtures/jsdom-globals';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import mimeExtensions from '../../../../../extension/renderers/mime-extensions';
import {
  TacticsRenderer,
  tacticsRendererFactory,
  type TacticsLoaders
} from '../../../../../extension/outputs/tactics/renderer';
import * as view from '../../../../../extension/outputs/tactics/view';
import { inferencePayload, trainingPayload } from '../../fixtures/tactics-payload';
import { TACTICS_MIME } from '../../../../../core/mime-types';

function model(payload: unknown): IRenderMime.IMimeModel {
  return {
    trusted: false,
    data: { [TACTICS_MIME]: payload as never, 'text/plain': 'a comparison' },
    metadata: {},
    setData: () => undefined
  };
}

function loaders(draw: jest.Mock): TacticsLoaders {
  return {
    view: async () => view,
    chart: async () => ({ drawTacticsChart: draw, tacticsChartColors: jest.fn() }) as never
  };
}

afterEach(() => {
  document.body.textContent = '';
});

describe('TacticsRenderer', () => {
  it('is a safe factory for the tactics mime type, ahead of text/html, and registered', () => {
    expect(tacticsRendererFactory.safe).toBe(true);
    expect(tacticsRendererFactory.mimeTypes).toEqual([TACTICS_MIME]);
    expect(tacticsRendererFactory.defaultRank).toBeLessThan(50);
    const list = Array.isArray(mimeExtensions) ? mimeExtensions : [mimeExtensions];
    expect(list.some(e => e.rendererFactory === tacticsRendererFactory)).toBe(true);
  });

  it('renders the table, then draws the chart into its host', async () => {
    const finalize = jest.fn();
    const draw = jest.fn(async (host: HTMLElement) => {
      host.textContent = 'chart';
      return finalize;
    });
    const renderer = new TacticsRenderer(TACTICS_MIME, loaders(draw));
    Widget.attach(renderer, document.body);
    await renderer.renderModel(model(inferencePayload()));
    expect(renderer.node.classList.contains('gaissa-tactics-output')).toBe(true);
    expect(renderer.node.querySelector('.gaissa-tactics table')).not.toBeNull();
    expect(draw).toHaveBeenCalledTimes(1);
    const [host, payload] = draw.mock.calls[0] as unknown as [HTMLElement, { variants: unknown[] }];
    expect(host.classList.contains('gaissa-tactics-chart')).toBe(true);
    expect(payload.variants).toHaveLength(4);
    expect(host.textContent).toBe('chart');
    // A re-render frees the previous chart; disposal frees the last one.
    await renderer.renderModel(model(trainingPayload()));
    expect(finalize).toHaveBeenCalledTimes(1);
    expect(renderer.node.querySelector('.gaissa-tactics')?.getAttribute('data-phase')).toBe(
      'training'
    );
    renderer.dispose();
    expect(finalize).toHaveBeenCalledTimes(2);
  });

  it('does not load the chart code for an invalid payload', async () => {
    const draw = jest.fn();
    const renderer = new TacticsRenderer(TACTICS_MIME, loaders(draw));
    await renderer.renderModel(model({ schemaVersion: 1 }));
    expect(draw).not.toHaveBeenCalled();
    expect(renderer.node.querySelector('[role="alert"]')?.textContent).toContain(
      'Invalid GAISSA tactics comparison'
    );
  });

  it('keeps the table when the chart cannot be drawn', async () => {
    const draw = jest.fn(async () => {
      throw new Error('<b>no canvas</b>');
    });
    const renderer = new TacticsRenderer(TACTICS_MIME, loaders(draw));
    await renderer.renderModel(model(inferencePayload()));
    const host = renderer.node.querySelector('.gaissa-tactics-chart') as HTMLElement;
    expect(host.textContent).toBe(
      'The energy-vs-quality chart could not be drawn (<b>no canvas</b>).'
    );
    expect(host.querySelector('b')).toBeNull();
    expect(renderer.node.querySelectorAll('tbody tr')).toHaveLength(4);
  });

  it('frees a chart that finishes after the renderer was disposed', async () => {
    const finalize = jest.fn();
    let finish: () => void = () => undefined;
    const draw = jest.fn(
      () =>
        new Promise<() => void>(resolve => {
          finish = () => resolve(finalize);
        })
    );
    const renderer = new TacticsRenderer(TACTICS_MIME, loaders(draw));
    const rendering = renderer.renderModel(model(inferencePayload()));
    await new Promise(resolve => setTimeout(resolve, 0));
    renderer.dispose();
    finish();
    await rendering;
    expect(finalize).toHaveBeenCalledTimes(1);
  });
});
