/**
 * Static views of the ONNX tactics outputs for viewers without the extension (nbconvert, GitHub,
 * the classic Notebook): the comparison table with an inline SVG of energy vs quality and its
 * Pareto front, a tactic's report, and a model's summary; each as text/plain and HTML.
 *
 * Payloads are untrusted (a notebook from a stranger): nothing here trusts the declared types.
 * Numbers are re-checked (a bad one reads "n/a"), payload strings are flattened to one line and
 * escaped, and no attribute ever takes a payload string.
 */
import { provenanceMark } from './provenance';
import { escapeMarkup, finiteNumber as num, formatNumber, plainText, formatSI } from './format';
import type { ModelSummary, TacticReport, TacticsPayload } from './tactics';
import { variantPredictionLatency, variantPredictionLine } from './tactics-prediction';

type Loose = Record<string, unknown>;

function obj(x: unknown): Loose {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Loose) : {};
}

function list(x: unknown, max = 200): unknown[] {
  return Array.isArray(x) ? x.slice(0, max) : [];
}

/** A payload string on one line, without control characters, at most `max` characters. */
function line(x: unknown, max = 200): string {
  if (typeof x !== 'string') return '';
  const flat = plainText(x).replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= max ? flat : chars.slice(0, max - 1).join('') + '…';
}

const esc = (x: unknown, max = 200) => escapeMarkup(line(x, max));

function si(x: unknown, unit: string): string {
  const v = num(x);
  return v === null ? 'n/a' : formatSI(v, unit);
}

function signedPct(x: unknown): string {
  const v = num(x);
  if (v === null) return '';
  return `${v > 0 ? '+' : ''}${Math.abs(v) < 10 ? v.toFixed(1) : Math.round(v)} %`;
}

function pct(x: unknown): string {
  const v = num(x);
  return v === null ? 'n/a' : `${(v * 100).toFixed(2)} %`;
}

function points(x: unknown): string {
  const v = num(x);
  return v === null ? '' : `${v > 0 ? '+' : ''}${v.toFixed(2)} pts`;
}

function ms(x: unknown): string {
  const v = num(x);
  return v === null ? 'n/a' : `${formatNumber(v)} ms`;
}

function pad(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map(r => Array.from(r[c]).length)));
  return rows.map(r =>
    r
      .map((cell, c) => cell + ' '.repeat(widths[c] - Array.from(cell).length))
      .join('  ')
      .trimEnd()
  );
}

interface Row {
  name: string;
  flags: string;
  energy: string;
  energyDelta: string;
  p50: string;
  p95: string;
  throughput: string;
  size: string;
  gzip: string;
  quality: string;
  qualityDelta: string;
}

/** A row's cells in the column order of both tables (text and HTML). */
function cellsOf(r: Row): string[] {
  return [
    r.name,
    r.energy,
    r.energyDelta,
    r.p50,
    r.p95,
    r.throughput,
    r.size,
    r.gzip,
    r.quality,
    r.qualityDelta,
    r.flags
  ];
}

function rowsOf(payload: Loose): Row[] {
  return list(payload.variants).map(raw => {
    const v = obj(raw);
    const d = obj(v.deltas);
    const flags = [
      v.baseline === true ? 'baseline' : '',
      v.recommended === true ? 'recommended' : '',
      v.pareto === true ? 'pareto' : '',
      v.withinBudget === false ? 'over budget' : ''
    ].filter(Boolean);
    const estimated = provenanceMark(v.method, v.coverage);
    return {
      name: line(v.name, 60) || '?',
      flags: flags.join(', '),
      energy: si(v.energyPerInferenceJ, 'J') + estimated,
      energyDelta: signedPct(d.energyPct),
      p50: ms(v.latencyMs),
      p95: ms(v.latencyP95Ms),
      throughput: num(v.throughputPerS) === null ? 'n/a' : `${formatNumber(v.throughputPerS)}/s`,
      size: si(v.modelBytes, 'B'),
      gzip: si(v.gzipBytes, 'B'),
      quality: pct(v.quality),
      qualityDelta: points(d.qualityPoints)
    };
  });
}

