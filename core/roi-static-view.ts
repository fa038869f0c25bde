/**
 * Static views of an ROI result for viewers without the extension (nbconvert, GitHub, classic
 * Notebook): text/plain and a small HTML table with an inline SVG chart.
 *
 * Payloads are untrusted (a notebook from a stranger): nothing here trusts the declared types.
 * Numbers are re-checked, every string is escaped, and no attribute takes a payload string.
 */
import { escapeMarkup, finiteNumber as num, formatNumber, plainText } from './format';
import { RoiExpected, RoiResult } from './roi';

function str(x: unknown, max = 400): string | null {
  return typeof x === 'string' ? x.slice(0, max) : null;
}

/** The views' shared formatting lives in core/format.ts; re-exported for existing importers. */
export { escapeMarkup as escapeHtml };

function money(x: unknown, currency: string): string {
  const v = formatNumber(x);
  return v === 'n/a' || !currency ? v : `${v} ${currency}`;
}

function percent(x: unknown): string {
  const v = num(x);
  if (v === null) return 'n/a';
  // Beyond a million percent, × 100 could overflow: show the fraction itself.
  return Math.abs(v) < 1e4 ? `${(v * 100).toFixed(1)} %` : `${formatNumber(v)} (as a fraction)`;
}

function days(x: unknown): string {
  const v = num(x);
  if (v === null) return 'n/a';
  const d = Math.ceil(v);
  return `${d.toLocaleString('en-US')} day${d === 1 ? '' : 's'} (${(v / 365).toFixed(2)} years)`;
}

interface Row {
  label: string;
  value: string;
  /** Why the figure is missing or qualified. */
  note?: string;
}

interface YearRow {
  year: string;
  inferences: string;
  savings: string;
  cumulative: string;
  npv: string;
  co2: string;
}

/** The figures of a result as label/value pairs, shared by the text and HTML views. */
function rows(result: RoiResult): { rows: Row[]; years: YearRow[]; currency: string } {
  const r = (typeof result === 'object' && result !== null ? result : {}) as Partial<
    Record<keyof RoiResult, unknown>
  >;
  const currency = str(r.currency, 16) ?? '';
  const notes = (
    typeof r.explanations === 'object' && r.explanations !== null ? r.explanations : {}
  ) as Record<string, unknown>;
  const note = (field: string) => str(notes[field]) ?? undefined;
  const n = formatNumber(r.inferences);
  const out: Row[] = [
    { label: 'Cost per inference, baseline', value: money(r.costPerInferenceBaseline, currency) },
    { label: 'Cost per inference, optimized', value: money(r.costPerInferenceOptimized, currency) },
    {
      label: 'Break-even',
      value:
        num(r.breakEvenInferences) === null
          ? 'none'
          : `${formatNumber(r.breakEvenInferences)} inferences`,
      note: note('breakEvenInferences')
    },
    { label: `ROI after ${n} inferences`, value: percent(r.roi), note: note('roi') },
    { label: 'ROI for unlimited use', value: percent(r.roiUnlimited), note: note('roiUnlimited') },
    {
      label: `Savings after ${n} inferences`,
      value: `${money(r.savings, currency)} (net of implementation: ${money(r.netSavings, currency)})`
    },
    { label: 'Energy saved', value: `${formatNumber(r.energySavedKWh)} kWh` },
    {
      label: 'CO2e avoided',
      value: num(r.co2SavedKg) === null ? 'n/a' : `${formatNumber(r.co2SavedKg)} kg`,
      note: note('co2SavedKg')
    }
  ];
  const yearly = Array.isArray(r.yearly) ? r.yearly.slice(0, 100) : [];
  if (r.npv !== undefined) {
    out.push({ label: `NPV over ${yearly.length} years`, value: money(r.npv, currency) });
    out.push({
      label: 'Payback',
      value: num(r.paybackDays) === null ? 'never' : days(r.paybackDays),
      note: note('paybackDays')
    });
  }
  const years = yearly.map((y: unknown) => {
    const row = (typeof y === 'object' && y !== null ? y : {}) as Record<string, unknown>;
    return {
      year: formatNumber(row.year),
      inferences: formatNumber(row.inferences),
      savings: money(row.savings, currency),
      cumulative: money(row.cumulativeNetSavings, currency),
      npv: money(row.npv, currency),
      co2: num(row.co2SavedKg) === null ? 'n/a' : `${formatNumber(row.co2SavedKg)} kg`
    };
  });
  return { rows: out, years, currency };
}

