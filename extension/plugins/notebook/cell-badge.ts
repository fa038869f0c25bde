/**
 * The energy badge under a measured cell's input (in the spirit of execute-time extensions),
 * drawn from the cell's `cell.metadata.gaissa` so it survives save and reload.
 */
import { Widget } from '@lumino/widgets';
import { boltIcon } from '../../shared/bolt-icon';
import { formatCost, formatDuration, methodName } from '../../outputs/measurement/format';
import type { MeasurementSummary } from '../../outputs/measurement/summary';
import { append, clear, el } from '../../shared/safe-dom';
import { formatCo2e, formatEnergy, formatPower } from '../../../core/format';
import { provenanceOf, provenanceText } from '../../../core/provenance';

export const BADGE_CLASS = 'gaissa-cell-badge';

export function badgeText(s: MeasurementSummary): { text: string; title: string } {
  const perRun = s.repeats > 1 ? ` per run (mean of ${s.repeats})` : '';
  return {
    text: `${formatEnergy(s.energyJ)} · ${formatCo2e(s.co2eG)} · ${formatDuration(s.durationS)}`,
    title:
      `Last measurement${s.label ? ` “${s.label}”` : ''}: ${formatEnergy(s.energyJ)}${perRun}, ` +
      `${formatPower(s.powerW)} on average, ${formatCo2e(s.co2eG)} (${s.region}), ` +
      `${formatCost(s.cost, s.currency)}; ${howMeasured(s)}; ` +
      `${s.status === 'ok' ? 'finished' : s.status} at ${s.endedAt}.`
  };
}

/** "measured by the RAPL counters", "partly measured (40 % counter): counters and the estimator"... */
function howMeasured(s: MeasurementSummary): string {
  const provenance = provenanceOf(s.coverage);
  if (provenance === 'measured') return `measured by the ${methodName(s.method)}`;
  if (provenance === 'estimated') return 'estimated by the estimator';
  return `${provenanceText(s.coverage)}: hardware counters and the estimator`;
}

export class CellBadge extends Widget {
  constructor() {
    super();
    this.addClass(BADGE_CLASS);
    this.node.setAttribute('role', 'note');
    this.setSummary(null);
  }

  /** null hides the badge (the cell was never measured, or its metadata is not ours). */
  setSummary(summary: MeasurementSummary | null): void {
    clear(this.node);
    if (!summary) {
      this.hide();
      return;
    }
    const { text, title } = badgeText(summary);
    this.node.title = title;
    this.node.setAttribute('aria-label', title);
    this.node.dataset.estimated = String(summary.estimated || summary.coverage < 1);
    this.node.dataset.provenance = provenanceOf(summary.coverage);
    this.node.dataset.status = summary.status;
    append(
      this.node,
      boltIcon(),
      el('span', { className: 'gaissa-cell-badge-text' }, text),
      el('span', { className: 'gaissa-cell-badge-method' }, provenanceText(summary.coverage)),
      summary.status === 'ok'
        ? null
        : el('span', { className: 'gaissa-cell-badge-status' }, summary.status)
    );
    this.show();
  }
}
