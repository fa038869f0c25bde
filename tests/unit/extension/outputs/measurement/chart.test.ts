/**
 * @jest-environment jsdom
 */
import { drawPowerChart } from '../../../../../extension/outputs/measurement/chart';
import { sampleRecord } from '../../fixtures/measurement-record';

describe('drawPowerChart', () => {
  it('draws the power areas as SVG into the card’s host, which keeps its accessible name', async () => {
    const host = document.createElement('div');
    host.setAttribute('role', 'img');
    host.setAttribute('aria-label', 'Power over time, by component');
    host.textContent = 'Loading the power chart…';
    const record = sampleRecord();
    expect(record.timeline.length).toBeGreaterThan(1);
    const dispose = await drawPowerChart(host, record.timeline);
    const svg = host.querySelector('svg');
    expect(svg).not.toBeNull();
    expect(host.textContent).not.toContain('Loading');
    expect(svg?.querySelectorAll('.mark-area path').length).toBeGreaterThan(0);
    expect([...(svg?.querySelectorAll('.legend text') ?? [])].map(t => t.textContent)).toContain(
      'CPU'
    );
    expect(svg?.textContent).toContain('power (W)');
    expect(host.getAttribute('role')).toBe('img');
    expect(host.getAttribute('aria-label')).toBe('Power over time, by component');
    dispose();
  });
});
