/**
 * Draws the power chart as SVG (shared/charts). Loaded through a dynamic import() when a card has
 * a timeline; small, so the chart appears in the same task as its card once the chunk is there.
 */
import type { TimelinePoint } from '../../../core/measurement';
import { perTheme, themeColors, themeReader } from '../../shared/chart-theme';
import { SvgChart } from '../../shared/charts/svg-chart';
import { powerFigure, type ChartColors } from './chart-spec';

/** The theme's colours as the browser resolved them for `host` (light and dark alike). */
export const chartColors = perTheme((host: HTMLElement): ChartColors => {
  const read = themeReader(host);
  return {
    cpu: read('--gaissa-cpu-color', '#1976d2'),
    gpu: read('--gaissa-gpu-color', '#f57c00'),
    ram: read('--gaissa-ram-color', '#388e3c'),
    ...themeColors(read)
  };
});

/**
 * Draws into `host` at once, in the caller's task (no chunk or promise to wait for), so a
 * renderer whose chart code has loaded draws the chart with its output. The host keeps its role
 * and aria-label (the card's summary). Returns the function that stops following the host's
 * width; callers that `await` it get that function as well.
 */
export function drawPowerChart(host: HTMLElement, timeline: readonly TimelinePoint[]): () => void {
  const chart = new SvgChart(host);
  chart.draw(() => powerFigure(timeline, chartColors(host)));
  return () => chart.dispose();
}
