/**
 * @jest-environment jsdom
 */
import '../../fixtures/jsdom-globals';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import {
  MeasurementRenderer,
  measurementRendererFactory,
  type MeasurementLoaders
} from '../../../../../extension/outputs/measurement/renderer';
import { lazyModule } from '../../../../../extension/shared/lazy-module';
import * as view from '../../../../../extension/outputs/measurement/view';
import { asPayload, sampleRecord } from '../../fixtures/measurement-record';
import { MEASUREMENT_MIME } from '../../../../../core/mime-types';

function model(payload: unknown): IRenderMime.IMimeModel {
  return {
    trusted: false,
    data: { [MEASUREMENT_MIME]: payload as never, 'text/plain': 'a measurement' },
    metadata: {},
    setData: () => undefined
  };
}

function loaders(draw: jest.Mock): MeasurementLoaders {
  return {
    view: async () => view,
    chart: async () => ({ drawPowerChart: draw, chartColors: jest.fn() }) as never
  };
}

describe('MeasurementRenderer', () => {
  it('is a safe factory for the measurement mime type, ahead of text/html', () => {
    expect(measurementRendererFactory.safe).toBe(true);
    expect(measurementRendererFactory.mimeTypes).toEqual([MEASUREMENT_MIME]);
    expect(measurementRendererFactory.defaultRank).toBeLessThan(50);
  });

  it('renders the card, then draws the chart into its host', async () => {
    const finalize = jest.fn();
    const draw = jest.fn(async (host: HTMLElement) => {
      host.textContent = 'chart';
      return finalize;
    });
    const renderer = new MeasurementRenderer(MEASUREMENT_MIME, loaders(draw));
    Widget.attach(renderer, document.body);
    await renderer.renderModel(model(asPayload(sampleRecord())));
    expect(renderer.node.querySelector('.gaissa-measurement')).not.toBeNull();
    expect(draw).toHaveBeenCalledTimes(1);
    const [host, timeline] = draw.mock.calls[0] as unknown as [HTMLElement, unknown[]];
    expect(host.classList.contains('gaissa-measurement-chart')).toBe(true);
    expect(timeline.length).toBeGreaterThan(0);
    expect(host.textContent).toBe('chart');
    // A re-render frees the previous chart; disposal frees the last one.
    await renderer.renderModel(model(asPayload(sampleRecord())));
    expect(finalize).toHaveBeenCalledTimes(1);
    renderer.dispose();
    expect(finalize).toHaveBeenCalledTimes(2);
  });

  it('keeps the numbers when the chart cannot be drawn', async () => {
    const draw = jest.fn(async () => {
      throw new Error('no canvas');
    });
    const renderer = new MeasurementRenderer(MEASUREMENT_MIME, loaders(draw));
    await renderer.renderModel(model(asPayload(sampleRecord())));
    expect(renderer.node.textContent).toContain('Energy measurement');
    expect(renderer.node.querySelector('.gaissa-measurement-chart')?.textContent).toContain(
      'could not be drawn (no canvas)'
    );
  });

  it('loads no chart for an invalid payload', async () => {
    const draw = jest.fn();
    const renderer = new MeasurementRenderer(MEASUREMENT_MIME, loaders(draw));
    await renderer.renderModel(model({ schemaVersion: 1, energyJ: 'lots' }));
    expect(renderer.node.querySelector('.gaissa-measurement-invalid')).not.toBeNull();
    expect(draw).not.toHaveBeenCalled();
  });

  it('renders a missing payload as an error, not a blank', async () => {
    const renderer = new MeasurementRenderer(MEASUREMENT_MIME, loaders(jest.fn()));
    await renderer.renderModel({ ...model(null), data: { 'text/plain': 'x' } });
    expect(renderer.node.textContent).toContain('Invalid GAISSA measurement');
  });

  it('shows the newest of two renders whose card code arrives out of order', async () => {
    // JupyterLab re-renders an output whose data changes; the older render must not win.
    const arrivals: Array<() => void> = [];
    const draw = jest.fn(async () => () => undefined);
    const renderer = new MeasurementRenderer(MEASUREMENT_MIME, {
      view: () => new Promise(resolve => arrivals.push(() => resolve(view))),
      chart: async () => ({ drawPowerChart: draw, chartColors: jest.fn() }) as never
    });
    const older = renderer.renderModel(model(asPayload(sampleRecord({ label: 'older' }))));
    const newer = renderer.renderModel(model(asPayload(sampleRecord({ label: 'newer' }))));
    arrivals[1]();
    await newer;
    arrivals[0]();
    await older;
    expect(renderer.node.querySelectorAll('.gaissa-measurement')).toHaveLength(1);
    expect(renderer.node.textContent).toContain('newer');
    expect(renderer.node.textContent).not.toContain('older');
    expect(draw).toHaveBeenCalledTimes(1);
  });

  it('says when the card code cannot be loaded, and loads it again on request', async () => {
    const importer = jest
      .fn<Promise<typeof view>, []>()
      .mockRejectedValueOnce(new Error('Loading chunk 7 failed'))
      .mockResolvedValueOnce(view);
    const renderer = new MeasurementRenderer(MEASUREMENT_MIME, {
      view: lazyModule(importer),
      chart: async () => ({ drawPowerChart: jest.fn(), chartColors: jest.fn() }) as never
    });
    await renderer.renderModel(model(asPayload(sampleRecord())));
    expect(renderer.node.querySelector('[role="alert"]')?.textContent).toContain(
      'The measurement card could not be loaded (Loading chunk 7 failed).'
    );
    renderer.node.querySelector<HTMLButtonElement>('button')!.click();
    await new Promise(resolve => setTimeout(resolve, 0));
    expect(renderer.node.querySelector('.gaissa-measurement')).not.toBeNull();
  });

  it('draws the card in the task its output arrives in once the card code has loaded', async () => {
    // A reopened notebook builds all its cells in one task: an await would put the card after it.
    const viewLoader = lazyModule(async () => view);
    const draw = jest.fn(async () => () => undefined);
    const renderer = new MeasurementRenderer(MEASUREMENT_MIME, {
      view: viewLoader,
      chart: async () => ({ drawPowerChart: draw, chartColors: jest.fn() }) as never
    });
    const first = renderer.renderModel(model(asPayload(sampleRecord())));
    expect(renderer.node.querySelector('.gaissa-measurement')).toBeNull(); // code still loading
    await first;
    expect(renderer.node.querySelector('.gaissa-measurement')).not.toBeNull();
    const again = new MeasurementRenderer(MEASUREMENT_MIME, {
      view: viewLoader,
      chart: async () => ({ drawPowerChart: draw, chartColors: jest.fn() }) as never
    });
    const pending = again.renderModel(model(asPayload(sampleRecord())));
    expect(again.node.querySelector('.gaissa-measurement')).not.toBeNull();
    await pending;
  });
});
