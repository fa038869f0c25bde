/**
 * A profile payload to DOM (root class `gaissa-profile`): the headline with its provenance, the
 * hottest lines with an energy bar each, each cell's code with its lines' bars in place, the
 * energy spent elsewhere, a flame graph of the functions, and the profiler's overhead. A payload
 * that fails the schema gets a short error instead. Payload strings only become text (safe-dom);
 * widths come from validated numbers.
 */
import { formatEnergy } from '../../../core/format';
import type { FlameFrame, ProfileRecord } from '../../../core/profile';
import { coverageOfRecord, provenanceText } from '../../../core/provenance';
import { el, type Child } from '../../shared/safe-dom';
import { formatDuration } from '../measurement/format';
import { validateProfilePayload } from './validation';

export const PROFILE_CLASS = 'gaissa-profile';
/** Rows of the hottest-lines list; the code view shows every line. */
const MAX_HOT_LINES = 15;
/** Flame graph depth and width drawn; deeper or narrower frames stay in their caller's bar. */
const MAX_FLAME_DEPTH = 24;
const MIN_FLAME_WIDTH = 0.005;
/** Longest cell shown in the code view, in lines. */
const MAX_CODE_LINES = 500;

export function renderProfile(payload: unknown): HTMLElement {
  const result = validateProfilePayload(payload);
  if (!result.ok) return invalidProfile(result.errors);
  return profileView(result.payload);
}

export function invalidProfile(errors: readonly string[]): HTMLElement {
  return el(
    'div',
    { className: `${PROFILE_CLASS} gaissa-profile-invalid`, attrs: { role: 'alert' } },
    el('strong', {}, 'Invalid GAISSA energy profile: '),
    'this output does not match the profile schema (v1), so it is not shown.',
    el('ul', {}, ...errors.map(e => el('li', {}, e)))
  );
}

function pct(share: number): string {
  return `${(Math.min(1, Math.max(0, share)) * 100).toFixed(1)} %`;
}

/** A horizontal bar `share` of its track wide. */
function bar(share: number): HTMLElement {
  const width = (Math.min(1, Math.max(0, share)) * 100).toFixed(2);
  return el(
    'span',
    { className: 'gaissa-profile-bar', attrs: { 'aria-hidden': 'true' } },
    el('span', { className: 'gaissa-profile-bar-fill', attrs: { style: `width: ${width}%` } })
  );
}

function where(cell: number | null, line: number | null): string {
  if (cell === null) return '';
  return line === null ? `[${cell}]` : `[${cell}] line ${line}`;
}

function headline(p: ProfileRecord): HTMLElement {
  return el(
    'div',
    { className: 'gaissa-profile-headline' },
    el('strong', {}, `Energy profile: ${formatEnergy(p.totalEnergyJ)}`),
    ` over ${formatDuration(p.durationS)}, `,
    el('span', { className: 'gaissa-profile-provenance' }, provenanceText(coverageOfRecord(p))),
    ` (${p.method}); ${p.samples} samples every ${p.intervalUs} µs`
  );
}

function hotLines(p: ProfileRecord): HTMLElement {
  const rows = p.lines
    .slice(0, MAX_HOT_LINES)
    .map(l =>
      el(
        'tr',
        { className: 'gaissa-profile-line' },
        el('td', {}, bar(l.share)),
        el('td', { className: 'gaissa-profile-num' }, pct(l.share)),
        el('td', { className: 'gaissa-profile-num' }, formatEnergy(l.energyJ)),
        el('td', { className: 'gaissa-profile-where' }, where(l.cell, l.line)),
        el('td', {}, el('code', {}, l.text))
      )
    );
  return el(
    'section',
    { className: 'gaissa-profile-hot' },
    el('h4', {}, 'Hottest lines'),
    el(
      'table',
      {},
      el(
        'thead',
        {},
        el('tr', {}, ...['', 'Share', 'Energy', 'Where', 'Code'].map(h => el('th', {}, h)))
      ),
      el('tbody', {}, ...rows)
    )
  );
}

