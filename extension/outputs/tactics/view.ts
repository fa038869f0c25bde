/**
 * A tactics comparison payload to DOM (root class `gaissa-tactics`): validation, then a headline
 * with the recommendation, the table of variants (energy, latency, throughput, size, quality, deltas
 * against the baseline, recommended and Pareto markers, each variant's notes) and a placeholder for
 * the energy-vs-quality chart, which the renderer fills once the chart code has loaded. Or, for a payload that
 * fails the schema, a short error. Every payload string goes in as text (safe-dom).
 */
import { provenanceMark, provenanceText } from '../../../core/provenance';
import { formatDuration } from '../measurement/format';
import { el, type Child } from '../../shared/safe-dom';
import { energyTitle, tacticsChartSummary } from './chart-spec';
import {
  validateTacticsPayload,
  variantEnergy,
  type TacticsComparisonPayload,
  type TacticsVariant
} from './validation';
import { formatDecimal, formatEnergy, formatSI } from '../../../core/format';
import { errorText, predictionErrorPercent } from '../../../core/cell-prediction';
import { variantPredictionLatency, variantProvenanceText } from '../../../core/tactics-prediction';

export const TACTICS_CLASS = 'gaissa-tactics';
/** Longest lists shown (variants' notes, operators left as is); the payload may hold more. */
const MAX_ITEMS = 20;

export interface TacticsView {
  node: HTMLElement;
  /** Where the chart goes, with the validated payload; null for an invalid payload. */
  chart: { host: HTMLElement; payload: TacticsComparisonPayload } | null;
}

export function renderTactics(payload: unknown): TacticsView {
  const result = validateTacticsPayload(payload);
  if (!result.ok) return { node: invalidTactics(result.errors), chart: null };
  return tacticsView(result.payload);
}

/** The output for a payload that failed validation: short, and it says why. */
export function invalidTactics(errors: readonly string[]): HTMLElement {
  return el(
    'div',
    { className: `${TACTICS_CLASS} gaissa-tactics-invalid`, attrs: { role: 'alert' } },
    el('strong', {}, 'Invalid GAISSA tactics comparison: '),
    'this output does not match the tactics schema (v1), so it is not shown.',
    el('ul', {}, ...errors.map(e => el('li', {}, e)))
  );
}

