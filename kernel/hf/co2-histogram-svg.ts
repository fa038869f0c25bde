/**
 * The distribution of mined training emissions as a small SVG: a histogram over a log scale of
 * grams (two bins a decade), the 20/40/60/80th percentiles marked. Zeros have no place on a log
 * scale and are counted in the caption. Every text is escaped: its figures come from cards.
 */
import { escapeMarkup, formatNumber, formatSI } from '../../core/format';
import type { Co2Distribution } from './mine-cards';

const WIDTH = 520;
const HEIGHT = 230;
const LEFT = 44;
const RIGHT = 16;
const TOP = 30;
const BOTTOM = 46;
const BINS_PER_DECADE = 2;

/** 10^d grams in words: "1 mg", "10 kg", "100 t". */
function gramsLabel(d: number): string {
  return d >= 6 ? `${formatNumber(10 ** (d - 6))} t` : formatSI(10 ** d, 'g', 1);
}

export function co2HistogramSvg(
  grams: readonly number[],
  distribution: Co2Distribution | null
): string {
  const positive = grams.filter(g => Number.isFinite(g) && g > 0);
  const zeros = grams.length - positive.length;
  const parts: string[] = [];
  const text = (x: number, y: number, s: string, anchor = 'middle', extra = '') =>
    parts.push(
      `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${anchor}"${extra}>${escapeMarkup(s)}</text>`
    );
  const title = `Training CO2e reported by ${formatNumber(grams.length)} model cards (log scale)`;
  text(WIDTH / 2, 18, title, 'middle', ' font-weight="bold"');
  if (positive.length > 0) {
    const low = Math.floor(Math.log10(Math.min(...positive)));
    const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(...positive)) + 1e-12));
    const bins = (high - low) * BINS_PER_DECADE;
    const counts = new Array<number>(bins).fill(0);
    for (const g of positive) {
      const at = Math.floor((Math.log10(g) - low) * BINS_PER_DECADE);
      counts[Math.min(bins - 1, Math.max(0, at))]++;
    }
    const plotW = WIDTH - LEFT - RIGHT;
    const plotH = HEIGHT - TOP - BOTTOM;
    const x = (log10: number) => LEFT + ((log10 - low) / (high - low)) * plotW;
    const most = Math.max(...counts);
    const barW = plotW / bins;
    counts.forEach((n, i) => {
      if (n === 0) return;
      const h = (n / most) * plotH;
      parts.push(
        `<rect x="${(LEFT + i * barW + 1).toFixed(1)}" y="${(TOP + plotH - h).toFixed(1)}" ` +
          `width="${(barW - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="#4c9a6a"/>`
      );
    });
    const axisY = TOP + plotH;
    parts.push(
      `<line x1="${LEFT}" y1="${axisY}" x2="${WIDTH - RIGHT}" y2="${axisY}" stroke="#444"/>`
    );
    // A label every decade, thinned to about eight so they never overlap.
    const step = Math.ceil((high - low) / 8);
    for (let d = low; d <= high; d += step) {
      parts.push(
        `<line x1="${x(d).toFixed(1)}" y1="${axisY}" x2="${x(d).toFixed(1)}" y2="${axisY + 4}" stroke="#444"/>`
      );
      text(x(d), axisY + 16, gramsLabel(d));
    }
    text(WIDTH / 2, HEIGHT - 10, 'CO2e of training (grams, log scale)');
    text(LEFT - 6, TOP + 8, formatNumber(most), 'end');
    text(LEFT - 6, axisY, '0', 'end');
    if (distribution) {
      const marks: Array<[string, number]> = [
        ['20%', distribution.p20],
        ['40%', distribution.p40],
        ['60%', distribution.p60],
        ['80%', distribution.p80]
      ];
      for (const [name, g] of marks) {
        if (!(g > 0)) continue;
        const at = x(Math.log10(g));
        parts.push(
          `<line x1="${at.toFixed(1)}" y1="${TOP}" x2="${at.toFixed(1)}" y2="${axisY}" stroke="#b04a2f" stroke-dasharray="3 3"/>`
        );
        text(at, TOP - 2, name, 'middle', ' fill="#b04a2f" font-size="10"');
      }
    }
  } else {
    text(WIDTH / 2, HEIGHT / 2, 'no positive emissions to draw');
  }
  if (zeros > 0) {
    text(
      WIDTH - RIGHT,
      HEIGHT - 26,
      `${formatNumber(zeros)} reporting 0 g not drawn`,
      'end',
      ' font-size="10"'
    );
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" ` +
    `viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11" role="img">` +
    `<title>${escapeMarkup(title)}</title>` +
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>` +
    parts.join('') +
    '</svg>'
  );
}
