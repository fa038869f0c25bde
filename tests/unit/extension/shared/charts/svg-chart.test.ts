/**
 * @jest-environment jsdom
 */
import {
  drawFigure,
  SvgChart,
  type Figure,
  type Mark
} from '../../../../../extension/shared/charts/svg-chart';

const theme = { text: '#111', mutedText: '#555', grid: '#ccc', font: 'serif' };

function figure(marks: Mark[], extra: Partial<Figure> = {}): Figure {
  return {
    height: 100,
    x: { title: 'x title', format: '' },
    y: { title: 'y title', format: '' },
    legend: [],
    marks,
    theme,
    ...extra
  };
}

const point = (x: number, y: number, name = 'p'): Mark => ({
  type: 'point',
  x,
  y,
  color: '#f00',
  shape: 'circle',
  filled: true,
  size: 30,
  fields: [['name', name]]
});

/** The centre of a drawn circle symbol (its path starts at the left edge, radius from the arc). */
function centre(path: Element): { x: number; y: number } {
  const m = /^M([\d.-]+),([\d.-]+)a([\d.]+)/.exec(path.getAttribute('d') ?? '');
  if (!m) throw new Error(`not a circle: ${path.getAttribute('d')}`);
  return { x: Number(m[1]) + Number(m[3]), y: Number(m[2]) };
}

function svgOf(nodes: SVGElement[]): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.append(...nodes);
  return svg;
}

const allAttributes = (root: Element) =>
  [root, ...root.querySelectorAll('*')].flatMap(n => [...n.attributes].map(a => a.value));

describe('drawFigure', () => {
  it('places points by their data: larger x to the right, larger y higher up', () => {
    const svg = svgOf(drawFigure(figure([point(0, 0), point(5, 5), point(10, 10)]), 400).nodes);
    const drawn = [...svg.querySelectorAll('.mark-point path')].map(centre);
    expect(drawn).toHaveLength(3);
    expect(drawn[0].x).toBeLessThan(drawn[1].x);
    expect(drawn[1].x).toBeLessThan(drawn[2].x);
    expect(drawn[0].y).toBeGreaterThan(drawn[1].y);
    // Evenly spaced data, evenly spaced pixels (a linear scale).
    expect(drawn[1].x - drawn[0].x).toBeCloseTo(drawn[2].x - drawn[1].x, 0);
    expect(drawn[0].y - drawn[1].y).toBeCloseTo(drawn[1].y - drawn[2].y, 0);
    expect(drawn[2].x).toBeLessThanOrEqual(400);
  });

  it('labels the axes with formatted round ticks and the titles', () => {
    const f = figure([point(0, 0.2), point(3000, 0.9)], {
      x: { title: 'energy (J)', format: '~s' },
      y: { title: 'accuracy (%)', format: '.0%' }
    });
    const svg = svgOf(drawFigure(f, 500).nodes);
    const xLabels = [...svg.querySelectorAll('.axis-x text')].map(t => t.textContent);
    expect(xLabels).toContain('1k');
    expect(xLabels).toContain('energy (J)');
    const yLabels = [...svg.querySelectorAll('.axis-y text')].map(t => t.textContent);
    expect(yLabels).toEqual(expect.arrayContaining(['0%', '20%', '100%', 'accuracy (%)']));
    // One grid line per tick on each axis (plus the axis line).
    expect(svg.querySelectorAll('.axis-x line').length).toBe(xLabels.length);
  });

  it('draws nothing at NaN: empty data, one point and non-finite values all give finite coordinates', () => {
    for (const marks of [
      [],
      [point(3, 3)],
      [point(NaN, 1), point(1, Infinity), point(2, 2)],
      [
        {
          type: 'line',
          color: '#000',
          width: 2,
          fields: [],
          points: [
            { x: 0, y: 1 },
            { x: 1, y: NaN },
            { x: 2, y: 3 }
          ]
        } as Mark
      ]
    ]) {
      const svg = svgOf(drawFigure(figure(marks), 300).nodes);
      expect(allAttributes(svg).filter(v => /NaN|Infinity/.test(v))).toEqual([]);
    }
    const svg = svgOf(
      drawFigure(figure([point(NaN, 1), point(1, Infinity), point(2, 2)]), 300).nodes
    );
    expect(svg.querySelectorAll('.mark-point path')).toHaveLength(1);
    const line = svgOf(
      drawFigure(
        figure([
          {
            type: 'line',
            color: '#000',
            width: 2,
            fields: [],
            points: [
              { x: 0, y: 1 },
              { x: 1, y: NaN },
              { x: 2, y: 3 }
            ]
          }
        ]),
        300
      ).nodes
    ).querySelector('.mark-line path');
    expect(line?.getAttribute('d')?.split('L')).toHaveLength(2);
  });

  it('keeps payload strings as text: legend, labels, rows, tooltips and aria-labels', () => {
    const hostile = '<img src=x onerror="window.pwned=1">';
    const svg = svgOf(
      drawFigure(
        figure(
          [
            point(1, 1, hostile),
            {
              type: 'text',
              x: 1,
              y: 1,
              text: hostile,
              dx: 0,
              dy: 0,
              anchor: 'start',
              color: '#000',
              size: 10
            }
          ],
          { legend: [{ label: hostile, color: '#f00', symbol: 'circle' }] }
        ),
        300
      ).nodes
    );
    expect(svg.querySelector('img')).toBeNull();
    expect(svg.querySelectorAll('[onerror]')).toHaveLength(0);
    expect(svg.querySelector('.legend text')?.textContent).toBe(hostile);
    expect(svg.querySelector('.mark-text text')?.textContent).toBe(hostile);
    const p = svg.querySelector('.mark-point path');
    expect(p?.getAttribute('aria-label')).toBe(`name: ${hostile}`);
    expect(p?.getAttribute('aria-roledescription')).toBe('point');
    expect(p?.querySelector('title')?.textContent).toBe(`name: ${hostile}`);
  });

  it('draws rows (the tornado) with one label per row and bars between their ends', () => {
    const f = figure(
      [
        { type: 'hbar', row: 'a', x0: 0, x1: 10, color: '#00f', fillOpacity: 0.9, fields: [] },
        { type: 'hbar', row: 'b', x0: 0, x1: -5, color: '#f70', fillOpacity: 0.15, fields: [] },
        { type: 'rule', axis: 'x', value: 0, color: '#000', width: 1.5 }
      ],
      { y: { rows: ['a', 'b'], step: 22 } }
    );
    const svg = svgOf(drawFigure(f, 400).nodes);
    expect([...svg.querySelectorAll('.axis-y text')].map(t => t.textContent)).toEqual(['a', 'b']);
    const [a, b] = [...svg.querySelectorAll('.mark-hbar rect')];
    const rule = Number(svg.querySelector('.mark-rule line')?.getAttribute('x1'));
    // 'a' runs right of the base, 'b' left of it, twice as long as 'b' and in the row below.
    expect(Number(a.getAttribute('x'))).toBeCloseTo(rule, 0);
    expect(Number(b.getAttribute('x')) + Number(b.getAttribute('width'))).toBeCloseTo(rule, 0);
    expect(Number(a.getAttribute('width'))).toBeCloseTo(2 * Number(b.getAttribute('width')), 0);
    expect(Number(b.getAttribute('y')) - Number(a.getAttribute('y'))).toBeCloseTo(22);
  });
});

