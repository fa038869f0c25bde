/**
 * The team view: what the team's GAISSA kernels logged to their team server (MLflow), as the
 * kernel read it back: energy per user and per notebook as bars, the latest measurements and the
 * labels as tables, where and when it was read, and a refresh button. Every string in the view
 * comes from anyone's runs: it only ever becomes DOM text (shared/safe-dom).
 */
import type { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import { formatCo2e, formatEnergy } from '../../../core/format';
import type { TeamTotal, TeamView } from '../../../core/team-view';
import { formatDuration } from '../../outputs/measurement/format';
import { boltIcon } from '../../shared/bolt-icon';
import { append, clear, el } from '../../shared/safe-dom';
import type { TeamViewState } from './team-view-connection';

export { TeamViewSource, type KernelSource, type TeamViewState } from './team-view-connection';

export const TEAM_VIEW_ID = 'gaissa-team-view';

/** Bars drawn per chart; the rest are counted below it. */
export const MAX_BARS = 10;

const OUTSIDE_NOTEBOOK = '(outside a notebook)';

/** Epoch ms as `2026-12-05 21:10:03 UTC`; '–' for none. */
export function utcTime(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms <= 0) return '–';
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

const notebookName = (notebook: string | null) => notebook ?? OUTSIDE_NOTEBOOK;
const userName = (user: string) => user || '(unknown)';

function sourceLine(view: TeamView): string {
  if (view.source === null) return `Read ${utcTime(view.fetchedAt)}: no team server configured.`;
  const scope = view.experiment === null ? 'all experiments' : `experiment ${view.experiment}`;
  const runs = `${view.runs} run${view.runs === 1 ? '' : 's'}`;
  return `MLflow at ${view.trackingUri ?? '?'} · ${scope} · ${runs} · read ${utcTime(view.fetchedAt)}`;
}

/** One horizontal bar per key, its length the share of the largest energy. */
function bars(title: string, totals: readonly TeamTotal[], name: (t: TeamTotal) => string) {
  const max = Math.max(0, ...totals.map(t => t.energyJ));
  const rows = totals.slice(0, MAX_BARS).map(total => {
    const fill = el('span', { className: 'gaissa-team-view-bar-fill' });
    fill.style.width = `${max > 0 ? Math.max(0, Math.min(100, (total.energyJ / max) * 100)) : 0}%`;
    const figures =
      `${formatEnergy(total.energyJ)} · ${formatCo2e(total.co2eG)} · ` +
      `${total.measurements} measurement${total.measurements === 1 ? '' : 's'}`;
    return el(
      'li',
      { className: 'gaissa-team-view-bar', attrs: { 'aria-label': `${name(total)}: ${figures}` } },
      el(
        'span',
        { className: 'gaissa-team-view-bar-name', attrs: { title: name(total) } },
        name(total)
      ),
      el(
        'span',
        { className: 'gaissa-team-view-bar-track', attrs: { 'aria-hidden': 'true' } },
        fill
      ),
      el('span', { className: 'gaissa-team-view-bar-value' }, figures)
    );
  });
  return el(
    'section',
    { className: 'gaissa-team-view-chart' },
    el('h3', {}, title),
    rows.length > 0
      ? el('ol', { className: 'gaissa-team-view-bars' }, ...rows)
      : el('p', { className: 'gaissa-team-view-empty' }, 'No measurements.'),
    totals.length > MAX_BARS
      ? el('p', { className: 'gaissa-team-view-more' }, `and ${totals.length - MAX_BARS} more`)
      : null
  );
}

function table(className: string, headers: readonly string[], rows: readonly string[][]) {
  return el(
    'table',
    { className: `gaissa-team-view-table ${className}` },
    el('thead', {}, el('tr', {}, ...headers.map(h => el('th', { attrs: { scope: 'col' } }, h)))),
    el('tbody', {}, ...rows.map(cells => el('tr', {}, ...cells.map(c => el('td', {}, c)))))
  );
}

function viewNodes(view: TeamView): Node[] {
  const nodes: Node[] = [];
  if (view.status === 'unconfigured') {
    nodes.push(
      el(
        'p',
        { className: 'gaissa-team-view-message', attrs: { 'data-status': 'unconfigured' } },
        'No team server is configured: this kernel has no MLflow tracking URI. Set ' +
          'MLFLOW_TRACKING_URI where Jupyter starts kernels, or run %gaissa config set ' +
          'mlflowTrackingUri URL in a notebook on this kernel, then refresh.'
      )
    );
    return nodes;
  }
  if (view.status === 'unreachable') {
    nodes.push(
      el(
        'p',
        { className: 'gaissa-team-view-message', attrs: { 'data-status': 'unreachable' } },
        `The team server at ${view.trackingUri ?? '?'} could not be read. ` +
          'Measurements are still written to the local gaissa-emissions files.'
      )
    );
  } else if (view.runs === 0) {
    nodes.push(
      el(
        'p',
        { className: 'gaissa-team-view-message', attrs: { 'data-status': 'empty' } },
        'No GAISSA measurements on this team server yet.'
      )
    );
  } else {
    nodes.push(
      el(
        'p',
        { className: 'gaissa-team-view-scope' },
        `Totals over the ${view.runs} latest GAISSA run${view.runs === 1 ? '' : 's'}` +
          (view.truncated
            ? ' (the server holds more: older runs or long histories are left out).'
            : '.')
      ),
      el(
        'div',
        { className: 'gaissa-team-view-charts' },
        bars('Energy per user', view.totals.perUser, t => userName(t.key ?? '')),
        bars('Energy per notebook', view.totals.perNotebook, t => notebookName(t.key))
      ),
      el('h3', {}, 'Recent measurements'),
      table(
        'gaissa-team-view-measurements',
        ['When', 'User', 'Notebook', 'Energy', 'CO2e', 'Duration'],
        view.measurements.map(m => [
          utcTime(m.endedAt),
          userName(m.user),
          notebookName(m.notebook),
          formatEnergy(m.energyJ),
          m.co2eG === null ? '–' : formatCo2e(m.co2eG),
          m.durationS === null ? '–' : formatDuration(m.durationS)
        ])
      ),
      el('h3', {}, 'Labels'),
      view.labels.length > 0
        ? table(
            'gaissa-team-view-labels',
            ['Rating', 'User', 'Notebook', 'Experiment', 'When'],
            view.labels.map(l => [
              l.rating,
              userName(l.user),
              notebookName(l.notebook),
              l.experiment,
              utcTime(l.time)
            ])
          )
        : el('p', { className: 'gaissa-team-view-empty' }, 'No labels issued yet.')
    );
  }
  if (view.errors.length > 0) {
    nodes.push(
      el('ul', { className: 'gaissa-team-view-errors' }, ...view.errors.map(e => el('li', {}, e)))
    );
  }
  return nodes;
}

export class TeamViewPanel extends Widget {
  private state: TeamViewState = { kind: 'connecting', detail: 'Connecting…' };

  constructor(private readonly onRefresh: () => void) {
    super();
    this.id = TEAM_VIEW_ID;
    this.addClass('gaissa-team-view');
    this.title.label = 'Team energy';
    this.title.caption = 'GAISSA team view: the team’s measurements and labels';
    this.title.closable = true;
    this.render();
  }

  /** Closing the tab ends the view (a plain Widget would only be detached): its comm and kernel go. */
  protected override onCloseRequest(msg: Message): void {
    super.onCloseRequest(msg);
    this.dispose();
  }

  setState(state: TeamViewState): void {
    this.state = state;
    this.render();
  }

  private render(): void {
    const state = this.state;
    const busy = state.kind === 'connecting' || (state.kind === 'view' && state.refreshing);
    const refresh = el(
      'button',
      {
        className: 'gaissa-team-view-refresh jp-mod-styled jp-mod-accept',
        // Never disabled: a kernel that restarted or died mid-read would leave it so for good,
        // and asking again is harmless (the kernel answers asks made meanwhile with one read).
        attrs: { type: 'button', 'aria-busy': busy ? 'true' : null }
      },
      busy ? 'Refreshing…' : 'Refresh'
    );
    refresh.addEventListener('click', () => this.onRefresh());
    clear(this.node);
    append(
      this.node,
      el(
        'div',
        { className: 'gaissa-team-view-header' },
        el('h2', {}, boltIcon(), ' Team energy'),
        refresh
      )
    );
    if (state.kind === 'connecting') {
      append(this.node, el('p', { className: 'gaissa-team-view-status' }, state.detail));
    } else if (state.kind === 'failed') {
      append(
        this.node,
        el(
          'p',
          { className: 'gaissa-team-view-message', attrs: { 'data-status': 'failed' } },
          state.reason
        )
      );
    } else {
      append(
        this.node,
        el('p', { className: 'gaissa-team-view-source' }, sourceLine(state.view)),
        ...viewNodes(state.view)
      );
    }
  }
}
