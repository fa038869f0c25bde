/**
 * The label drawing: one SVG string for the kernel's `image/svg+xml` output and the extension's
 * widget alike. EU appliance style: coloured A-E arrows with the rating marked, then the model,
 * each metric with its own rating (and the figures the basis could not rate, as "not rated"), the
 * SCI per functional unit, date, method (as derived from the measurement records), what the label
 * was rated against, and, when the record carries the population's distribution, where the model
 * stands in it (core/label/ecdf-svg.ts).
 *
 * The record may come from a stranger's notebook, so every text goes through `escapeXml`, numbers
 * go through the formatter, and unknown ratings draw as a grey "?". The label paints its own white
 * background with explicit colours, so it reads the same in light and dark themes and in print,
 * and ratings are spelled out in letters, never by colour alone.
 */
import { formatMetric, formatQuantity } from './quantity-format';
import { MetricName, PHASE_METRICS, PHASES, RATINGS, isPhase, isRating } from './metrics';
import { labelMethodText } from './provenance';
import { LabelRecord } from './record';
import { isMetricNameLike, metricTitle, ratedAgainst, unratedFigures } from './rated-against';
import { drawEcdfSection } from './ecdf-svg';
import {
  FONT,
  INK,
  MUTED,
  RATING_COLOURS,
  WIDTH,
  attrs,
  escapeXml,
  text,
  truncate,
  wrap
} from './svg-primitives';

export { RATING_COLOURS, escapeXml, truncate };

/**
 * How the label names its basis in a phrase: what it was rated against where the record says so,
 * else the known basis by name, anything else as custom.
 */
export function basisTitle(record: Pick<LabelRecord, 'basis'>): string {
  const against = ratedAgainst(record);
  if (against) return `rated against ${against.title}`;
  const name = record.basis?.name;
  return typeof name === 'string' ? `basis ${name}` : 'custom basis';
}

/**
 * The rated metrics in the label's order: the phase's own, then any other the record rates under
 * a name this version does not list for a phase (a newer record's metric, shown by its raw name).
 */
export function labelMetricNames(record: Pick<LabelRecord, 'phase' | 'metrics'>): string[] {
  const known = new Set<string>(PHASES.flatMap(p => PHASE_METRICS[p]));
  const own: string[] = isPhase(record.phase) ? [...PHASE_METRICS[record.phase]] : [];
  const metrics = record.metrics;
  const extra =
    typeof metrics === 'object' && metrics !== null
      ? Object.keys(metrics).filter(n => !known.has(n) && isMetricNameLike(n))
      : [];
  return [...own, ...extra.slice(0, 12)].filter(
    n => typeof metrics === 'object' && metrics !== null && Object.hasOwn(metrics, n)
  );
}

const UNKNOWN_COLOUR = { fill: '#9e9e9e', text: '#000000' };

function colours(rating: unknown): { fill: string; text: string } {
  return isRating(rating) ? RATING_COLOURS[rating] : UNKNOWN_COLOUR;
}

/** Simple line pictograms, 20 x 20, drawn at (x, y). */
function pictogram(name: string, x: number, y: number): string {
  const stroke = { fill: 'none', stroke: INK, 'stroke-width': 1.6, 'stroke-linejoin': 'round' };
  const at = (body: string) => `<g transform="translate(${x} ${y})">${body}</g>`;
  switch (name) {
    case 'energyPerInferenceJ':
    case 'trainingEnergyKWh': // lightning bolt
      return at(
        `<path d="M11 1 L3 11 L9 11 L7 19 L16 8 L10 8 Z"${attrs({ ...stroke, fill: INK })}/>`
      );
    case 'co2ePerInferenceG':
    case 'trainingCo2eKg': // cloud
      return at(
        `<path d="M5 16 A4 4 0 0 1 5 8 A5 5 0 0 1 14 6 A4.5 4.5 0 0 1 15 16 Z"${attrs(stroke)}/>`
      );
    case 'latencyMs': // clock
      return at(
        `<circle cx="10" cy="10" r="8.5"${attrs(stroke)}/><path d="M10 4 L10 10 L14 12"${attrs(stroke)}/>`
      );
    case 'modelSizeMB': // file with a folded corner
      return at(`<path d="M4 1 L12 1 L17 6 L17 19 L4 19 Z M12 1 L12 6 L17 6"${attrs(stroke)}/>`);
    case 'accuracy': // target
      return at(
        `<circle cx="10" cy="10" r="8.5"${attrs(stroke)}/><circle cx="10" cy="10" r="4.5"${attrs(stroke)}/>` +
          `<circle cx="10" cy="10" r="1.5"${attrs({ fill: INK })}/>`
      );
    default:
      return '';
  }
}

