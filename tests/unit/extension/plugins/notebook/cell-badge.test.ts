/**
 * @jest-environment jsdom
 */
import '../../fixtures/jsdom-globals';
import { CellBadge, badgeText } from '../../../../../extension/plugins/notebook/cell-badge';
import {
  summarizeMeasurement,
  type MeasurementSummary
} from '../../../../../extension/outputs/measurement/summary';
import { asPayload, sampleRecord } from '../../fixtures/measurement-record';

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
    badge.setSummary({
      ...summary,
      estimated: false,
      method: 'rapl',
      coverage: 1,
      status: 'interrupted'
    });
    expect(badge.node.querySelector('.gaissa-cell-badge-method')?.textContent).toBe('measured');
    expect(badge.node.querySelector('.gaissa-cell-badge-status')?.textContent).toBe('interrupted');
  });

  // Issue #15: a partly estimated measurement never shows a plain "measured" badge.
  it('shows a mix as partly measured with the counter share, in the badge and its title', () => {
    const badge = new CellBadge();
    badge.setSummary({ ...summary, method: 'estimate', estimated: true, coverage: 0.62 });
    expect(badge.node.querySelector('.gaissa-cell-badge-method')?.textContent).toBe(
      'partly measured (62 % counter)'
    );
    expect(badge.node.dataset.provenance).toBe('partly-measured');
    expect(badge.node.title).toContain(
      'partly measured (62 % counter): hardware counters and the estimator'
    );
    // Metadata from before coverage existed reads by its flag.
    const old = summarizeMeasurement({ ...asPayload(sampleRecord()), coverage: undefined });
    expect(old?.coverage).toBe(0);
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

  // Issue #15 review: a record whose flags say measured while a component says half of its
  // joules were counted must not get a "measured" badge (one coverage reader for every view).
  it('reads coverage from the components too, not only the record’s own flags', () => {
    const record = sampleRecord();
    const { coverage: _c, provenance: _p, ...old } = record;
    const hostile = {
      ...old,
      method: 'rapl',
      estimated: false,
      components: {
        ...record.components,
        cpu: { ...record.components.cpu, method: 'rapl', scope: 'machine', coverage: 0.5 },
        ram: { ...record.components.ram, method: 'rapl', scope: 'machine', coverage: 1 }
      }
    };
    const read = summarizeMeasurement(JSON.parse(JSON.stringify(hostile))) as MeasurementSummary;
    // CPU 11 J (mean) half counted, RAM 0.5 J counted.
    expect(read.coverage).toBeCloseTo(6 / 11.5, 12);
    const badge = new CellBadge();
    badge.setSummary(read);
    expect(badge.node.dataset.provenance).toBe('partly-measured');
    expect(badge.node.querySelector('.gaissa-cell-badge-method')?.textContent).toBe(
      'partly measured (52 % counter)'
    );
  });
});