function headline(payload: Loose): string[] {
  const setup = obj(payload.setup);
  const metric = line(payload.metric, 20) || 'quality';
  const drop = num(payload.maxAccuracyDrop);
  return [
    `Tactics comparison: ${list(payload.variants).length} variants, ${formatNumber(setup.samples)} inputs, ` +
      `metric ${metric}, budget ${drop === null ? 'n/a' : (drop * 100).toFixed(2)} points`,
    `Recommended: ${line(payload.recommended, 60) || 'n/a'}. ${line(payload.recommendation, 400)}`
  ];
}

function footer(payload: Loose): string[] {
  const setup = obj(payload.setup);
  const out: string[] = [];
  const meter = line(setup.meterMethod, 20);
  if (meter) {
    out.push(
      `Energy per inference from ${meter === 'estimate' ? 'the estimator (no hardware counter here)' : meter}` +
        `, ${formatNumber(setup.repeat)} windows per variant after ${formatNumber(setup.warmup)} warm-up; ${line(setup.runtime, 80)}`
    );
  }
  for (const r of list(setup.fallbackReasons, 10)) if (line(r)) out.push(line(r, 300));
  return out;
}

/** Comparison notes, then variant notes grouped: a note shared by variants is listed once. */
function notesOf(payload: Loose): string[] {
  const notes = list(payload.notes, 50)
    .map(n => line(n, 400))
    .filter(Boolean);
  const grouped = new Map<string, string[]>();
  const add = (note: string, name: string) => {
    if (!note) return;
    const names = grouped.get(note) ?? [];
    if (!names.includes(name)) names.push(name);
    grouped.set(note, names);
  };
  for (const raw of list(payload.variants)) {
    const v = obj(raw);
    const name = line(v.name, 60) || '?';
    for (const n of list(v.notes, 20)) add(line(n, 400), name);
    for (const n of list(v.leftAsIs, 20)) add(line(n, 300) && `left as is: ${line(n, 300)}`, name);
  }
  for (const [note, names] of grouped) {
    const who =
      names.length > 4
        ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more`
        : names.join(', ');
    notes.push(`${who}: ${note}`);
  }
  return notes;
}

const PREDICTED_TITLE = 'Predicted before measuring (not measured):';

/** Each variant that carries a prediction: its name, predicted vs measured, and the basis. */
function predictionsOf(payload: Loose): Array<{ name: string; line: string; basis: string }> {
  return list(payload.variants)
    .map(raw => obj(raw))
    .filter(v => v.prediction !== undefined)
    .map(v => {
      const p = obj(v.prediction);
      const latency = variantPredictionLatency(p, v.latencyMs);
      return {
        name: line(v.name, 60) || '?',
        line: line(variantPredictionLine(p, v), 600) + (latency ? `; ${latency}` : ''),
        basis: 'noPrediction' in p ? '' : line(p.basis, 600)
      };
    });
}

export function tacticsText(payloadIn: TacticsPayload | unknown): string {
  const payload = obj(payloadIn);
  const rows = rowsOf(payload);
  const table = pad([
    [
      'variant',
      'energy/inf',
      'Δ energy',
      'p50',
      'p95',
      'throughput',
      'size',
      'gzip',
      'quality',
      'Δ',
      'marks'
    ],
    ...rows.map(cellsOf)
  ]);
  const notes = notesOf(payload);
  const predicted = predictionsOf(payload);
  return [
    ...headline(payload),
    '',
    ...table,
    ...(predicted.length
      ? [
          '',
          PREDICTED_TITLE,
          ...predicted.flatMap(p => [
            `  ${p.name}: ${p.line}`,
            ...(p.basis ? [`    basis: ${p.basis}`] : [])
          ])
        ]
      : []),
    ...(notes.length ? ['', 'Notes:', ...notes.map(n => `  - ${n}`)] : []),
    ...footer(payload).map(f => `(${f})`)
  ].join('\n');
}

const W = 360;
const H = 220;
const M = { left: 48, right: 12, top: 12, bottom: 36 };

/** Energy (x) vs quality (y) with the Pareto front joined; names are text nodes, escaped. */
function scatterSvg(payload: Loose): string {
  const pts = list(payload.variants)
    .map(raw => obj(raw))
    .map(v => ({
      name: esc(v.name, 40),
      x: num(v.energyPerInferenceJ),
      y: num(v.quality),
      pareto: v.pareto === true,
      recommended: v.recommended === true
    }))
    .filter((p): p is typeof p & { x: number; y: number } => p.x !== null && p.y !== null);
  if (pts.length === 0) return '';
  const xMax = Math.max(...pts.map(p => p.x)) * 1.1 || 1;
  const yLo = Math.min(...pts.map(p => p.y));
  const yHi = Math.max(...pts.map(p => p.y));
  const span = Math.max(yHi - yLo, 0.01);
  const y0 = Math.max(0, yLo - span * 0.2);
  const y1 = Math.min(1, yHi + span * 0.2) > y0 ? Math.min(1, yHi + span * 0.2) : y0 + span;
  const sx = (x: number) => M.left + (x / xMax) * (W - M.left - M.right);
  const sy = (y: number) => H - M.bottom - ((y - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const front = pts.filter(p => p.pareto).sort((a, b) => a.x - b.x);
  const frontLine =
    front.length > 1
      ? `<polyline fill="none" stroke="#2e7d32" stroke-dasharray="4 3" points="${front
          .map(p => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`)
          .join(' ')}"/>`
      : '';
  const dots = pts
    .map(
      p =>
        `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="${p.recommended ? 6 : 4}" fill="${p.pareto ? '#2e7d32' : '#9e9e9e'}"/>` +
        `<text x="${(sx(p.x) + 7).toFixed(1)}" y="${(sy(p.y) - 5).toFixed(1)}" font-size="10">${p.name}</text>`
    )
    .join('');
  const axes =
    `<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="#757575"/>` +
    `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="#757575"/>` +
    `<text x="${(W + M.left) / 2}" y="${H - 6}" font-size="10" text-anchor="middle">energy per inference (0 to ${escapeMarkup(formatSI(xMax, 'J'))})</text>` +
    `<text x="4" y="${M.top + 8}" font-size="10">${(y1 * 100).toFixed(1)} %</text>` +
    `<text x="4" y="${H - M.bottom}" font-size="10">${(y0 * 100).toFixed(1)} %</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="energy per inference against quality; Pareto front dashed">${axes}${frontLine}${dots}</svg>`;
}

export function tacticsHtml(payloadIn: TacticsPayload | unknown): string {
  const payload = obj(payloadIn);
  const rows = rowsOf(payload);
  const head = [
    'variant',
    'energy / inference',
    'Δ energy',
    'p50',
    'p95',
    'throughput',
    'size',
    'gzip',
    'quality',
    'Δ',
    ''
  ]
    .map(h => `<th>${escapeMarkup(h)}</th>`)
    .join('');
  const body = rows
    .map(
      r =>
        `<tr${r.flags.includes('recommended') ? ' class="gaissa-recommended"' : ''}>` +
        cellsOf(r)
          .map(c => `<td>${escapeMarkup(c)}</td>`)
          .join('') +
        '</tr>'
    )
    .join('\n');
  const [title, recommendation] = headline(payload);
  const notes = notesOf(payload);
  const predicted = predictionsOf(payload);
  const predictedHtml = predicted.length
    ? `\n<p class="gaissa-tactics-predicted">${escapeMarkup(PREDICTED_TITLE)}</p>\n<ul>${predicted
        .map(
          p =>
            `<li><strong>${escapeMarkup(p.name)}</strong>: ${escapeMarkup(p.line)}` +
            (p.basis ? `<br><small>basis: ${escapeMarkup(p.basis)}</small>` : '') +
            '</li>'
        )
        .join('')}</ul>`
    : '';
  return (
    `<div class="gaissa-tactics-static">\n<p><strong>${escapeMarkup(title)}</strong><br>${escapeMarkup(recommendation)}</p>\n` +
    `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>\n` +
    scatterSvg(payload) +
    predictedHtml +
    (notes.length ? `\n<ul>${notes.map(n => `<li>${escapeMarkup(n)}</li>`).join('')}</ul>` : '') +
    footer(payload)
      .map(f => `\n<p><small>${escapeMarkup(f)}</small></p>`)
      .join('') +
    '\n</div>'
  );
}

function reportLines(reportIn: TacticReport | unknown): string[] {
  const r = obj(reportIn);
  const out = [
    `${line(r.spec, 60) || line(r.tactic, 60)}: ${line(r.summary, 400)}`,
    `  size ${si(r.sizeBytesBefore, 'B')} -> ${si(r.sizeBytesAfter, 'B')}, ${ms(r.durationMs)}`
  ];
  const changed = list(r.changed, 1000);
  if (changed.length)
    out.push(`  changed ${changed.length} node${changed.length === 1 ? '' : 's'}`);
  for (const raw of list(r.leftAsIs, 50)) {
    const l = obj(raw);
    out.push(`  left as is: ${line(l.op, 40)} '${line(l.node, 80)}': ${line(l.reason, 300)}`);
  }
  for (const n of list(r.notes, 20)) out.push(`  note: ${line(n, 400)}`);
  return out;
}

export function tacticReportText(
  reports: ReadonlyArray<TacticReport | unknown>,
  title = ''
): string {
  return [...(title ? [line(title, 200)] : []), ...reports.flatMap(reportLines)].join('\n');
}

export function tacticReportHtml(
  reports: ReadonlyArray<TacticReport | unknown>,
  title = ''
): string {
  const items = reports
    .map(raw => {
      const [first, ...rest] = reportLines(raw);
      return `<li><strong>${escapeMarkup(first)}</strong>${rest.length ? `<br>${rest.map(l => escapeMarkup(l.trim())).join('<br>')}` : ''}</li>`;
    })
    .join('');
  return `<div class="gaissa-tactic-report">${title ? `<p>${esc(title)}</p>` : ''}<ul>${items}</ul></div>`;
}

function shape(x: unknown): string {
  if (!Array.isArray(x)) return '?';
  return `[${x
    .slice(0, 16)
    .map(d => (typeof d === 'number' ? String(d) : typeof d === 'string' ? line(d, 20) : '?'))
    .join(', ')}]`;
}

function summaryLines(summaryIn: ModelSummary | unknown, path?: string): string[] {
  const s = obj(summaryIn);
  const ops = Object.entries(obj(s.operators))
    .slice(0, 100)
    .map(([k, v]) => `${line(k, 60)} x${formatNumber(v)}`)
    .join(', ');
  const byType = Object.entries(obj(s.parametersByType))
    .map(([k, v]) => `${formatNumber(v)} ${line(k, 20)}`)
    .join(', ');
  const io = (key: string) =>
    list(s[key], 20)
      .map(raw => {
        const t = obj(raw);
        return `${line(t.name, 60)} ${line(t.type, 20)} ${shape(t.shape)}`;
      })
      .join('; ');
  return [
    `ONNX model ${line(s.name, 80)}${path ? ` (${line(path, 200)})` : ''}`,
    `  size ${si(s.sizeBytes, 'B')}, ${formatNumber(s.parameters)} parameters${byType ? ` (${byType})` : ''}`,
    `  opset ${formatNumber(s.opset)}, IR ${formatNumber(s.irVersion)}${line(s.producer) ? `, made by ${line(s.producer, 80)}` : ''}`,
    `  ${formatNumber(s.nodes)} nodes: ${ops}`,
    `  inputs: ${io('inputs')}`,
    `  outputs: ${io('outputs')}`
  ];
}

export function modelSummaryText(summary: ModelSummary | unknown, path?: string): string {
  return summaryLines(summary, path).join('\n');
}

export function modelSummaryHtml(summary: ModelSummary | unknown, path?: string): string {
  const [title, ...rest] = summaryLines(summary, path);
  return `<div class="gaissa-model-summary"><strong>${escapeMarkup(title)}</strong><br>${rest
    .map(l => escapeMarkup(l.trim()))
    .join('<br>')}</div>`;
}
