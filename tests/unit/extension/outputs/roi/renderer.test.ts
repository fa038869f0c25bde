/**
 * @jest-environment jsdom
 */
import '../../fixtures/jsdom-globals';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import {
  RoiRenderer,
  roiRendererFactory,
  type RoiLoaders
} from '../../../../../extension/outputs/roi/renderer';
import * as widget from '../../../../../extension/outputs/roi/view';
import { timedPayload } from '../../fixtures/roi-payload';
import { ROI_MIME } from '../../../../../core/mime-types';

/** A mime model whose setData behaves like JupyterLab's OutputModel, re-rendering as it does. */
function outputModel(payload: unknown, metadata: Record<string, unknown> = {}) {
  const model = {
    trusted: false,
    data: { [ROI_MIME]: payload as never, 'text/plain': 'GAISSA ROI' },
    metadata: metadata as IRenderMime.IMimeModel['metadata'],
    renderers: [] as RoiRenderer[],
    setData(options: IRenderMime.IMimeModel.ISetDataOptions) {
      if (options.data) model.data = options.data as never;
      if (options.metadata) model.metadata = options.metadata;
      // OutputArea calls renderModel again on the same renderer after a change.
      for (const r of model.renderers) void r.renderModel(model);
    }
  };
  return model;
}

function loaders(draw = jest.fn(async () => undefined)): RoiLoaders {
  return {
    widget: async () => widget,
    charts: async () => ({ createRoiCharts: () => ({ draw, dispose: () => undefined }) }) as never
  };
}

afterEach(() => {
  document.body.textContent = '';
  jest.useRealTimers();
});

describe('RoiRenderer', () => {
  it('is a safe factory for the ROI mime type, ahead of text/html', () => {
    expect(roiRendererFactory.safe).toBe(true);
    expect(roiRendererFactory.mimeTypes).toEqual([ROI_MIME]);
    expect(roiRendererFactory.defaultRank).toBeLessThan(50);
  });

  it('renders the widget and draws its charts', async () => {
    const draw = jest.fn(async () => undefined);
    const renderer = new RoiRenderer(ROI_MIME, loaders(draw));
    Widget.attach(renderer, document.body);
    await renderer.renderModel(outputModel(timedPayload()));
    expect(renderer.node.querySelector('.gaissa-roi')).not.toBeNull();
    expect(draw).toHaveBeenCalledTimes(1);
    renderer.dispose();
  });

  it('saves the slider state in the output metadata and keeps the live widget', async () => {
    jest.useFakeTimers();
    const model = outputModel(timedPayload(), { other: 'kept' });
    const renderer = new RoiRenderer(ROI_MIME, loaders());
    model.renderers.push(renderer);
    Widget.attach(renderer, document.body);
    await renderer.renderModel(model);
    const root = renderer.node.querySelector('.gaissa-roi');
    const range = renderer.node.querySelector(
      'input[type="range"][data-field="inferencesPerDay"]'
    ) as HTMLInputElement;
    range.focus();
    range.value = '3000000';
    range.dispatchEvent(new Event('input'));
    jest.advanceTimersByTime(widget.PERSIST_DELAY_MS);
    expect(model.metadata).toEqual({
      other: 'kept',
      [ROI_MIME]: {
        version: 1,
        scenario: expect.objectContaining({ inferencesPerDay: 3_000_000, pricePerKWh: 0.25 })
      }
    });
    // The re-render JupyterLab triggers keeps the same DOM, so the slider keeps the focus.
    expect(renderer.node.querySelector('.gaissa-roi')).toBe(root);
    expect(document.activeElement).toBe(range);
    // Reset removes the state, other metadata stays.
    (renderer.node.querySelector('.gaissa-roi-reset') as HTMLButtonElement).click();
    expect(model.metadata).toEqual({ other: 'kept' });
    renderer.dispose();
  });

  it('reopens with the saved state', async () => {
    const model = outputModel(timedPayload(), {
      [ROI_MIME]: { version: 1, scenario: { inferencesPerDay: 3_000_000 } }
    });
    const renderer = new RoiRenderer(ROI_MIME, loaders());
    await renderer.renderModel(model);
    const box = renderer.node.querySelector(
      'input[type="text"][data-field="inferencesPerDay"]'
    ) as HTMLInputElement;
    expect(box.value).toBe('3000000');
  });

  it('builds a new widget when the payload changes', async () => {
    const model = outputModel(timedPayload());
    const renderer = new RoiRenderer(ROI_MIME, loaders());
    await renderer.renderModel(model);
    const first = renderer.node.querySelector('.gaissa-roi');
    model.data = { [ROI_MIME]: timedPayload({ pricePerKWh: 0.3 }) as never };
    await renderer.renderModel(model);
    expect(renderer.node.querySelector('.gaissa-roi')).not.toBe(first);
    expect(renderer.node.querySelectorAll('.gaissa-roi')).toHaveLength(1);
  });

  it('renders a missing payload as an error, not a blank', async () => {
    const renderer = new RoiRenderer(ROI_MIME, loaders());
    await renderer.renderModel({ ...outputModel(null), data: { 'text/plain': 'x' } });
    expect(renderer.node.textContent).toContain('Invalid GAISSA ROI output');
  });
});