/** The five arrows A-E (widening downwards) and the black marker at the label's rating. */
function scale(rating: unknown, top: number): { svg: string; bottom: number } {
  const h = 28;
  const gap = 5;
  const parts: string[] = [];
  RATINGS.forEach((r, i) => {
    const y = top + i * (h + gap);
    const w = 110 + i * 30;
    const { fill, text: ink } = RATING_COLOURS[r];
    parts.push(
      `<polygon${attrs({ points: `16,${y} ${16 + w},${y} ${30 + w},${y + h / 2} ${16 + w},${y + h} 16,${y + h}`, fill })}/>`,
      text(26, y + h / 2 + 7, r, { fill: ink, 'font-size': 20, 'font-weight': 'bold' })
    );
  });
  const row = isRating(rating) ? RATINGS.indexOf(rating) : 2;
  const y = top + row * (h + gap);
  const letter = isRating(rating) ? rating : '?';
  parts.push(
    `<polygon${attrs({ points: `284,${y - 3} 344,${y - 3} 344,${y + h + 3} 284,${y + h + 3} 268,${y + h / 2}`, fill: INK })}/>`,
    text(314, y + h / 2 + 9, letter, {
      fill: '#ffffff',
      'font-size': 26,
      'font-weight': 'bold',
      'text-anchor': 'middle'
    })
  );
  return { svg: parts.join(''), bottom: top + 5 * (h + gap) - gap };
}

function rule(y: number): string {
  return `<line${attrs({ x1: 16, y1: y, x2: WIDTH - 16, y2: y, stroke: INK, 'stroke-width': 1 })}/>`;
}

