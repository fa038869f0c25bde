/**
 * Draws the power chart with vega-embed. Imported only through a dynamic import() when a card has
 * a timeline, so Vega (most of the extension's weight) stays out of JupyterLab's start.
 */
import embed from 'vega-embed';
import type { TimelinePoint } from '../../../core/measurement';
import { themeColors, themeReader } from '../../shared/chart-theme';
import { powerChartSpec, type ChartColors } from './chart-spec';

/** The theme's colours as the browser resolved them for `host` (light and dark alike). */
export function chartColors(host: HTMLElement): ChartColors {
  const read = themeReader(host);
  return {
    cpu: read('--gaissa-cpu-color', '#1976d2'),
    gpu: read('--gaissa-gpu-color', '#f57c00'),
    ram: read('--gaissa-ram-color', '#388e3c'),
    ...themeColors(read)
  };
}

/** Draws into `host`; the returned function frees the Vega view. */
export async function drawPowerChart(
  host: HTMLElement,
  timeline: readonly TimelinePoint[]
): Promise<() => void> {
  // vega-embed replaces the host's aria-label with the spec's description ("Vega visualization"
  // without one): hand it the card's label, so screen readers keep it.
  const spec = {
    ...powerChartSpec(timeline, chartColors(host)),
    description: host.getAttribute('aria-label') ?? undefined
  };
  host.textContent = '';
  // No actions menu: it would offer to send the data to the online Vega editor.
  const result = await embed(host, spec as never, { actions: false, renderer: 'svg' });
  return () => result.finalize();
}
