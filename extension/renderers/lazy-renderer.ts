/**
 * The skeleton every GAISSA output renderer shares. A renderer stays tiny in JupyterLab's start-up
 * bundle: its output's code (view, compiled validator) and its chart are chunks loaded on
 * demand. For each `renderModel` the base loads the chunk, drops the render if a newer one or
 * disposal came meanwhile, swaps the output into the node, records its User Timing entry, then
 * draws the optional chart once the output is in the DOM (a chart measures its host). Subclasses say
 * only what differs: how a payload becomes an output, and which chart follows.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import type { ChunkLoader } from '../shared/lazy-module';
import { clear, clip, el } from '../shared/safe-dom';
import { recordDuration } from '../shared/timing';

/** Frees a drawn chart (its observers, listeners). */
export type Disposer = () => void;

/** What a renderer shows for one payload. */
export interface RenderedOutput {
  readonly node: HTMLElement;
  /** Frees what the output holds once it is replaced or the renderer goes; absent when nothing. */
  dispose?(): void;
}

/** The chart drawn after the output is in place. */
export interface ChartStep<C = unknown> {
  /** Loads the chart's own chunk; absent when the output draws its charts itself. */
  load?: ChunkLoader<C>;
  /** Draws, returning (or resolving to) what frees the chart (nothing when the output frees it). */
  draw(chunk: C): Disposer | void | Promise<Disposer | void>;
  /** Where the chart goes: a failed chart says so there, and the rest of the output stays. */
  host?: HTMLElement;
  /** How that message names the chart: "The power chart could not be drawn (…)". */
  name?: string;
}

export interface LazyRendererOptions<M> {
  /** The mime type whose payload is rendered (JupyterLab passes it to `createRenderer`). */
  mimeType: string;
  /** Class of the renderer's node. */
  className: string;
  /** The output's chunk. */
  load: ChunkLoader<M>;
  /** How a failed load names the output: "The measurement card could not be loaded (…)". */
  name: string;
  /** User Timing entries from the output's arrival: to the output shown, to the chart drawn. */
  timing: { output: string; chart?: string };
}

/** An error's message as plain text, whatever was thrown. */
export function errorMessage(error: unknown): string {
  try {
    return String(error instanceof Error ? error.message : error);
  } catch {
    return 'unknown error';
  }
}

export abstract class LazyRenderer<M, O extends RenderedOutput = RenderedOutput>
  extends Widget
  implements IRenderMime.IRenderer
{
  /** The latest model handed to `renderModel` (retries and saves go to it). */
  protected model: IRenderMime.IMimeModel | null = null;
  private shown: O | null = null;
  private freeChart: Disposer | null = null;
  private renders = 0;

  constructor(protected readonly options: LazyRendererOptions<M>) {
    super();
    this.addClass(options.className);
  }

  /** The output on display, if any. */
  protected get output(): O | null {
    return this.shown;
  }

  /** The output for `model`'s payload, built from the loaded chunk. The payload is untrusted. */
  protected abstract build(chunk: M, model: IRenderMime.IMimeModel): O;

  /** The chart to draw once `output` is in the DOM; none by default. */
  protected chart(_output: O): ChartStep | null {
    return null;
  }

  /**
   * Shows `model` in the output on display when it can (true), instead of building a new one: a
   * change of metadata alone, say. Builds anew by default.
   */
  protected showInPlace(_output: O, _model: IRenderMime.IMimeModel): boolean {
    return false;
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    // JupyterLab creates the renderer as the output arrives: this is the arrival time.
    const arrived = performance.now();
    this.model = model;
    // Counted first: an older render still waiting for its chunk must not replace this one.
    const render = ++this.renders;
    if (this.shown && this.showInPlace(this.shown, model)) return;
    const current = () => !this.isDisposed && render === this.renders;
    const { load } = this.options;
    let chunk: M;
    try {
      chunk = load.loaded ?? (await load());
    } catch (error) {
      if (current()) this.showLoadError(error);
      return;
    }
    if (!current()) return;
    let output: O;
    try {
      output = this.build(chunk, model);
    } catch (error) {
      // A bug of ours, not the payload's (payloads are validated): say so instead of keeping
      // the previous output up.
      this.showLoadError(error, 'shown');
      return;
    }
    this.release();
    this.shown = output;
    clear(this.node);
    this.node.appendChild(output.node);
    recordDuration(this.options.timing.output, arrived);
    const step = this.chart(output);
    if (step) await this.drawChart(step, current, arrived);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.release();
    super.dispose();
  }

  private async drawChart(step: ChartStep, current: () => boolean, arrived: number) {
    try {
      const chunk = step.load ? (step.load.loaded ?? (await step.load())) : undefined;
      if (!current()) return;
      const free = await step.draw(chunk);
      if (!current()) {
        free?.();
        return;
      }
      this.freeChart = free ?? null;
      if (this.options.timing.chart) recordDuration(this.options.timing.chart, arrived);
    } catch (error) {
      if (!current()) return;
      const name = step.name ?? 'chart';
      if (!step.host) {
        console.warn(`GAISSA: the ${name} could not be drawn`, error);
        return;
      }
      // The figures stay readable; only the picture is missing, and the host no longer claims one.
      step.host.removeAttribute('role');
      step.host.textContent = clip(`The ${name} could not be drawn (${errorMessage(error)}).`);
    }
  }

  /** A chunk that did not arrive (network, server restarted): say so, and offer to try again. */
  private showLoadError(error: unknown, failed: 'loaded' | 'shown' = 'loaded'): void {
    this.release();
    const retry = el(
      'button',
      { className: 'gaissa-retry jp-mod-styled', attrs: { type: 'button' } },
      'Try again'
    );
    retry.addEventListener('click', () => {
      if (this.model) void this.renderModel(this.model);
    });
    clear(this.node);
    this.node.appendChild(
      el(
        'div',
        { className: 'gaissa-load-error', attrs: { role: 'alert' } },
        `The ${this.options.name} could not be ${failed} (${errorMessage(error)}). `,
        retry
      )
    );
  }

  /** Frees the chart and the output on display. */
  private release(): void {
    this.freeChart?.();
    this.freeChart = null;
    this.shown?.dispose?.();
    this.shown = null;
  }
}

/**
 * The rendermime factory of a GAISSA output. Safe, because payload strings never become markup;
 * rank 40 puts it ahead of the text/html (50), image/svg+xml (80) and text/plain (120) the kernel
 * sends along for viewers without the extension.
 */
export function lazyRendererFactory(
  mimeType: string,
  create: (mimeType: string) => IRenderMime.IRenderer
): IRenderMime.IRendererFactory {
  return {
    safe: true,
    mimeTypes: [mimeType],
    defaultRank: 40,
    createRenderer: options => create(options.mimeType)
  };
}