describe('SvgChart', () => {
  it('draws into its host, then replaces what it shows in place', () => {
    const host = document.createElement('div');
    host.setAttribute('aria-label', 'summary');
    host.textContent = 'Loading the chart…';
    const chart = new SvgChart(host);
    chart.draw(figure([point(1, 1, 'first')]));
    const svg = host.querySelector('svg');
    expect(host.textContent).not.toContain('Loading');
    expect(svg?.getAttribute('width')).toBe('480'); // jsdom lays nothing out: the fallback
    expect(svg?.getAttribute('font-family')).toBe('serif');
    chart.draw(figure([point(1, 1, 'second'), point(2, 2, 'third')]));
    expect(host.querySelector('svg')).toBe(svg);
    expect(host.children).toHaveLength(1);
    const names = [...host.querySelectorAll('.mark-point path')].map(p =>
      p.getAttribute('aria-label')
    );
    expect(names).toEqual(['name: second', 'name: third']);
    expect(host.getAttribute('aria-label')).toBe('summary');
    chart.dispose();
  });

  it('follows the host’s width, and rebuilds a figure drawn before the host was in the page', () => {
    const observed: Array<(entries: Array<{ contentRect: { width: number } }>) => void> = [];
    const original = (globalThis as { ResizeObserver?: unknown }).ResizeObserver;
    (globalThis as { ResizeObserver?: unknown }).ResizeObserver = class {
      constructor(callback: (typeof observed)[number]) {
        observed.push(callback);
      }
      observe(): void {}
      disconnect(): void {}
    };
    try {
      const host = document.createElement('div');
      let builds = 0;
      const chart = new SvgChart(host);
      chart.draw(() => {
        builds++;
        return figure([point(1, 1, host.isConnected ? 'in page' : 'outside')]);
      });
      expect(builds).toBe(1);
      document.body.appendChild(host);
      observed[0]([{ contentRect: { width: 600 } }]);
      expect(builds).toBe(2);
      const svg = host.querySelector('svg');
      expect(svg?.getAttribute('width')).toBe('600');
      expect(host.querySelector('.mark-point path')?.getAttribute('aria-label')).toBe(
        'name: in page'
      );
      // Same width: nothing to do; a new width: the same figure redrawn, not rebuilt.
      observed[0]([{ contentRect: { width: 600 } }]);
      observed[0]([{ contentRect: { width: 320 } }]);
      expect(builds).toBe(2);
      expect(host.querySelector('svg')).toBe(svg);
      expect(svg?.getAttribute('width')).toBe('320');
      chart.dispose();
      host.remove();
    } finally {
      (globalThis as { ResizeObserver?: unknown }).ResizeObserver = original;
    }
  });
});
