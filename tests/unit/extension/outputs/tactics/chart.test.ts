/**
 * @jest-environment jsdom
 */
import { drawTacticsChart } from '../../../../../extension/outputs/tactics/chart';
import { tacticsChartSummary } from '../../../../../extension/outputs/tactics/chart-spec';
import { inferencePayload } from '../../fixtures/tactics-payload';

describe('drawTacticsChart', () => {
  it('draws a point per variant, the front as one line, and keeps hostile names as text', async () => {
    const p = inferencePayload();
    const hostile = '<img src=x onerror="window.pwned=1">';
    p.variants[1].name = hostile;
    const host = document.createElement('div');
    host.setAttribute('role', 'img');
    host.setAttribute('aria-label', tacticsChartSummary(p));
    const dispose = await drawTacticsChart(host, p);
    const svg = host.querySelector('svg') as SVGSVGElement;
    expect(svg.querySelector('img')).toBeNull();
    expect(svg.querySelectorAll('[onerror]')).toHaveLength(0);
    const labels = [...svg.querySelectorAll('[aria-roledescription="point"]')].map(
      n => n.getAttribute('aria-label') ?? ''
    );
    // One point per variant, plus the recommended one's ring.
    expect(labels).toHaveLength(p.variants.length + 1);
    expect(labels.some(l => l.includes(`variant: ${hostile.slice(0, 23)}…`))).toBe(true);
    expect(svg.querySelectorAll('.mark-line path')).toHaveLength(1);
    expect(svg.textContent).toContain('Pareto front');
    expect(svg.textContent).toContain('energy per inference (J)');
    expect(host.getAttribute('aria-label')).toBe(tacticsChartSummary(p));
    dispose();
  });
});
