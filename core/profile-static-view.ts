/**
 * Static views of a profile record for viewers without the extension: text/plain and an HTML
 * table of the hottest lines, what ran elsewhere and the functions. Payloads are untrusted: every
 * number is re-checked, every payload string flattened to one line and escaped, and no attribute
 * takes a payload string.
 */
import { escapeMarkup, finiteNumber, formatEnergy, plainText } from './format';
import { coverageOfRecord, provenanceText } from './provenance';

type Loose = Record<string, unknown>;

/** Rows shown in the static views; the record holds more. */
const MAX_ROWS = 20;

function obj(x: unknown): Loose {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Loose) : {};
}

function list(x: unknown, max = MAX_ROWS): Loose[] {
  return Array.isArray(x) ? x.slice(0, max).map(obj) : [];
}

/** A payload string on one line, without control characters, at most `max` code points. */
function oneLine(x: unknown, max = 120): string {
  if (typeof x !== 'string') return '';
  const flat = plainText(x).replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : chars.slice(0, max - 1).join('') + '…';
}

function energy(x: unknown): string {
  const v = finiteNumber(x);
  return v === null || v < 0 ? 'n/a' : formatEnergy(v);
}

function percent(x: unknown): string {
  const v = finiteNumber(x);
  return v === null || v < 0 || v > 1 ? 'n/a' : `${(v * 100).toFixed(1)} %`;
}

function whole(x: unknown): string {
  const v = finiteNumber(x);
  return v === null || v < 0 || !Number.isInteger(v) ? '?' : String(v);
}

/** "[3] line 5" for a cell line; "[3]" for a cell without a line; "" otherwise. */
function where(cell: unknown, line: unknown): string {
  if (finiteNumber(cell) === null) return '';
  return finiteNumber(line) === null ? `[${whole(cell)}]` : `[${whole(cell)}] line ${whole(line)}`;
}

/** What the record says of itself, in the order every view shows it. */
function heading(r: Loose): string {
  const ms = finiteNumber(r.durationS);
  return (
    `Energy profile: ${energy(r.totalEnergyJ)} over ${ms === null ? 'n/a' : `${(ms * 1000).toFixed(1)} ms`}, ` +
    `${provenanceText(coverageOfRecord(r))}; ` +
    `${whole(r.samples)} samples every ${whole(r.intervalUs)} µs`
  );
}

function overheadText(r: Loose): string {
  const o = obj(r.overhead);
  const slowdown = finiteNumber(o.slowdown);
  const ms = finiteNumber(o.profilerMs);
  return (
    `Profiling overhead: ${slowdown === null || slowdown < 0 ? 'n/a' : `+${(slowdown * 100).toFixed(1)} % time`} while sampling` +
    `${ms === null || ms < 0 ? '' : `, ${ms.toFixed(1)} ms to start and read the profiler (outside the window)`}`
  );
}

export function profileText(record: unknown): string {
  const r = obj(record);
  const out = [heading(r)];
  if (r.status !== 'ok') {
    out.push(`No lines: ${oneLine(r.reason, 300) || 'the profile has no samples to attribute'}`);
    out.push(overheadText(r));
    return out.join('\n');
  }
  out.push('Hottest lines:');
  for (const l of list(r.lines)) {
    out.push(
      `  ${percent(l.share).padStart(7)}  ${energy(l.energyJ).padStart(9)}  ${where(l.cell, l.line).padEnd(14)} ${oneLine(l.text, 80)}`
    );
  }
  const other = list(r.other);
  if (other.length > 0) out.push('Elsewhere:');
  for (const o of other)
    out.push(
      `  ${percent(o.share).padStart(7)}  ${energy(o.energyJ).padStart(9)}  ${oneLine(o.label)}`
    );
  out.push('Functions (total / self):');
  for (const f of list(r.functions, 10)) {
    // A cell's top level (no line) names its cell already.
    const at = finiteNumber(f.line) === null ? '' : where(f.cell, f.line);
    out.push(
      `  ${energy(f.totalEnergyJ).padStart(9)} / ${energy(f.selfEnergyJ).padStart(9)}  ${oneLine(f.name, 80)}${at ? ` (${at})` : ''}`
    );
  }
  out.push(overheadText(r));
  const notes = Array.isArray(r.notes) ? r.notes.slice(0, 5) : [];
  for (const note of notes) if (oneLine(note)) out.push(`Note: ${oneLine(note, 300)}`);
  return out.join('\n');
}

export function profileHtml(record: unknown): string {
  const r = obj(record);
  const e = (x: string) => escapeMarkup(x);
  const rows: string[] = [];
  const table = (head: string[], body: string[][]) =>
    `<table class="gaissa-profile-static"><thead><tr>${head.map(h => `<th>${e(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${body.map(row => `<tr>${row.map(c => `<td>${e(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  rows.push(`<p><strong>${e(heading(r))}</strong></p>`);
  if (r.status !== 'ok') {
    rows.push(
      `<p>${e(`No lines: ${oneLine(r.reason, 300) || 'the profile has no samples to attribute'}`)}</p>`
    );
  } else {
    rows.push(
      table(
        ['Share', 'Energy', 'Where', 'Code'],
        list(r.lines).map(l => [
          percent(l.share),
          energy(l.energyJ),
          where(l.cell, l.line),
          oneLine(l.text, 80)
        ])
      )
    );
    const other = list(r.other);
    if (other.length > 0)
      rows.push(
        table(
          ['Share', 'Energy', 'Elsewhere'],
          other.map(o => [percent(o.share), energy(o.energyJ), oneLine(o.label)])
        )
      );
    rows.push(
      table(
        ['Total', 'Self', 'Function', 'Where'],
        list(r.functions, 10).map(f => [
          energy(f.totalEnergyJ),
          energy(f.selfEnergyJ),
          oneLine(f.name, 80),
          where(f.cell, f.line)
        ])
      )
    );
  }
  rows.push(`<p>${e(overheadText(r))}</p>`);
  return `<div class="gaissa-profile-static">${rows.join('')}</div>`;
}
