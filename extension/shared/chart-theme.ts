/**
 * What the extension's charts share: the theme colours every chart reads (text, grid, font), for
 * the SVG figures drawn (shared/charts) and the Vega-Lite specs alike, and the config block that
 * applies them to a spec's axes, legends and text. No Vega import.
 */

/** Colours every chart takes from the JupyterLab theme (light and dark alike). */
export interface ThemeColors {
  text: string;
  mutedText: string;
  grid: string;
  font: string;
}

/** Reads CSS variables as the browser resolved them for `node`; the fallbacks outside a page. */
export function themeReader(node: HTMLElement): (name: string, fallback: string) => string {
  const style = typeof getComputedStyle === 'function' ? getComputedStyle(node) : null;
  return (name, fallback) => style?.getPropertyValue(name).trim() || fallback;
}

/**
 * `read` once per JupyterLab theme (the body's data-jp-theme-name): a computed style forces the
 * page's pending style work, which is heavy while a notebook is being drawn, so later charts reuse
 * the colours. Colours read from a host outside the page (fallbacks) are not kept.
 */
export function perTheme<T>(read: (host: HTMLElement) => T): (host: HTMLElement) => T {
  let theme: string | null = null;
  let kept: T | null = null;
  return host => {
    const current = host.ownerDocument.body?.getAttribute('data-jp-theme-name') ?? '';
    if (kept !== null && theme === current) return kept;
    const value = read(host);
    if (host.isConnected) {
      theme = current;
      kept = value;
    }
    return value;
  };
}

/** The theme colours every chart shares, read with `read` (from themeReader). */
export function themeColors(read: (name: string, fallback: string) => string): ThemeColors {
  return {
    text: read('--jp-ui-font-color1', '#000'),
    mutedText: read('--jp-ui-font-color2', '#555'),
    grid: read('--jp-border-color2', '#ccc'),
    font: read('--jp-ui-font-family', 'sans-serif')
  };
}

/** Vega-Lite config: the theme's font, no view border, axes, legends and text in theme colours. */
export function chartConfig(colors: ThemeColors): Record<string, unknown> {
  return {
    font: colors.font,
    view: { stroke: null },
    axis: {
      labelColor: colors.mutedText,
      titleColor: colors.text,
      gridColor: colors.grid,
      domainColor: colors.grid,
      tickColor: colors.grid
    },
    legend: { labelColor: colors.text, titleColor: colors.text },
    text: { color: colors.text }
  };
}