function finite(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function signedPct(x: number | null | undefined): string {
  if (!finite(x)) return '';
  const rounded = Math.abs(x) < 10 ? x.toFixed(1) : String(Math.round(x));
  return `${x > 0 ? '+' : ''}${rounded} %`;
}

function pct(x: number | undefined): string {
  return finite(x) ? `${(x * 100).toFixed(2)} %` : 'n/a';
}

function ms(x: number | undefined): string {
  return finite(x) ? `${formatDecimal(x)} ms` : 'n/a';
}

function bytes(x: number | undefined): string {
  return finite(x) ? formatSI(x, 'B') : 'n/a';
}

/**
 * A delta against the baseline, marked better or worse for the reader (lower is better for energy,
 * latency and size; higher for throughput and quality). Empty for the baseline itself.
 */
function delta(text: string, value: number | null | undefined, lowerIsBetter: boolean): Child {
  if (!finite(value) || text === '') return null;
  const better = lowerIsBetter ? value < 0 : value > 0;
  const worse = lowerIsBetter ? value > 0 : value < 0;
  const tone = better ? 'better' : worse ? 'worse' : 'same';
  return el(
    'span',
    { className: `gaissa-tactics-delta gaissa-tactics-${tone}`, attrs: { 'data-tone': tone } },
    text
  );
}

function cell(main: string, extra: Child = null, className = 'gaissa-tactics-num'): HTMLElement {
  return el('td', { className }, el('span', {}, main), extra ? el('br', {}) : null, extra ?? null);
}

function badge(text: string, kind: string, title: string): HTMLElement {
  return el(
    'span',
    { className: `gaissa-tactics-badge gaissa-tactics-badge-${kind}`, attrs: { title } },
    text
  );
}

/** None for measured energy; "estimated" or "partly measured (NN % counter)" otherwise. */
function provenanceBadge(v: TacticsVariant): HTMLElement | null {
  const mark = provenanceMark(v.method, v.coverage);
  if (mark === '') return null;
  if (mark === ' (est.)')
    return badge('estimated', 'estimated', 'Energy estimated, not read from a hardware counter');
  return badge(
    provenanceText(v.coverage as number),
    'estimated',
    'Energy partly read from a hardware counter, the rest estimated or extrapolated'
  );
}

interface Column {
  header: string;
  /** Screen-reader and tooltip text for the header. */
  title?: string;
  cell: (v: TacticsVariant) => HTMLElement;
}

function columns(p: TacticsComparisonPayload): Column[] {
  const any = (key: keyof TacticsVariant) => p.variants.some(v => finite(v[key]));
  const training = p.phase === 'training';
  const cols: Column[] = [
    {
      header: 'Variant',
      cell: v => nameCell(v)
    },
    {
      header: training ? 'Energy / run' : 'Energy / inference',
      title: `${energyTitle(p)}; delta against the baseline`,
      cell: v =>
        cell(
          formatEnergy(variantEnergy(p, v)) + provenanceMark(v.method, v.coverage),
          delta(signedPct(v.deltas?.energyPct), v.deltas?.energyPct, true)
        )
    }
  ];
  if (any('durationS')) {
    cols.push({
      header: 'Duration',
      cell: v => cell(finite(v.durationS) ? formatDuration(v.durationS) : 'n/a')
    });
  }
  if (any('latencyMs')) {
    cols.push({
      header: 'Latency p50 / p95',
      title: 'Median and 95th percentile of one run() call; delta of the median',
      cell: v =>
        cell(
          `${ms(v.latencyMs)} / ${ms(v.latencyP95Ms)}`,
          delta(signedPct(v.deltas?.latencyPct), v.deltas?.latencyPct, true)
        )
    });
  }
  if (any('throughputPerS')) {
    cols.push({
      header: 'Throughput',
      title: 'Inferences per second; delta against the baseline',
      cell: v =>
        cell(
          finite(v.throughputPerS) ? `${formatDecimal(v.throughputPerS)}/s` : 'n/a',
          delta(signedPct(v.deltas?.throughputPct), v.deltas?.throughputPct, false)
        )
    });
  }
  if (any('modelBytes')) {
    cols.push({
      header: 'Size raw / gzip',
      title: 'Model file size and gzip-compressed size; delta of the raw size',
      cell: v =>
        cell(
          `${bytes(v.modelBytes)} / ${bytes(v.gzipBytes)}`,
          delta(signedPct(v.deltas?.sizePct), v.deltas?.sizePct, true)
        )
    });
  }
  cols.push({
    header: p.metric === 'accuracy' ? 'Accuracy' : 'Agreement',
    title:
      p.metric === 'accuracy'
        ? 'Top-1 accuracy against the labels; delta in percentage points'
        : "Top-1 agreement with the baseline's outputs; delta in percentage points",
    cell: v => {
      const points = v.deltas?.qualityPoints;
      const text = finite(points) ? `${points > 0 ? '+' : ''}${points.toFixed(2)} pts` : '';
      return cell(pct(v.quality), delta(text, points, false));
    }
  });
  if (p.variants.some(v => v.prediction !== undefined)) {
    cols.push({
      header: 'Predicted (not measured)',
      title:
        'Energy per inference predicted before the variant was measured, its interval, and its error against the figure compared (named when it is estimated)',
      cell: v => predictionCell(v)
    });
  }
  cols.push({ header: 'Notes', cell: v => notesCell(v) });
  return cols;
}

function nameCell(v: TacticsVariant): HTMLElement {
  return el(
    'th',
    { className: 'gaissa-tactics-name', attrs: { scope: 'row' } },
    el('span', { className: 'gaissa-tactics-variant' }, v.name),
    v.tactics.length > 0
      ? el('span', { className: 'gaissa-tactics-specs' }, v.tactics.slice(0, MAX_ITEMS).join(' → '))
      : null,
    el(
      'span',
      { className: 'gaissa-tactics-badges' },
      v.baseline
        ? badge('baseline', 'baseline', 'The variant the deltas are measured against')
        : null,
      v.recommended
        ? badge('★ recommended', 'recommended', 'Least energy within the accuracy budget')
        : null,
      v.pareto
        ? badge(
            'Pareto',
            'pareto',
            'On the Pareto front: no other variant uses less energy with at least the same quality'
          )
        : null,
      v.withinBudget ? null : badge('over budget', 'over', 'Loses more quality than the budget'),
      provenanceBadge(v)
    )
  );
}

/**
 * Predicted vs measured: the prediction and its interval, the error recomputed from the two
 * figures (not read from the payload) and, where no counter read all of the variant's energy,
 * which figure it is against ("against the estimated figure"), and the basis; or why there is
 * none.
 */
function predictionCell(v: TacticsVariant): HTMLElement {
  const p = v.prediction;
  const className = 'gaissa-tactics-num gaissa-tactics-prediction';
  if (p === undefined) return el('td', { className }, '');
  if ('noPrediction' in p)
    return el(
      'td',
      { className },
      el('span', { className: 'gaissa-tactics-no-prediction' }, `no prediction: ${p.noPrediction}`)
    );
  const error = predictionErrorPercent(p.energyPerInferenceJ, v.energyPerInferenceJ);
  const measured = v.energyPerInferenceJ;
  const inside = finite(measured) && measured >= p.low && measured <= p.high;
  const latency = variantPredictionLatency(p, v.latencyMs);
  const provenance = variantProvenanceText(v.method, v.coverage);
  const against = provenance === 'measured' ? '' : ` against the ${provenance} figure`;
  return el(
    'td',
    { className, attrs: { 'data-method': 'predicted' } },
    el(
      'span',
      {},
      `${formatEnergy(p.energyPerInferenceJ)} (${formatEnergy(p.low)} .. ${formatEnergy(p.high)})`
    ),
    el('br', {}),
    el(
      'span',
      { className: 'gaissa-tactics-prediction-error', attrs: { 'data-inside': inside } },
      error === null
        ? 'error n/a'
        : `error ${errorText(error)}${against}, ${inside ? 'inside' : 'outside'} the interval`
    ),
    latency ? el('br', {}) : null,
    latency ? el('span', {}, latency) : null,
    el('br', {}),
    el('small', { className: 'gaissa-tactics-prediction-basis' }, p.basis)
  );
}

function notesCell(v: TacticsVariant): HTMLElement {
  const notes = v.notes.slice(0, MAX_ITEMS);
  const left = v.leftAsIs.slice(0, MAX_ITEMS);
  return el(
    'td',
    { className: 'gaissa-tactics-notes' },
    notes.length > 0 ? el('ul', {}, ...notes.map(n => el('li', {}, n))) : null,
    left.length > 0
      ? el(
          'details',
          {},
          el(
            'summary',
            {},
            `${v.leftAsIs.length} operator${v.leftAsIs.length === 1 ? '' : 's'} left as is`
          ),
          el('ul', {}, ...left.map(n => el('li', {}, n)))
        )
      : null
  );
}

function table(p: TacticsComparisonPayload): HTMLElement {
  const cols = columns(p);
  return el(
    'div',
    {
      className: 'gaissa-tactics-scroll',
      attrs: { tabindex: 0, role: 'region', 'aria-label': 'Variants' }
    },
    el(
      'table',
      { className: 'gaissa-tactics-table' },
      el(
        'caption',
        {},
        `${p.variants.length} variant${p.variants.length === 1 ? '' : 's'}, deltas against ${p.baseline}`
      ),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...cols.map(c => el('th', { attrs: { scope: 'col', title: c.title } }, c.header))
        )
      ),
      el(
        'tbody',
        {},
        ...p.variants.map(v =>
          el(
            'tr',
            {
              className: v.recommended ? 'gaissa-tactics-row-recommended' : undefined,
              attrs: {
                'data-baseline': v.baseline,
                'data-recommended': v.recommended,
                'data-pareto': v.pareto
              }
            },
            ...cols.map(c => c.cell(v))
          )
        )
      )
    )
  );
}

