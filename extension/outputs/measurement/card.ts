/**
 * The measurement card: the DOM of one validated measurement record (root class
 * `gaissa-measurement`). Every payload string goes in as text (safe-dom); the power chart is only
 * a placeholder here, filled by the renderer once the chart code has loaded.
 */
import { boundariesText, predictionLine } from '../../../core/cell-prediction';
import type { Components, MeasurementRecord } from '../../../core/measurement';
import {
  coverageOfComponent,
  coverageOfRecord,
  missingEnergy,
  provenanceOf,
  provenanceText
} from '../../../core/provenance';
import type { Summary } from '../../../core/statistics';
import { formatCost, formatDuration, formatPercent, methodName } from './format';
import { el, type Child } from '../../shared/safe-dom';
import { formatCo2e, formatDecimal, formatEnergy, formatPower } from '../../../core/format';

export const CARD_CLASS = 'gaissa-measurement';
/** Longest lists the card shows (runs, notes); the record may hold more. */
const MAX_ROWS = 50;

export interface MeasurementCard {
  node: HTMLElement;
  /** Where the power-over-time chart goes; null when the record has no timeline. */
  chartHost: HTMLElement | null;
}

/** The card for a payload that failed validation: short, and it says why. */
export function invalidCard(errors: readonly string[]): HTMLElement {
  return el(
    'div',
    { className: `${CARD_CLASS} gaissa-measurement-invalid`, attrs: { role: 'alert' } },
    el('strong', {}, 'Invalid GAISSA measurement: '),
    'this output does not match the measurement schema (v1), so it is not shown.',
    el('ul', {}, ...errors.map(e => el('li', {}, e)))
  );
}

export function measurementCard(record: MeasurementRecord): MeasurementCard {
  const chartHost =
    record.timeline.length > 0
      ? el(
          'div',
          {
            className: 'gaissa-measurement-chart',
            attrs: { role: 'img', 'aria-label': 'Power over time, by component' }
          },
          'Loading the power chart…'
        )
      : null;
  const node = el(
    'div',
    {
      className: CARD_CLASS,
      attrs: {
        'data-status': record.status,
        'data-method': record.method,
        'aria-label': 'GAISSA energy measurement'
      }
    },
    header(record),
    record.error ? errorBlock(record.error) : null,
    figures(record),
    prediction(record),
    components(record.components, record.energyJ),
    repeats(record),
    baseline(record),
    chartHost
      ? el(
          'figure',
          { className: 'gaissa-measurement-figure' },
          el('figcaption', {}, 'Power over time (W)'),
          chartHost
        )
      : null,
    provenance(record)
  );
  return { node, chartHost };
}

function header(record: MeasurementRecord): HTMLElement {
  const constants = constantsText(record);
  const coverage = coverageOfRecord(record);
  const provenance = provenanceOf(coverage);
  const badge = provenanceText(coverage);
  return el(
    'div',
    { className: 'gaissa-measurement-header' },
    el('span', { className: 'gaissa-measurement-title' }, 'Energy measurement'),
    record.label ? el('span', { className: 'gaissa-measurement-label' }, record.label) : null,
    el(
      'span',
      {
        className: `gaissa-badge gaissa-badge-${provenance === 'measured' ? 'measured' : provenance === 'estimated' ? 'estimated' : 'partly-measured'}`,
        // Focusable so keyboard users reach the same explanation as the hover.
        attrs: {
          tabindex: 0,
          title: constants.join('\n'),
          'aria-label': `${badge}: ${constants.join('; ')}`
        }
      },
      badge
    ),
    // A GPU that gave no reading is left out of the total: said beside the provenance.
    ...missingEnergy(record).map(part =>
      el('span', { className: 'gaissa-badge gaissa-badge-missing' }, `${part} energy missing`)
    ),
    record.status === 'ok'
      ? null
      : el('span', { className: 'gaissa-badge gaissa-badge-status' }, record.status)
  );
}

function errorBlock(error: { name: string; message: string }): HTMLElement {
  return el(
    'div',
    { className: 'gaissa-measurement-error', attrs: { role: 'status' } },
    `The measured code stopped with ${error.name}: ${error.message}`
  );
}

function figure(name: string, value: string, detail?: Child): HTMLElement {
  return el(
    'div',
    { className: 'gaissa-measurement-figure-item' },
    el('dt', {}, name),
    el(
      'dd',
      {},
      el('span', { className: 'gaissa-measurement-value' }, value),
      detail ? el('span', { className: 'gaissa-measurement-detail' }, detail) : null
    )
  );
}

