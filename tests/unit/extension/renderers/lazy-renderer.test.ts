/**
 * @jest-environment jsdom
 *
 * The renderer base, with a stand-in output: chunks that arrive out of order, disposal while a
 * chunk loads, a chunk that fails (a safe message, then a retry), the User Timing entries, the
 * chart step (drawn after the output, freed when it is replaced or late) and reuse in place.
 */
import '../fixtures/jsdom-globals';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import {
  LazyRenderer,
  errorMessage,
  lazyRendererFactory,
  type ChartStep,
  type RenderedOutput
} from '../../../../extension/renderers/lazy-renderer';
import { lazyModule, type ChunkLoader } from '../../../../extension/shared/lazy-module';

const MIME = 'application/vnd.test.output+json';
const TIMING = { output: 'test:output', chart: 'test:chart' };

declare global {
  interface Window {
    __gaissaPwned?: boolean;
  }
}
const HOSTILE = '<img src=x onerror="window.__gaissaPwned=true">';

/** The chunk: turns a payload into an output whose text is the payload's `text`. */
interface Chunk {
  show(payload: unknown): TestOutput;
}

interface TestOutput extends RenderedOutput {
  host: HTMLElement;
  disposed: boolean;
}

const chunk: Chunk = {
  show(payload) {
    const host = document.createElement('div');
    host.className = 'test-chart';
    host.setAttribute('role', 'img');
    const node = document.createElement('div');
    node.className = 'test-output';
    node.textContent = String((payload as { text?: unknown } | undefined)?.text);
    node.appendChild(host);
    const output: TestOutput = {
      node,
      host,
      disposed: false,
      dispose: () => void (output.disposed = true)
    };
    return output;
  }
};

/** A loader the test settles by hand, one pending load at a time. */
function deferredLoader() {
  const pending: Array<{ resolve: (c: Chunk) => void; reject: (e: unknown) => void }> = [];
  const load = jest.fn(
    () => new Promise<Chunk>((resolve, reject) => pending.push({ resolve, reject }))
  );
  return {
    load,
    resolve: (i = 0) => pending[i].resolve(chunk),
    reject: (error: unknown, i = 0) => pending[i].reject(error)
  };
}

class TestRenderer extends LazyRenderer<Chunk, TestOutput> {
  readonly built: TestOutput[] = [];
  chartStep: ((output: TestOutput) => ChartStep | null) | null = null;
  /** When set, a payload with this text is shown in place instead of rebuilt. */
  inPlace: string | null = null;

  constructor(load: ChunkLoader<Chunk>) {
    super({
      mimeType: MIME,
      className: 'test-renderer',
      load,
      name: 'test output',
      timing: TIMING
    });
  }

  protected build(loaded: Chunk, model: IRenderMime.IMimeModel): TestOutput {
    const output = loaded.show(model.data[this.options.mimeType]);
    this.built.push(output);
    return output;
  }

  protected override chart(output: TestOutput): ChartStep | null {
    return this.chartStep?.(output) ?? null;
  }

  protected override showInPlace(_: TestOutput, model: IRenderMime.IMimeModel): boolean {
    return (model.data[MIME] as { text?: string }).text === this.inPlace;
  }
}

function model(text: string): IRenderMime.IMimeModel {
  return { trusted: false, data: { [MIME]: { text } }, metadata: {}, setData: () => undefined };
}

/** jsdom has no User Timing: a stand-in that keeps what `recordDuration` measures. */
interface Measure {
  name: string;
  start: number;
  end: number;
}
const measures: Measure[] = [];
const timing = performance as unknown as Record<string, unknown>;
beforeEach(() => {
  measures.length = 0;
  timing.clearMeasures = () => undefined;
  timing.measure = (name: string, options: { start: number; end: number }) =>
    measures.push({ name, ...options });
});

const settle = () => new Promise(resolve => setTimeout(resolve, 0));
const shownText = (r: Widget) => r.node.querySelector('.test-output')?.firstChild?.textContent;

afterEach(() => {
  document.body.textContent = '';
  delete window.__gaissaPwned;
  delete timing.measure;
  delete timing.clearMeasures;
});

