/**
 * Draws the tactics chart (energy vs quality with the Pareto front) with vega-embed. Imported only
 * through a dynamic import(), so Vega stays out of JupyterLab's start.
 */
import embed from 'vega-embed';
import { themeColors, themeReader } from '../../shared/chart-theme';
import { tacticsChartSpec, type TacticsChartColors } from './chart-spec';
import type { TacticsComparisonPayload } from './validation';

/** The theme's colours as the browser resolved them for `host` (light and dark alike). */
export function tacticsChartColors(host: HTMLElement): TacticsChartColors {
  const read = themeReader(host);
  return {
    point: read('--gaissa-tactics-point-color', '#757575'),
    pareto: read('--gaissa-tactics-pareto-color', '#1976d2'),
    recommended: read('--gaissa-tactics-recommended-color', '#388e3c'),
    budget: read('--gaissa-tactics-budget-color', '#f57c00'),
    ...themeColors(read)
  };
}

/** Draws into `host`; the returned function frees the Vega view. */
export async function drawTacticsChart(
  host: HTMLElement,
  payload: TacticsComparisonPayload
): Promise<() => void> {
  // vega-embed replaces the host's aria-label with the spec's description ("Vega visualization"
  // without one): hand it the summary the view wrote, so screen readers keep it.
  const spec = {
    ...tacticsChartSpec(payload, tacticsChartColors(host)),
    description: host.getAttribute('aria-label') ?? undefined
  };
  host.textContent = '';
  // No actions menu: it would offer to send the data to the online Vega editor.
  const result = await embed(host, spec as never, { actions: false, renderer: 'svg' });
  return () => result.finalize();
}
