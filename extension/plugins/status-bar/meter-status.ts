/**
 * The status-bar meter (root class `gaissa-statusbar`): current power of the active notebook's
 * GAISSA kernel and the session's energy and CO2e. Clicking it (or Enter / Space) opens the
 * measurements panel.
 */
import { Widget } from '@lumino/widgets';
import { boltIcon } from '../../shared/bolt-icon';
import type { MeterState } from '../meters/meter-connection';
import { formatCost, methodName } from '../../outputs/measurement/format';
import { append, clear, el } from '../../shared/safe-dom';
import { formatCo2e, formatEnergy, formatPower } from '../../../core/format';
import { provenanceText } from '../../../core/provenance';

export const STATUSBAR_CLASS = 'gaissa-statusbar';

export interface MeterText {
  text: string;
  /** The longer explanation: tooltip and accessible name. */
  title: string;
  estimated: boolean;
}

/** What the meter says for a state; null state means the active kernel is not a GAISSA kernel. */
export function meterText(state: MeterState): MeterText {
  switch (state.kind) {
    case 'connecting':
      return {
        text: 'GAISSA: connecting…',
        title: 'Connecting to the GAISSA kernel’s meter',
        estimated: false
      };
    case 'unavailable':
      return {
        text: 'GAISSA: no live meter',
        title: `No live power reading: ${state.reason}`,
        estimated: false
      };
    case 'idle':
    case 'live': {
      const s = state.sample;
      if (!s) return { text: 'GAISSA: idle', title: 'No power reading yet', estimated: false };
      const totals = `${formatEnergy(s.sessionEnergyJ)} · ${formatCo2e(s.sessionCo2eG)}`;
      const power = state.kind === 'live' ? formatPower(s.powerW) : 'idle';
      // Older kernels send no coverage: their flag decides.
      const coverage = s.coverage ?? (s.estimated ? 0 : 1);
      const how =
        coverage >= 1
          ? `measured by the ${methodName(s.method)}`
          : coverage > 0
            ? `${provenanceText(coverage)}, the rest estimated`
            : 'estimated by the estimator';
      return {
        text: `${power} · ${totals}`,
        title:
          (state.kind === 'live'
            ? `Power now ${formatPower(s.powerW)} (CPU ${formatPower(s.cpuW)}, GPU ${formatPower(s.gpuW)}, RAM ${formatPower(s.ramW)}), ${how}. `
            : 'The kernel sends no power readings at the moment. ') +
          `This kernel session so far: ${formatEnergy(s.sessionEnergyJ)}, ${formatCo2e(s.sessionCo2eG)}` +
          (s.sessionCost !== null ? `, ${formatCost(s.sessionCost, s.currency)}` : '') +
          '. Click to list this notebook’s measurements.',
        estimated: s.estimated || coverage < 1
      };
    }
  }
}

export class MeterStatus extends Widget {
  constructor(private readonly onOpen: () => void) {
    super();
    this.addClass(STATUSBAR_CLASS);
    this.node.setAttribute('role', 'button');
    this.node.tabIndex = 0;
    this.node.addEventListener('click', () => this.onOpen());
    this.node.addEventListener('keydown', event => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        this.onOpen();
      }
    });
    this.setMeterState(null);
  }

  /** Shows a state; null hides the meter (the active kernel is not ours). */
  setMeterState(state: MeterState | null): void {
    clear(this.node);
    if (state === null) {
      this.node.dataset.state = 'none';
      this.hide();
      return;
    }
    this.show();
    const { text, title, estimated } = meterText(state);
    this.node.dataset.state = state.kind;
    this.node.title = title;
    this.node.setAttribute('aria-label', title);
    append(
      this.node,
      boltIcon(),
      el('span', { className: 'gaissa-statusbar-text' }, text),
      // Said in words, not only by colour.
      estimated ? el('span', { className: 'gaissa-statusbar-estimated' }, 'est.') : null
    );
  }
}