function header(p: TacticsComparisonPayload): HTMLElement {
  const s = p.setup;
  const training = p.phase === 'training';
  return el(
    'div',
    { className: 'gaissa-tactics-header' },
    el(
      'h3',
      { className: 'gaissa-tactics-title' },
      training ? 'Training tactics compared' : 'Green tactics compared'
    ),
    el(
      'p',
      { className: 'gaissa-tactics-recommendation' },
      el('strong', {}, `Recommended: ${p.recommended}. `),
      p.recommendation
    ),
    el(
      'p',
      { className: 'gaissa-tactics-setup' },
      `Metric ${p.metric}, budget ${(p.maxAccuracyDrop * 100).toFixed(2)} points; ` +
        `${formatDecimal(s.samples)} ${training ? 'samples' : 'inputs'}, ${s.repeat} repeat${s.repeat === 1 ? '' : 's'}, ` +
        `energy per ${p.functionalUnit} (${s.meterMethod === 'estimate' ? 'estimated' : s.meterMethod}).`
    )
  );
}

function footer(p: TacticsComparisonPayload): HTMLElement {
  const s = p.setup;
  const facts: Array<[string, string]> = [
    ['Runtime', s.runtime],
    ['Host', s.host],
    ['Region', s.region || 'n/a'],
    ['Carbon intensity', `${formatDecimal(s.carbonIntensityGPerKWh)} gCO2e/kWh`],
    ['Warm-up passes', String(s.warmup)],
    ['Shortest window', `${formatDecimal(s.minWindowS)} s`],
    ['Comparison took', formatDuration(s.durationS)],
    ['Created', p.createdAt]
  ];
  const notes = p.notes.slice(0, MAX_ITEMS);
  const fallbacks = s.fallbackReasons.slice(0, MAX_ITEMS);
  return el(
    'div',
    { className: 'gaissa-tactics-footer' },
    notes.length > 0
      ? el('ul', { className: 'gaissa-tactics-global-notes' }, ...notes.map(n => el('li', {}, n)))
      : null,
    el(
      'details',
      { className: 'gaissa-tactics-provenance' },
      el('summary', {}, 'How this was measured'),
      el('dl', {}, ...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
      fallbacks.length > 0 ? el('ul', {}, ...fallbacks.map(f => el('li', {}, f))) : null
    )
  );
}

export function tacticsView(p: TacticsComparisonPayload): TacticsView {
  const host = el(
    'div',
    {
      className: 'gaissa-tactics-chart',
      attrs: { role: 'img', 'aria-label': tacticsChartSummary(p) }
    },
    'Loading the chart…'
  );
  const node = el(
    'div',
    {
      className: TACTICS_CLASS,
      attrs: { 'data-phase': p.phase, role: 'group', 'aria-label': 'GAISSA tactics comparison' }
    },
    header(p),
    table(p),
    el(
      'figure',
      { className: 'gaissa-tactics-figure' },
      el(
        'figcaption',
        {},
        `${energyTitle(p)} vs ${p.metric}: Pareto front as a line, recommended ringed, budget dashed`
      ),
      host
    ),
    footer(p)
  );
  return { node, chart: { host, payload: p } };
}