/** "Expected, not measured: ..." and the caveat, for a what-if built from the literature. */
function expectedLines(expected: RoiExpected | undefined): string[] {
  if (typeof expected !== 'object' || expected === null) return [];
  const name = str(expected.name) ?? 'tactic';
  const reduction = num(expected.reduction);
  const qualifier = str(expected.qualifier, 40);
  const prefix = qualifier === 'up to' || qualifier === 'approximately' ? `${qualifier} ` : '';
  const suffix = qualifier === 'range' ? ' (from a reported range)' : '';
  const change =
    reduction === null
      ? ''
      : `, ${prefix}${(Math.abs(reduction) * 100).toFixed(1)} % ${reduction >= 0 ? 'less' : 'more'} energy${suffix}`;
  const source = str(expected.source, 600) ?? 'unknown source';
  const lines = [`Expected, not measured: ${name}${change} (${source})`];
  const caveat = str(expected.caveat, 600);
  if (caveat) lines.push(`Caveat: ${caveat}`);
  return lines;
}

/** text/plain view. */
export function roiText(result: RoiResult, expected?: RoiExpected): string {
  const { rows: figures, years } = rows(result);
  const lines = ['GAISSA ROI'];
  lines.push(...expectedLines(expected));
  const width = Math.max(...figures.map(f => f.label.length));
  for (const f of figures) {
    lines.push(`  ${f.label.padEnd(width)}  ${f.value}${f.note ? ` (${f.note})` : ''}`);
  }
  if (years.length > 0) {
    const head = ['year', 'inferences', 'savings', 'cumulative net', 'NPV', 'CO2e avoided'];
    const table = years.map(y => [y.year, y.inferences, y.savings, y.cumulative, y.npv, y.co2]);
    const widths = head.map((h, i) => Math.max(h.length, ...table.map(t => t[i].length)));
    const fmt = (cells: string[]) => '  ' + cells.map((c, i) => c.padStart(widths[i])).join('  ');
    lines.push('', fmt(head), ...table.map(fmt));
  }
  return plainText(lines.join('\n'));
}

interface ChartPoint {
  x: number;
  baseline: number;
  optimized: number;
}

function chartData(r: Record<string, unknown>): {
  points: ChartPoint[];
  xLabel: string;
  breakEven: number | null;
} {
  const take = (list: unknown, key: string): ChartPoint[] =>
    (Array.isArray(list) ? list.slice(0, 1000) : [])
      .map((p: unknown) => {
        const o = (typeof p === 'object' && p !== null ? p : {}) as Record<string, unknown>;
        return { x: num(o[key]), baseline: num(o.baseline), optimized: num(o.optimized) };
      })
      .filter((p): p is ChartPoint => p.x !== null && p.baseline !== null && p.optimized !== null);
  const byDay = take(r.costCurve, 'day');
  if (byDay.length >= 2) {
    return {
      points: byDay,
      xLabel: 'days',
      breakEven: r.paybackWithinHorizon === true ? num(r.paybackDays) : null
    };
  }
  return {
    points: take(r.inferenceCurve, 'inferences'),
    xLabel: 'inferences',
    breakEven: num(r.breakEvenInferences)
  };
}