/** Each cell's code, every line with its bar: where in the cell the energy went. */
function codeView(p: ProfileRecord): HTMLElement {
  const byLine = new Map(p.lines.map(l => [`${l.cell}:${l.line}`, l]));
  const cells = p.cells.map(c =>
    el(
      'figure',
      { className: 'gaissa-profile-cell' },
      el('figcaption', {}, `Cell [${c.cell}]`),
      el(
        'div',
        { className: 'gaissa-profile-code', attrs: { role: 'list' } },
        ...c.code.slice(0, MAX_CODE_LINES).map((text, i) => {
          const line = byLine.get(`${c.cell}:${i + 1}`);
          return el(
            'div',
            { className: 'gaissa-profile-code-line', attrs: { role: 'listitem' } },
            el('span', { className: 'gaissa-profile-lineno' }, String(i + 1)),
            bar(line?.share ?? 0),
            el('span', { className: 'gaissa-profile-num' }, line ? pct(line.share) : ''),
            el('code', {}, text)
          );
        })
      )
    )
  );
  return el('section', { className: 'gaissa-profile-cells' }, el('h4', {}, 'Code'), ...cells);
}

function elsewhere(p: ProfileRecord): Child {
  if (p.other.length === 0) return null;
  return el(
    'section',
    { className: 'gaissa-profile-other' },
    el('h4', {}, 'Elsewhere'),
    el(
      'ul',
      {},
      ...p.other.map(o =>
        el('li', {}, bar(o.share), ` ${pct(o.share)} ${formatEnergy(o.energyJ)} `, o.label)
      )
    )
  );
}

/**
 * An icicle of the call tree: each frame as wide as its share of the energy, callees below their
 * caller, drawn with positioned boxes (our own DOM, no library).
 */
function flameGraph(p: ProfileRecord): Child {
  if (p.flame.length === 0 || !(p.totalEnergyJ > 0)) return null;
  const boxes: HTMLElement[] = [];
  let depthUsed = 0;
  // Callees share their caller's span: [x, end), whatever energies the payload claims.
  const draw = (frames: readonly FlameFrame[], x: number, end: number, depth: number) => {
    if (depth >= MAX_FLAME_DEPTH) return;
    let at = x;
    for (const f of frames) {
      const width = Math.min(end - at, f.energyJ / p.totalEnergyJ);
      if (width < MIN_FLAME_WIDTH) continue;
      depthUsed = Math.max(depthUsed, depth + 1);
      const place = f.line === null ? '' : ` ${where(f.cell, f.line)}`; // a top level names its cell
      const label = `${f.name}${place}: ${formatEnergy(f.energyJ)} (${pct(width)})`;
      boxes.push(
        el(
          'div',
          {
            className: `gaissa-profile-frame${f.cell === null ? ' gaissa-profile-frame-library' : ''}`,
            attrs: {
              title: label,
              role: 'listitem',
              style: `left: ${(at * 100).toFixed(3)}%; width: ${(width * 100).toFixed(3)}%; top: ${depth * 20}px`
            }
          },
          label
        )
      );
      draw(f.children, at, at + width, depth + 1);
      at += width;
    }
  };
  draw(p.flame, 0, 1, 0);
  return el(
    'section',
    { className: 'gaissa-profile-flame' },
    el('h4', {}, 'Functions (flame graph: width is energy, callees below)'),
    el(
      'div',
      {
        className: 'gaissa-profile-flame-graph',
        attrs: { role: 'list', style: `height: ${depthUsed * 20}px` }
      },
      ...boxes
    )
  );
}

function footer(p: ProfileRecord): HTMLElement {
  const { slowdown, profilerMs, basis } = p.overhead;
  return el(
    'div',
    { className: 'gaissa-profile-overhead' },
    el(
      'span',
      { attrs: { title: basis } },
      `Profiling overhead: +${(slowdown * 100).toFixed(1)} % time while sampling; ` +
        `${profilerMs.toFixed(1)} ms to start and read the profiler (outside the window).`
    ),
    ...p.notes.slice(0, 10).map(n => el('div', { className: 'gaissa-profile-note' }, n))
  );
}

export function profileView(p: ProfileRecord): HTMLElement {
  if (p.status !== 'ok') {
    return el(
      'div',
      { className: PROFILE_CLASS },
      headline(p),
      el(
        'div',
        { className: 'gaissa-profile-too-short', attrs: { role: 'status' } },
        p.reason ?? 'No samples to attribute.'
      ),
      footer(p)
    );
  }
  return el(
    'div',
    { className: PROFILE_CLASS },
    headline(p),
    hotLines(p),
    codeView(p),
    elsewhere(p),
    flameGraph(p),
    footer(p)
  );
}
