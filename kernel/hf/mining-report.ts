/**
 * A mining run in words: cards read, the reporting rate, the distribution of reported CO2e and
 * the malformed cards with their reasons. Model ids and reasons come from cards written by
 * strangers: plain text is stripped of control characters, HTML escaped.
 */
import { escapeMarkup, formatNumber, plainText } from '../../core/format';
import type { MiningSummary } from './mine-cards';

/** Malformed cards listed in full up to this many; the rest are counted. */
const LISTED = 50;

function percent(rate: number | null): string {
  return rate === null ? 'n/a' : `${formatNumber(rate * 100)} %`;
}

function grams(g: number): string {
  return `${formatNumber(g)} g`;
}

/** The lines of the summary, each a [label, value] pair (text and HTML show the same). */
function facts(summary: MiningSummary, out?: string): Array<[string, string]> {
  const rows: Array<[string, string]> = [
    ['Source', summary.source],
    ['Cards read', formatNumber(summary.cardsRead)],
    [
      'Reporting CO2e',
      `${formatNumber(summary.reporting)} (${percent(summary.reportingRate)} of cards read)`
    ],
    ['Malformed (skipped)', formatNumber(summary.malformed.length)]
  ];
  if (summary.withoutCard > 0) {
    rows.push(['Cached without README', formatNumber(summary.withoutCard)]);
  }
  const d = summary.distribution;
  if (d) {
    rows.push(
      ['CO2e min', grams(d.min)],
      ['CO2e 20/40/60/80 %', [d.p20, d.p40, d.p60, d.p80].map(grams).join(' / ')],
      ['CO2e max', grams(d.max)]
    );
  }
  if (out) rows.push(['Population CSV', out]);
  return rows;
}

export function miningText(summary: MiningSummary, out?: string): string {
  const rows = facts(summary, out);
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `${label.padEnd(width)}  ${plainText(value)}`);
  const shown = summary.malformed.slice(0, LISTED);
  if (shown.length > 0) {
    lines.push('', 'Malformed cards:');
    for (const m of shown) lines.push(`  ${plainText(m.modelId)}: ${plainText(m.reason)}`);
    const more = summary.malformed.length - shown.length;
    if (more > 0) lines.push(`  ... and ${formatNumber(more)} more`);
  }
  return lines.join('\n') + '\n';
}

export function miningHtml(summary: MiningSummary, chartSvg: string, out?: string): string {
  const rows = facts(summary, out)
    .map(
      ([label, value]) => `<tr><th>${escapeMarkup(label)}</th><td>${escapeMarkup(value)}</td></tr>`
    )
    .join('');
  const shown = summary.malformed.slice(0, LISTED);
  const more = summary.malformed.length - shown.length;
  const list =
    shown.length === 0
      ? ''
      : `<details><summary>Malformed cards (${formatNumber(summary.malformed.length)})</summary><ul>` +
        shown
          .map(m => `<li><code>${escapeMarkup(m.modelId)}</code>: ${escapeMarkup(m.reason)}</li>`)
          .join('') +
        (more > 0 ? `<li>... and ${formatNumber(more)} more</li>` : '') +
        '</ul></details>';
  return (
    '<div class="gaissa-hf-mining"><h4>Hugging Face carbon mining</h4>' +
    `<table>${rows}</table>${chartSvg}${list}</div>`
  );
}
