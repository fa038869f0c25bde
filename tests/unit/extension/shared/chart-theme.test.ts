import { chartConfig, perTheme, themeColors } from '../../../../extension/shared/chart-theme';

describe('chart theme shared by the power, tactics and ROI charts', () => {
  it('reads the JupyterLab theme variables, with fallbacks where a variable is unset', () => {
    const set: Record<string, string> = {
      '--jp-ui-font-color1': '#eee',
      '--jp-border-color2': '#444'
    };
    const colors = themeColors((name, fallback) => set[name] ?? fallback);
    expect(colors).toEqual({ text: '#eee', mutedText: '#555', grid: '#444', font: 'sans-serif' });
  });

  it('puts those colours on axes, legends and text, and drops the view border', () => {
    const config = chartConfig({ text: 't', mutedText: 'm', grid: 'g', font: 'f' }) as {
      font: string;
      view: { stroke: null };
      axis: Record<string, string>;
      legend: Record<string, string>;
      text: { color: string };
    };
    expect(config.font).toBe('f');
    expect(config.view.stroke).toBeNull();
    expect(config.axis).toEqual({
      labelColor: 'm',
      titleColor: 't',
      gridColor: 'g',
      domainColor: 'g',
      tickColor: 'g'
    });
    expect(config.legend).toEqual({ labelColor: 't', titleColor: 't' });
    expect(config.text.color).toBe('t');
  });

  it('reads the colours once per JupyterLab theme, and keeps none read outside the page', () => {
    let theme = 'JupyterLab Light';
    const host = (isConnected: boolean) =>
      ({
        isConnected,
        ownerDocument: { body: { getAttribute: () => theme } }
      }) as unknown as HTMLElement;
    let reads = 0;
    const colors = perTheme(() => `${theme} #${++reads}`);
    expect(colors(host(false))).toBe('JupyterLab Light #1');
    expect(colors(host(true))).toBe('JupyterLab Light #2');
    expect(colors(host(true))).toBe('JupyterLab Light #2');
    expect(colors(host(false))).toBe('JupyterLab Light #2');
    theme = 'JupyterLab Dark';
    expect(colors(host(true))).toBe('JupyterLab Dark #3');
    expect(reads).toBe(3);
  });
});