describe('LazyRenderer', () => {
  it('shows the output of the newest render when chunks arrive out of order', async () => {
    const loader = deferredLoader();
    const renderer = new TestRenderer(loader.load);
    const older = renderer.renderModel(model('older'));
    const newer = renderer.renderModel(model('newer'));
    loader.resolve(1);
    await newer;
    loader.resolve(0);
    await older;
    expect(renderer.built).toHaveLength(1);
    expect(renderer.node.querySelectorAll('.test-output')).toHaveLength(1);
    expect(shownText(renderer)).toBe('newer');
  });

  it('builds nothing when disposed while the chunk loads', async () => {
    const loader = deferredLoader();
    const renderer = new TestRenderer(loader.load);
    const rendering = renderer.renderModel(model('late'));
    renderer.dispose();
    loader.resolve();
    await rendering;
    expect(renderer.built).toHaveLength(0);
    expect(renderer.node.childNodes).toHaveLength(0);
  });

  it('draws in the same task once the chunk has loaded', async () => {
    const load = lazyModule(async () => chunk);
    await load();
    const renderer = new TestRenderer(load);
    const rendering = renderer.renderModel(model('at once'));
    expect(shownText(renderer)).toBe('at once');
    await rendering;
  });

  it('says a chunk failed to load, as text, and loads it again on request', async () => {
    const importer = jest
      .fn<Promise<Chunk>, []>()
      .mockRejectedValueOnce(new Error(HOSTILE))
      .mockResolvedValueOnce(chunk);
    const renderer = new TestRenderer(lazyModule(importer));
    Widget.attach(renderer, document.body);
    await expect(renderer.renderModel(model('retried'))).resolves.toBeUndefined();
    const alert = renderer.node.querySelector<HTMLElement>('.gaissa-load-error[role="alert"]');
    expect(alert?.textContent).toContain(`The test output could not be loaded (${HOSTILE}).`);
    expect(renderer.node.querySelector('img')).toBeNull();
    expect(window.__gaissaPwned).toBeUndefined();
    expect(renderer.built).toHaveLength(0);

    renderer.node.querySelector<HTMLButtonElement>('button.gaissa-retry')!.click();
    await settle();
    expect(importer).toHaveBeenCalledTimes(2);
    expect(renderer.node.querySelector('.gaissa-load-error')).toBeNull();
    expect(shownText(renderer)).toBe('retried');
  });

  it('names whatever was thrown, even what cannot become text', async () => {
    expect(errorMessage(new Error('gone'))).toBe('gone');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(Object.create(null))).toBe('unknown error');
    const renderer = new TestRenderer(async () => Promise.reject(Object.create(null)));
    await renderer.renderModel(model('x'));
    expect(renderer.node.textContent).toContain('could not be loaded (unknown error)');
  });

  it('ignores a failed load that a newer render overtook', async () => {
    const loader = deferredLoader();
    const renderer = new TestRenderer(loader.load);
    const failing = renderer.renderModel(model('old'));
    const fine = renderer.renderModel(model('new'));
    loader.resolve(1);
    await fine;
    loader.reject(new Error('offline'), 0);
    await failing;
    expect(renderer.node.querySelector('.gaissa-load-error')).toBeNull();
    expect(shownText(renderer)).toBe('new');
  });

  it('records the output and chart timings from the arrival', async () => {
    const renderer = new TestRenderer(async () => chunk);
    renderer.chartStep = () => ({ draw: async () => undefined });
    const before = performance.now();
    await renderer.renderModel(model('timed'));
    expect(measures.map(m => m.name)).toEqual([TIMING.output, TIMING.chart]);
    const [output, chart] = measures;
    expect(output.start).toBeGreaterThanOrEqual(before);
    expect(chart.start).toBe(output.start);
    expect(chart.end).toBeGreaterThanOrEqual(output.end);
  });

  it('draws the chart into the output once it is in the DOM, and frees it with the output', async () => {
    const free = jest.fn();
    const draw = jest.fn(async (_: unknown) => {
      expect(document.body.contains(renderer.built.at(-1)!.host)).toBe(true);
      return free;
    });
    const chartCode = { name: 'chart code' };
    const renderer = new TestRenderer(async () => chunk);
    renderer.chartStep = output => ({ load: async () => chartCode, draw, host: output.host });
    Widget.attach(renderer, document.body);
    await renderer.renderModel(model('first'));
    expect(draw).toHaveBeenCalledWith(chartCode);
    await renderer.renderModel(model('second'));
    expect(free).toHaveBeenCalledTimes(1);
    expect(renderer.built[0].disposed).toBe(true);
    expect(renderer.built[1].disposed).toBe(false);
    renderer.dispose();
    expect(free).toHaveBeenCalledTimes(2);
    expect(renderer.built[1].disposed).toBe(true);
  });

  it('frees a chart that a newer render or disposal overtook, and draws none late', async () => {
    const free = jest.fn();
    let finish: () => void = () => undefined;
    const renderer = new TestRenderer(async () => chunk);
    renderer.chartStep = () => ({
      draw: () => new Promise(resolve => (finish = () => resolve(free)))
    });
    const rendering = renderer.renderModel(model('slow chart'));
    await settle();
    renderer.dispose();
    finish();
    await rendering;
    expect(free).toHaveBeenCalledTimes(1);

    let loaded: () => void = () => undefined;
    const draw = jest.fn(async () => free);
    const second = new TestRenderer(async () => chunk);
    second.chartStep = () => ({
      load: () => new Promise<void>(resolve => (loaded = resolve)),
      draw
    });
    const first = second.renderModel(model('one'));
    await settle();
    second.chartStep = null;
    await second.renderModel(model('two'));
    loaded();
    await first;
    expect(draw).not.toHaveBeenCalled();
  });

  it('keeps the output and says, as text, that its chart failed', async () => {
    const renderer = new TestRenderer(async () => chunk);
    renderer.chartStep = output => ({
      draw: async () => Promise.reject(new Error(HOSTILE)),
      host: output.host,
      name: 'test chart'
    });
    await renderer.renderModel(model('figures'));
    const host = renderer.built[0].host;
    expect(host.textContent).toBe(`The test chart could not be drawn (${HOSTILE}).`);
    expect(host.hasAttribute('role')).toBe(false);
    expect(host.querySelector('img')).toBeNull();
    expect(shownText(renderer)).toBe('figures');
    expect(measures.map(m => m.name)).toEqual([TIMING.output]);
  });

  it('shows a model in place when the subclass can, without loading or building', async () => {
    const load = jest.fn(async () => chunk);
    const renderer = new TestRenderer(load);
    await renderer.renderModel(model('kept'));
    renderer.inPlace = 'kept';
    const node = renderer.node.firstChild;
    await renderer.renderModel(model('kept'));
    expect(renderer.built).toHaveLength(1);
    expect(load).toHaveBeenCalledTimes(1);
    expect(renderer.node.firstChild).toBe(node);
    await renderer.renderModel(model('changed'));
    expect(renderer.built).toHaveLength(2);
  });

  it('lets an in-place update win over an older render still waiting for its chunk', async () => {
    const loader = deferredLoader();
    const renderer = new TestRenderer(loader.load);
    const first = renderer.renderModel(model('first'));
    loader.resolve(0);
    await first;
    const older = renderer.renderModel(model('older'));
    renderer.inPlace = 'kept';
    await renderer.renderModel(model('kept'));
    loader.resolve(1);
    await older;
    expect(shownText(renderer)).toBe('first');
    expect(renderer.built).toHaveLength(1);
  });

  it('says, as text, that an output could not be shown when building it throws', async () => {
    const renderer = new TestRenderer(jest.fn(async () => chunk));
    await renderer.renderModel(model('fine'));
    const broken = {
      show: () => {
        throw new Error(HOSTILE);
      }
    } as unknown as Chunk;
    const failing = new TestRenderer(jest.fn(async () => broken));
    document.body.appendChild(failing.node);
    await failing.renderModel(model('boom'));
    const alert = failing.node.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('The test output could not be shown');
    expect(alert?.textContent).toContain(HOSTILE);
    expect(failing.node.querySelector('img')).toBeNull();
    expect(window.__gaissaPwned).toBeUndefined();
  });

  it('makes a safe factory for one mime type, ahead of the fallbacks', () => {
    const factory = lazyRendererFactory(MIME, () => new TestRenderer(async () => chunk));
    expect(factory.safe).toBe(true);
    expect(factory.mimeTypes).toEqual([MIME]);
    expect(factory.defaultRank).toBeLessThan(50);
    const renderer = factory.createRenderer({ mimeType: MIME } as never);
    expect(renderer).toBeInstanceOf(TestRenderer);
    expect((renderer as TestRenderer).node.classList.contains('test-renderer')).toBe(true);
  });
});