function figures(record: MeasurementRecord): HTMLElement {
  const perRun = record.repeat.n > 1 ? 'mean per run' : null;
  return el(
    'dl',
    { className: 'gaissa-measurement-figures' },
    figure(
      'Energy',
      formatEnergy(record.energyJ),
      [
        perRun,
        record.pue > 1
          ? `${formatEnergy(record.facilityEnergyJ)} with PUE ${formatDecimal(record.pue)}`
          : null
      ]
        .filter(Boolean)
        .join('; ') || null
    ),
    figure('Duration', formatDuration(record.durationS), perRun),
    figure('Average power', formatPower(record.powerW)),
    figure(
      'CO2e',
      formatCo2e(record.co2eG),
      `${record.regionName || record.region}, ${formatDecimal(record.carbonIntensityGPerKWh)} gCO2e/kWh`
    ),
    figure(
      'Cost',
      formatCost(record.cost, record.currency),
      record.pricePerKWh !== null
        ? `at ${formatDecimal(record.pricePerKWh)}${record.currency ? ` ${record.currency}` : ''}/kWh`
        : null
    )
  );
}

/**
 * What `--predict` said before the cell ran beside the figure (named by its provenance) and the
 * error, badged `predicted` so it is never read as a measurement; the basis is the detail below it.
 */
function prediction(record: MeasurementRecord): HTMLElement | null {
  const p = record.prediction;
  if (!p) return null;
  return el(
    'div',
    { className: 'gaissa-measurement-prediction', attrs: { 'data-method': 'predicted' } },
    el('span', { className: 'gaissa-badge gaissa-badge-predicted' }, 'predicted'),
    ' ',
    el('span', { className: 'gaissa-measurement-value' }, predictionLine(p, record)),
    el(
      'span',
      { className: 'gaissa-measurement-detail' },
      ` ${boundariesText(p.boundaries)}${p.basis ? `; from ${p.basis}` : ''}`
    )
  );
}

const COMPONENT_NAMES: ReadonlyArray<[keyof Components, string]> = [
  ['cpu', 'CPU'],
  ['gpu', 'GPU'],
  ['ram', 'RAM']
];

function components(parts: Components, totalJ: number): HTMLElement {
  const rows = COMPONENT_NAMES.map(([key, name]) => {
    const part = parts[key];
    const share = totalJ > 0 ? (part.energyJ / totalJ) * 100 : 0;
    return el(
      'tr',
      { attrs: { 'data-component': key } },
      el('th', { attrs: { scope: 'row' } }, name),
      el('td', {}, part.method === null ? 'absent' : formatEnergy(part.energyJ)),
      el(
        'td',
        { className: 'gaissa-measurement-share' },
        part.method === null ? '' : formatPercent(share),
        // The bar repeats the percentage visually; the number carries the information.
        part.method === null
          ? null
          : el(
              'span',
              { className: 'gaissa-measurement-bar', attrs: { 'aria-hidden': 'true' } },
              el('span', {
                className: `gaissa-measurement-bar-fill gaissa-component-${key}`,
                attrs: { style: `width: ${Math.min(100, Math.max(0, share)).toFixed(1)}%` }
              })
            )
      ),
      el(
        'td',
        {},
        methodName(part.method),
        part.scope ? ` (${part.scope})` : '',
        // A counter that measured only part of the component's joules says how much.
        part.method === 'rapl' || part.method === 'nvml'
          ? coverageOfComponent(part) < 1
            ? `, ${provenanceText(coverageOfComponent(part))}`
            : ''
          : ''
      )
    );
  });
  return el(
    'table',
    { className: 'gaissa-measurement-components' },
    el('caption', {}, 'Energy by component'),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['Component', 'Energy', 'Share', 'Method'].map(h =>
          el('th', { attrs: { scope: 'col' } }, h)
        )
      )
    ),
    el('tbody', {}, ...rows)
  );
}

function summaryText(summary: Summary, format: (x: number) => string): string {
  const parts = [`mean ${format(summary.mean)}`];
  if (summary.ci95) {
    parts.push(
      `95% CI ${format(summary.ci95.low)} to ${format(summary.ci95.high)} (± ${format(summary.ci95.halfWidth)})`
    );
  }
  if (summary.sd !== null) parts.push(`sd ${format(summary.sd)}`);
  parts.push(`range ${format(summary.min)} to ${format(summary.max)}`);
  return parts.join(', ');
}