/** Inline SVG of cumulative cost, baseline vs optimized, with the break-even point marked. */
function costChart(result: RoiResult, currency: string): string {
  const r = typeof result === 'object' && result !== null ? result : {};
  const { points, xLabel, breakEven } = chartData(r as Record<string, unknown>);
  if (points.length < 2) return '';
  const W = 480;
  const H = 240;
  const left = 64;
  const right = 16;
  const top = 16;
  const bottom = 40;
  const xMax = Math.max(...points.map(p => p.x));
  const ys = points.flatMap(p => [p.baseline, p.optimized]);
  const yMin = Math.min(0, ...ys);
  const yMax = Math.max(...ys);
  const xSpan = xMax > 0 ? xMax : 1;
  const ySpan = yMax > yMin ? yMax - yMin : 1;
  const sx = (x: number) => left + (x / xSpan) * (W - left - right);
  const sy = (y: number) => H - bottom - ((y - yMin) / ySpan) * (H - top - bottom);
  const line = (key: 'baseline' | 'optimized') =>
    points.map(p => `${sx(p.x).toFixed(1)},${sy(p[key]).toFixed(1)}`).join(' ');
  const text = (x: number, y: number, anchor: string, content: string) =>
    `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${anchor}" font-size="11" ` +
    `fill="currentColor">${escapeMarkup(content)}</text>`;
  const unit = currency ? ` (${currency})` : '';
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" ` +
      `viewBox="0 0 ${W} ${H}" role="img" class="gaissa-roi-chart">`,
    `<title>${escapeMarkup(`Cumulative cost${unit}: baseline vs optimized`)}</title>`,
    `<line x1="${left}" y1="${H - bottom}" x2="${W - right}" y2="${H - bottom}" stroke="currentColor"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${H - bottom}" stroke="currentColor"/>`,
    text(left - 4, sy(yMax) + 4, 'end', formatNumber(yMax)),
    text(left - 4, sy(yMin) + 4, 'end', formatNumber(yMin)),
    text(left, H - bottom + 14, 'start', '0'),
    text(W - right, H - bottom + 14, 'end', formatNumber(xMax)),
    text((left + W - right) / 2, H - 6, 'middle', `${xLabel}; cumulative cost${unit}`),
    `<polyline fill="none" stroke="#d62728" stroke-width="2" points="${line('baseline')}"/>`,
    `<polyline fill="none" stroke="#2ca02c" stroke-width="2" points="${line('optimized')}"/>`,
    text(left + 8, top + 10, 'start', 'baseline'),
    text(left + 8, top + 24, 'start', 'optimized')
  ];
  parts.push(
    `<rect x="${left + 70}" y="${top + 4}" width="12" height="3" fill="#d62728"/>`,
    `<rect x="${left + 70}" y="${top + 18}" width="12" height="3" fill="#2ca02c"/>`
  );
  if (breakEven !== null && breakEven >= 0 && breakEven <= xMax) {
    const at = points.find(p => p.x === breakEven);
    if (at) {
      const cx = sx(at.x);
      const cy = sy(at.baseline);
      parts.push(
        `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="4" fill="none" stroke="currentColor" stroke-width="2"/>`,
        text(cx, cy - 8, 'middle', `break-even: ${formatNumber(breakEven)} ${xLabel}`)
      );
    }
  }
  parts.push('</svg>');
  return parts.join('');
}

/** text/html view: a table of headline figures, the yearly series and the cost chart. */
export function roiHtml(result: RoiResult, expected?: RoiExpected): string {
  const { rows: figures, years, currency } = rows(result);
  const out = ['<div class="gaissa-roi-static">'];
  const [claim, caveat] = expectedLines(expected);
  if (claim) out.push(`<p><strong>${escapeMarkup(claim)}</strong></p>`);
  if (caveat) out.push(`<p>${escapeMarkup(caveat)}</p>`);
  out.push('<table>');
  for (const f of figures) {
    const note = f.note ? ` <em>(${escapeMarkup(f.note)})</em>` : '';
    out.push(`<tr><th>${escapeMarkup(f.label)}</th><td>${escapeMarkup(f.value)}${note}</td></tr>`);
  }
  out.push('</table>');
  if (years.length > 0) {
    const head = ['Year', 'Inferences', 'Savings', 'Cumulative net', 'NPV', 'CO2e avoided'];
    out.push('<table>', `<tr>${head.map(h => `<th>${escapeMarkup(h)}</th>`).join('')}</tr>`);
    for (const y of years) {
      const cells = [y.year, y.inferences, y.savings, y.cumulative, y.npv, y.co2];
      out.push(`<tr>${cells.map(c => `<td>${escapeMarkup(c)}</td>`).join('')}</tr>`);
    }
    out.push('</table>');
  }
  out.push(costChart(result, currency), '</div>');
  return out.join('\n');
}
