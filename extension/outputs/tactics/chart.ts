/**
 * Draws the tactics chart (energy vs quality with the Pareto front) as SVG (shared/charts).
 * Loaded through a dynamic import() with the first comparison; small, so the chart appears in the
 * same task as its table once the chunk is there.
 */
import { perTheme, themeColors, themeReader } from '../../shared/chart-theme';
import { SvgChart } from '../../shared/charts/svg-chart';
import { tacticsFigure, type TacticsChartColors } from './chart-spec';
import type { TacticsComparisonPayload } from './validation';

/** The theme's colours as the browser resolved them for `host` (light and dark alike). */
export const tacticsChartColors = perTheme((host: HTMLElement): TacticsChartColors => {
  const read = themeReader(host);
  return {
    point: read('--gaissa-tactics-point-color', '#757575'),
    pareto: read('--gaissa-tactics-pareto-color', '#1976d2'),
    recommended: read('--gaissa-tactics-recommended-color', '#388e3c'),
    budget: read('--gaissa-tactics-budget-color', '#f57c00'),
    ...themeColors(read)
  };
});

/**
 * Draws into `host` at once, in the caller's task (no chunk or promise to wait for), so a
 * renderer whose chart code has loaded draws the chart with its output. The host keeps its role
 * and aria-label (the summary the view wrote). Returns the function that stops following the host's
 * width; callers that `await` it get that function as well.
 */
export function drawTacticsChart(host: HTMLElement, payload: TacticsComparisonPayload): () => void {
  const chart = new SvgChart(host);
  chart.draw(() => tacticsFigure(payload, tacticsChartColors(host)));
  return () => chart.dispose();
}
