/**
 * @jest-environment jsdom
 *
 * Prefetching the renderers' chunks for a notebook being opened (issue #4). The notebook panel and
 * its models are stand-ins with the members the prefetcher reads: JupyterLab's NotebookModel is an
 * ES module this jest set-up cannot load. The real JupyterLab is covered by
 * tests/ui/measurement-card.spec.ts (a reopened notebook shows its card) and bench/extension-load.ts.
 */
import '../../fixtures/jsdom-globals';
import type { ICellModel } from '@jupyterlab/cells';
import type { NotebookPanel } from '@jupyterlab/notebook';
import { Signal } from '@lumino/signaling';
import mimeExtensions from '../../../../../extension/renderers/mime-extensions';
import {
  RENDERER_CHUNKS,
  RendererPrefetch,
  gaissaMimeTypes
} from '../../../../../extension/plugins/notebook/saved-output-prefetch';
import { MEASUREMENT_MIME, TACTICS_MIME } from '../../../../../core/mime-types';

type Change = { type: string; newValues: readonly ICellModel[] };

function cell(type: string, ...outputs: Array<Record<string, unknown>>): ICellModel {
  return {
    type,
    outputs: { length: outputs.length, get: (i: number) => ({ data: outputs[i] }) }
  } as unknown as ICellModel;
}

function panel(cells: ICellModel[] = []) {
  const changed = new Signal<object, Change>({});
  const disposed = new Signal<object, void>({});
  const stub = {
    context: { model: { cells: Object.assign([...cells], { changed }) } },
    disposed
  };
  return {
    panel: stub as unknown as NotebookPanel,
    add: (...added: ICellModel[]) => changed.emit({ type: 'add', newValues: added }),
    dispose: () => disposed.emit()
  };
}

/** Loaders that record their calls and resolve when the test says so. */
function loader(name: string, calls: string[]) {
  let release: () => void = () => undefined;
  const done = new Promise<void>(resolve => (release = resolve));
  return { load: jest.fn(() => (calls.push(name), done)), release };
}

const settle = () => new Promise(resolve => setTimeout(resolve, 5));

describe('gaissaMimeTypes', () => {
  it('finds the GAISSA outputs of code cells and nothing else', () => {
    const found = gaissaMimeTypes([
      cell('markdown'),
      cell('code', { 'text/plain': 'x' }, { [MEASUREMENT_MIME]: {}, 'text/html': '<b>' }),
      cell('code'),
      cell('code', { [TACTICS_MIME]: {} }),
      cell('raw', { 'application/vnd.gaissa.roi.v1+json': {} })
    ]);
    expect([...found].sort()).toEqual([MEASUREMENT_MIME, TACTICS_MIME].sort());
    expect(gaissaMimeTypes([cell('code', { 'text/plain': 'a', 'image/png': 'b' })]).size).toBe(0);
  });

  it('knows the chunks of every mime type the mime extension renders', () => {
    const list = Array.isArray(mimeExtensions) ? mimeExtensions : [mimeExtensions];
    const rendered = list.flatMap(e => e.rendererFactory.mimeTypes).sort();
    expect(Object.keys(RENDERER_CHUNKS).sort()).toEqual(rendered);
    for (const chunks of Object.values(RENDERER_CHUNKS)) expect(chunks.length).toBeGreaterThan(0);
  });
});

describe('RendererPrefetch', () => {
  it('loads the card chunk as a notebook opens, before its model holds any cell', () => {
    const onOpen = jest.fn(async () => undefined);
    const prefetch = new RendererPrefetch({}, [onOpen]);
    prefetch.watch(panel().panel);
    expect(onOpen).toHaveBeenCalledTimes(1);
  });

  it('fetches the renderer of outputs found as the model fills, view and chart at once', () => {
    const calls: string[] = [];
    const view = loader('view', calls);
    const chart = loader('chart', calls);
    const prefetch = new RendererPrefetch({ [MEASUREMENT_MIME]: [view.load, chart.load] }, []);
    const notebook = panel();
    prefetch.watch(notebook.panel);
    expect(calls).toEqual([]);
    notebook.add(cell('code', { [MEASUREMENT_MIME]: {} }));
    expect(calls).toEqual(['view', 'chart']);
  });

  it('scans cells already in the model, fetches each renderer once per page', async () => {
    const calls: string[] = [];
    const view = loader('view', calls);
    view.release();
    const prefetch = new RendererPrefetch({ [MEASUREMENT_MIME]: [view.load] }, []);
    const output = { [MEASUREMENT_MIME]: {} };
    prefetch.watch(panel([cell('code', output)]).panel);
    const second = panel([cell('code', output)]);
    prefetch.watch(second.panel);
    prefetch.watch(second.panel); // the factory and the tracker both report a notebook
    second.add(cell('code', output));
    await settle();
    expect(calls).toEqual(['view']);
  });

  it('fetches nothing for a notebook without GAISSA outputs, nor after it is closed', () => {
    const view = jest.fn(async () => undefined);
    const prefetch = new RendererPrefetch({ [MEASUREMENT_MIME]: [view] }, []);
    const notebook = panel([cell('code', { 'text/plain': 'hello' })]);
    prefetch.watch(notebook.panel);
    notebook.add(cell('markdown'));
    notebook.dispose();
    notebook.add(cell('code', { [MEASUREMENT_MIME]: {} }));
    expect(view).not.toHaveBeenCalled();
  });

  it('tries again on a later notebook when a fetch failed', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const view = jest
      .fn<Promise<unknown>, []>()
      .mockRejectedValueOnce(new Error('offline'))
      .mockResolvedValue(undefined);
    const prefetch = new RendererPrefetch({ [MEASUREMENT_MIME]: [view] }, []);
    const output = { [MEASUREMENT_MIME]: {} };
    prefetch.watch(panel([cell('code', output)]).panel);
    await settle();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(MEASUREMENT_MIME), expect.any(Error));
    prefetch.watch(panel([cell('code', output)]).panel);
    await settle();
    expect(view).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });
});
