/**
 * @jest-environment jsdom
 */
import './fixtures/jsdom-globals';
import { CellBadge, badgeText } from '../../../extension/cell-badge';
import {
  summarizeMeasurement,
  type MeasurementSummary
} from '../../../extension/measurement-summary';
import { asPayload, sampleRecord } from './fixtures/measurement-record';

const summary = summarizeMeasurement(asPayload(sampleRecord())) as MeasurementSummary;

describe('cell energy badge', () => {
  it('shows energy, CO2e and duration, and says estimated or measured', () => {
    const badge = new CellBadge();
    badge.setSummary(summary);
    expect(badge.isHidden).toBe(false);
    expect(badge.node.classList.contains('gaissa-cell-badge')).toBe(true);
    expect(badge.node.querySelector('.gaissa-cell-badge-text')?.textContent).toMatch(
      /^11\.5 J · .* CO2e · 2 s$/
    );
    expect(badge.node.querySelector('.gaissa-cell-badge-method')?.textContent).toBe('estimated');
    expect(badge.node.title).toContain('per run (mean of 3)');
    expect(badge.node.getAttribute('role')).toBe('note');
    badge.setSummary({ ...summary, estimated: false, method: 'rapl', status: 'interrupted' });
    expect(badge.node.querySelector('.gaissa-cell-badge-method')?.textContent).toBe('measured');
    expect(badge.node.querySelector('.gaissa-cell-badge-status')?.textContent).toBe('interrupted');
  });

  it('hides when there is nothing to show', () => {
    const badge = new CellBadge();
    expect(badge.isHidden).toBe(true);
    badge.setSummary(summary);
    badge.setSummary(null);
    expect(badge.isHidden).toBe(true);
    expect(badge.node.textContent).toBe('');
  });

  it('keeps a hostile label as text', () => {
    const { title } = badgeText({ ...summary, label: '<script>alert(1)</script>' });
    const badge = new CellBadge();
    badge.setSummary({ ...summary, label: '<script>alert(1)</script>' });
    expect(badge.node.querySelector('script')).toBeNull();
    expect(badge.node.title).toBe(title);
    expect(title).toContain('“<script>alert(1)</script>”');
  });
});