/** Draws a label record as a standalone SVG document (a string). */
export function drawLabelSvg(record: LabelRecord): string {
  const parts: string[] = [];
  const phase = String(record.phase);
  const phaseTitle = phase === 'training' ? 'Training' : phase === 'inference' ? 'Inference' : '?';
  const modelName = truncate(String(record.model?.name ?? 'unnamed model'), 34);

  parts.push(text(16, 30, 'Energy label', { 'font-size': 20, 'font-weight': 'bold' }));
  parts.push(
    text(WIDTH - 16, 30, 'GAISSA', {
      'font-size': 12,
      'font-weight': 'bold',
      fill: MUTED,
      'text-anchor': 'end'
    })
  );
  parts.push(rule(42));
  parts.push(text(16, 64, modelName, { 'font-size': 16, 'font-weight': 'bold' }));
  parts.push(text(16, 82, `${phaseTitle} phase`, { 'font-size': 12, fill: MUTED }));

  const arrows = scale(record.rating, 96);
  parts.push(arrows.svg);
  let y = arrows.bottom + 12;
  parts.push(rule(y));
  y += 4;

  const metrics: Partial<Record<string, LabelRecord['metrics'][MetricName]>> = record.metrics ?? {};
  const names = labelMetricNames(record);
  for (const name of names) {
    const m = metrics[name];
    if (!m) continue;
    const c = colours(m.rating);
    const letter = isRating(m.rating) ? m.rating : '?';
    parts.push(
      `<g${attrs({ class: 'gaissa-label-metric', 'data-metric': name })}>` +
        pictogram(name, 16, y + 5) +
        text(46, y + 20, truncate(metricTitle(name), 24)) +
        text(WIDTH - 60, y + 20, formatMetric(name as MetricName, Number(m.value)), {
          'font-weight': 'bold',
          'text-anchor': 'end'
        }) +
        `<rect${attrs({ x: WIDTH - 50, y: y + 4, width: 34, height: 22, rx: 4, fill: c.fill, stroke: INK, 'stroke-width': 0.8 })}/>` +
        text(WIDTH - 33, y + 20, letter, {
          fill: c.text,
          'font-size': 15,
          'font-weight': 'bold',
          'text-anchor': 'middle'
        }) +
        '</g>'
    );
    y += 30;
  }
  // Figures the basis could not rate: shown with their value, never dropped.
  for (const [name, value] of unratedFigures(record)) {
    parts.push(
      `<g${attrs({ class: 'gaissa-label-unrated', 'data-metric': name })}>` +
        pictogram(name, 16, y + 5) +
        text(46, y + 20, truncate(metricTitle(name), 24), { fill: MUTED }) +
        text(WIDTH - 84, y + 20, formatMetric(name as MetricName, value), {
          fill: MUTED,
          'text-anchor': 'end'
        }) +
        text(WIDTH - 16, y + 20, 'not rated', {
          fill: MUTED,
          'font-size': 10.5,
          'text-anchor': 'end'
        }) +
        '</g>'
    );
    y += 30;
  }

  if (record.sci) {
    y += 6;
    parts.push(rule(y));
    const unit = truncate(String(record.sci.disclosure?.functionalUnit ?? 'unit'), 20);
    const g = (value: unknown) => formatQuantity(Number(value), 'g CO2e');
    // Operational and embodied parts share the unit "g CO2e" of the headline figure.
    const grams = (value: unknown) => g(value).replace(/ CO2e$/, '');
    parts.push(
      text(16, y + 20, 'SCI', { 'font-weight': 'bold' }) +
        text(48, y + 20, `per ${unit}`) +
        text(WIDTH - 16, y + 20, g(record.sci.sciG), {
          'font-weight': 'bold',
          'text-anchor': 'end'
        })
    );
    const small = { 'font-size': 10.5, fill: MUTED };
    parts.push(
      text(
        16,
        y + 38,
        `operational ${grams(record.sci.operationalG)} + ` +
          (record.sci.disclosure?.embodied === 'included'
            ? `embodied ${grams(record.sci.embodiedG)}`
            : 'embodied not included'),
        small
      ) + text(WIDTH - 16, y + 38, 'location-based', { ...small, 'text-anchor': 'end' })
    );
    y += 46;
  }

  y += 6;
  parts.push(rule(y));
  const issued = truncate(String(record.issued ?? '').slice(0, 10), 10) || 'undated';
  const method = labelMethodText(record);
  parts.push(text(16, y + 20, `Issued ${issued}`, { 'font-size': 11 }));
  parts.push(
    text(WIDTH - 16, y + 20, 'GAISSALabel · ISO/IEC 21031', {
      'font-size': 9.5,
      fill: MUTED,
      'text-anchor': 'end'
    })
  );
  y += 24;
  // The method chip is as wide as its word; anything short of measured is drawn highlighted.
  const chipWidth = Math.max(72, method.length * 7 + 14);
  parts.push(
    `<rect${attrs({ x: 16, y: y + 3, width: chipWidth, height: 18, rx: 3, fill: record.method === 'measured' ? '#ffffff' : '#fff3c4', stroke: INK, 'stroke-width': 0.8 })}/>`,
    text(16 + chipWidth / 2, y + 16, method, {
      'font-size': 11,
      'font-weight': 'bold',
      'text-anchor': 'middle'
    })
  );
  const against = ratedAgainst(record);
  if (against) {
    // What the label was rated against, whole (wrapped), below the chip: a stranger reads it first.
    y += 22;
    parts.push(text(16, y + 16, 'Rated against:', { 'font-size': 11, 'font-weight': 'bold' }));
    for (const line of wrap(against.title, 50, 3)) {
      y += 15;
      parts.push(text(16, y + 16, line, { 'font-size': 11 }));
    }
    for (const line of against.source ? wrap(`Source: ${against.source}`, 62, 2) : []) {
      y += 13;
      parts.push(text(16, y + 16, line, { 'font-size': 9.5, fill: MUTED }));
    }
  } else {
    // The basis beside the chip when both fit (about 6.5 px a character at 11 px), else below it.
    const basis = truncate(basisTitle(record), 40);
    if (chipWidth + 16 + basis.length * 6.5 > WIDTH - 32) y += 22;
    parts.push(
      text(WIDTH - 16, y + 16, basis, {
        'font-size': 11,
        'font-weight': record.basis?.name === undefined ? 'bold' : 'normal',
        'text-anchor': 'end'
      })
    );
  }
  let height = y + 30;
  const standing = drawEcdfSection(record, names, height - 4);
  if (standing) {
    parts.push(standing.svg);
    height += standing.height;
  }

  const summary = `Energy label ${isRating(record.rating) ? record.rating : '?'} for ${modelName}, ${phaseTitle.toLowerCase()} phase, ${method}, ${basisTitle(record)}`;
  return (
    `<svg${attrs({ xmlns: 'http://www.w3.org/2000/svg', width: WIDTH, height, viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': summary, 'font-family': FONT, class: 'gaissa-label-svg' })}>` +
    `<title>${escapeXml(summary)}</title>` +
    `<rect${attrs({ x: 1, y: 1, width: WIDTH - 2, height: height - 2, rx: 8, fill: '#ffffff', stroke: INK, 'stroke-width': 2 })}/>` +
    parts.join('') +
    '</svg>'
  );
}
