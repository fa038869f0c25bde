/**
 * @jest-environment jsdom
 */
import '../../fixtures/jsdom-globals';
import { Widget } from '@lumino/widgets';
import {
  MAX_BARS,
  TeamViewPanel,
  utcTime,
  type TeamViewState
} from '../../../../../extension/plugins/team-view/team-view-panel';
import { HOSTILE, sampleTeamView } from '../../fixtures/team-view';

function shown(state: TeamViewState) {
  const refreshes: number[] = [];
  const panel = new TeamViewPanel(() => refreshes.push(1));
  panel.setState(state);
  return { panel, node: panel.node, refreshes };
}

const texts = (node: Element, selector: string) =>
  [...node.querySelectorAll(selector)].map(e => e.textContent);

describe('TeamViewPanel', () => {
  it('draws a bar per user and per notebook, the longest for the most energy', () => {
    const { node } = shown({ kind: 'view', view: sampleTeamView(), refreshing: false });
    expect(node.classList.contains('gaissa-team-view')).toBe(true);
    const charts = node.querySelectorAll('.gaissa-team-view-chart');
    expect(texts(charts[0], '.gaissa-team-view-bar-name')).toEqual([HOSTILE, 'ann']);
    expect(texts(charts[1], '.gaissa-team-view-bar-name')).toEqual([
      '(outside a notebook)',
      `team/${HOSTILE}.ipynb`
    ]);
    const widths = [...charts[0].querySelectorAll<HTMLElement>('.gaissa-team-view-bar-fill')].map(
      e => e.style.width
    );
    expect(widths).toEqual(['100%', `${(500 / 1500) * 100}%`]);
    expect(texts(charts[0], '.gaissa-team-view-bar-value')[0]).toBe(
      '1.5 kJ · 200 mg CO2e · 1 measurement'
    );
  });

  it('lists the measurements and labels, and says where and when they were read', () => {
    const { node } = shown({ kind: 'view', view: sampleTeamView(), refreshing: false });
    expect(node.querySelector('.gaissa-team-view-source')!.textContent).toBe(
      'MLflow at http://127.0.0.1:5000 · all experiments · 2 runs · read 2026-12-05 21:10:03 UTC'
    );
    const rows = [...node.querySelectorAll('.gaissa-team-view-measurements tbody tr')].map(tr =>
      [...tr.children].map(td => td.textContent)
    );
    expect(rows).toEqual([
      ['2026-12-05 21:00:00 UTC', HOSTILE, '(outside a notebook)', '1.5 kJ', '200 mg CO2e', '–'],
      ['2026-12-05 20:00:00 UTC', 'ann', `team/${HOSTILE}.ipynb`, '500 J', '50 mg CO2e', '2 s']
    ]);
    expect(texts(node, '.gaissa-team-view-labels tbody td')).toEqual([
      'B',
      HOSTILE,
      '(outside a notebook)',
      HOSTILE,
      '2026-12-05 21:01:00 UTC'
    ]);
  });

  it('keeps hostile strings as text: no element, no handler made from them', () => {
    const { node } = shown({ kind: 'view', view: sampleTeamView(), refreshing: false });
    expect(node.querySelector('img')).toBeNull();
    expect(node.querySelectorAll('[onerror]')).toHaveLength(0);
    expect(node.textContent).toContain(HOSTILE);
  });

  it('says when no team server is configured, and when it could not be read and why', () => {
    const none = shown({
      kind: 'view',
      view: sampleTeamView({ status: 'unconfigured', source: null, trackingUri: null, runs: 0 }),
      refreshing: false
    }).node;
    expect(none.querySelector('[data-status="unconfigured"]')!.textContent).toMatch(
      /^No team server is configured: this kernel has no MLflow tracking URI/
    );
    expect(none.querySelector('.gaissa-team-view-chart')).toBeNull();
    const down = shown({
      kind: 'view',
      view: sampleTeamView({ status: 'unreachable', errors: ['fetch failed: ECONNREFUSED'] }),
      refreshing: false
    }).node;
    expect(down.querySelector('[data-status="unreachable"]')!.textContent).toMatch(
      /^The team server at http:\/\/127\.0\.0\.1:5000 could not be read/
    );
    expect(texts(down, '.gaissa-team-view-errors li')).toEqual(['fetch failed: ECONNREFUSED']);
  });

  it('draws at most MAX_BARS bars and counts the rest', () => {
    const perUser = Array.from({ length: MAX_BARS + 3 }, (_, i) => ({
      key: `u${i}`,
      measurements: 1,
      energyJ: 100 - i,
      co2eG: 0
    }));
    const view = sampleTeamView();
    const { node } = shown({
      kind: 'view',
      view: { ...view, totals: { ...view.totals, perUser } },
      refreshing: false
    });
    const chart = node.querySelector('.gaissa-team-view-chart')!;
    expect(chart.querySelectorAll('.gaissa-team-view-bar')).toHaveLength(MAX_BARS);
    expect(chart.querySelector('.gaissa-team-view-more')!.textContent).toBe('and 3 more');
  });

  it('refreshes on the button, which says when a view is being read but can still be pressed', () => {
    const { panel, node, refreshes } = shown({ kind: 'connecting', detail: 'Starting…' });
    const button = () => node.querySelector<HTMLButtonElement>('.gaissa-team-view-refresh')!;
    expect(button().textContent).toBe('Refreshing…');
    expect(button().getAttribute('aria-busy')).toBe('true');
    expect(node.querySelector('.gaissa-team-view-status')!.textContent).toBe('Starting…');
    button().click();
    panel.setState({ kind: 'failed', reason: `refused: ${HOSTILE}` });
    expect(node.querySelector('[data-status="failed"]')!.textContent).toBe(`refused: ${HOSTILE}`);
    expect(button().textContent).toBe('Refresh');
    expect(button().hasAttribute('aria-busy')).toBe(false);
    button().click();
    expect(refreshes).toEqual([1, 1]);
  });

  it('is disposed when its tab is closed, so that its kernel can go', () => {
    const { panel } = shown({ kind: 'connecting', detail: '' });
    Widget.attach(panel, document.body);
    panel.close();
    expect(panel.isDisposed).toBe(true);
  });
});

describe('utcTime', () => {
  it('writes epoch ms in UTC, and a dash for none', () => {
    expect(utcTime(Date.UTC(2026, 0, 2, 3, 4, 5, 600))).toBe('2026-01-02 03:04:05 UTC');
    expect(utcTime(null)).toBe('–');
    expect(utcTime(NaN)).toBe('–');
  });
});