function repeats(record: MeasurementRecord): HTMLElement | null {
  const { repeat, total } = record;
  if (repeat.n < 2) return null;
  const runs = repeat.runs.slice(0, MAX_ROWS);
  return el(
    'section',
    { className: 'gaissa-measurement-repeats', attrs: { 'aria-label': 'Repeat statistics' } },
    el(
      'p',
      {},
      `${repeat.n} runs`,
      repeat.warmup > 0 ? ` after ${repeat.warmup} warm-up run${repeat.warmup > 1 ? 's' : ''}` : '',
      `; in total ${formatEnergy(total.energyJ)}, ${formatDuration(total.durationS)}, ${formatCo2e(total.co2eG)}`,
      total.cost !== null ? `, ${formatCost(total.cost, record.currency)}` : '',
      '.'
    ),
    el(
      'ul',
      {},
      el('li', {}, `Energy per run: ${summaryText(repeat.energyJ, formatEnergy)}`),
      el('li', {}, `Duration per run: ${summaryText(repeat.durationS, formatDuration)}`)
    ),
    el(
      'details',
      {},
      el('summary', {}, 'Runs'),
      el(
        'table',
        { className: 'gaissa-measurement-runs' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            ...['Run', 'Energy', 'Duration'].map(h => el('th', { attrs: { scope: 'col' } }, h))
          )
        ),
        el(
          'tbody',
          {},
          ...runs.map((run, i) =>
            el(
              'tr',
              {},
              el('td', {}, i + 1),
              el('td', {}, formatEnergy(run.energyJ)),
              el('td', {}, formatDuration(run.durationS))
            )
          )
        )
      ),
      repeat.runs.length > runs.length ? el('p', {}, `(first ${runs.length} runs shown)`) : null,
      el('p', { className: 'gaissa-measurement-detail' }, `t values: ${repeat.tTable}`)
    )
  );
}

function baseline(record: MeasurementRecord): HTMLElement | null {
  if (!record.baseline) return null;
  return el(
    'p',
    { className: 'gaissa-measurement-baseline' },
    `Idle baseline ${formatPower(record.baseline.powerW)} (over ${formatDuration(record.baseline.durationS)}); ` +
      `energy above idle ${record.dynamicEnergyJ === null ? 'n/a' : formatEnergy(record.dynamicEnergyJ)} per run.`
  );
}

/** The method's constants, one line each: the badge's tooltip and the provenance section. */
export function constantsText(record: MeasurementRecord): string[] {
  const { constants } = record;
  const lines = [
    `Method: ${methodName(record.method)}${record.estimated ? ' (at least one figure is estimated)' : ''}`,
    `Provenance: ${provenanceText(coverageOfRecord(record))} of the energy`,
    `Sampling every ${formatDecimal(constants.samplingIntervalMs)} ms`
  ];
  if (constants.rapl) {
    lines.push(`RAPL zones: ${constants.rapl.zones.map(z => z.name).join(', ') || 'none'}`);
  }
  if (constants.nvidia) {
    lines.push(
      `nvidia-smi ${constants.nvidia.energyCounter ? 'energy counter' : 'power samples integrated over time'}`
    );
  }
  const e = constants.estimator;
  if (e) {
    lines.push(
      `CPU TDP ${formatDecimal(e.cpuTdpW)} W for ${e.cpuModel} (${e.cpuTdpSource})`,
      `Load curve ${e.loadCurve.map(([load, factor]) => `${formatDecimal(load)}%: ×${formatDecimal(factor)}`).join(', ')} (${e.loadCurveSource})`,
      `RAM ${formatDecimal(e.ramWPerGB)} W/GB (${e.ramWPerGBSource})`,
      `Attribution: ${e.attribution}`
    );
  }
  lines.push(
    `Grid ${formatDecimal(record.carbonIntensityGPerKWh)} gCO2e/kWh for ${record.regionName || record.region} (${record.carbonIntensitySource || 'source not given'})`,
    `PUE ${formatDecimal(record.pue)}`
  );
  return lines;
}

function list(title: string, items: readonly string[]): HTMLElement | null {
  if (items.length === 0) return null;
  const shown = items.slice(0, MAX_ROWS);
  return el(
    'div',
    {},
    el('h4', {}, title),
    el('ul', {}, ...shown.map(item => el('li', {}, item))),
    items.length > shown.length ? el('p', {}, `(${items.length - shown.length} more)`) : null
  );
}

function provenance(record: MeasurementRecord): HTMLElement {
  const { host, overhead } = record;
  return el(
    'details',
    { className: 'gaissa-measurement-provenance' },
    el('summary', {}, 'How this was measured'),
    list('Constants', constantsText(record)),
    list('Why a better meter was not used', record.fallbackReasons),
    list('Notes', record.notes),
    list('Host and window', [
      `${host.cpuModel}, ${host.logicalCpus} logical CPUs, ${formatDecimal(host.ramTotalGB)} GB RAM` +
        (host.gpuCount > 0 ? `, ${host.gpuCount} × ${host.gpuModel ?? 'GPU'}` : ''),
      `${host.os}`,
      `CPU utilisation ${formatPercent(record.cpuUtilisationPercent)}, process RAM ${formatDecimal(record.ramUsedGB)} GB`,
      `Sampler overhead ${formatDuration(overhead.samplerCpuS)} CPU over ${overhead.samples} samples`,
      `From ${record.startedAt} to ${record.endedAt}`,
      `Record ${record.id}`
    ])
  );
}
