/**
 * Static views of a measurement record for viewers without the extension (nbconvert, GitHub, the
 * classic Notebook): a multi-line text/plain, a one-line summary for `%gaissa measure on`, and a
 * small HTML table with an inline SVG sparkline of the power timeline.
 *
 * Payloads are untrusted (a notebook from a stranger): nothing here trusts the declared types.
 * Every number is re-checked (a bad one reads "n/a"), every payload string is flattened to one
 * line and escaped, and no attribute ever takes a payload string.
 */
import { boundariesText, predictionLine } from './cell-prediction';
import { escapeMarkup, finiteNumber as num, formatNumber, plainText } from './format';
import type { MeasurementRecord } from './measurement';
import {
  coverageOfComponent,
  coverageOfRecord,
  missingEnergy,
  coveragePercent,
  provenanceText
} from './provenance';
import { JOULES_PER_KWH, JOULES_PER_WH } from './units';

type Loose = Record<string, unknown>;

function obj(x: unknown): Loose {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Loose) : {};
}

function list(x: unknown, max: number): unknown[] {
  return Array.isArray(x) ? x.slice(0, max) : [];
}

/**
 * A payload string flattened to one line (so it cannot forge rows of the text view), without
 * control characters, cut to `max` code points; null when it is not a string or is empty.
 */
function oneLine(x: unknown, max = 200): string | null {
  if (typeof x !== 'string') return null;
  const flat = plainText(x).replace(/\s+/g, ' ').trim();
  if (flat === '') return null;
  const chars = Array.from(flat);
  return chars.length <= max ? flat : chars.slice(0, max - 1).join('') + '…';
}

/** A unit: its size in base units, its name, and the smallest rounded value shown in it. */
type Unit = readonly [size: number, name: string, min?: number];

const ENERGY: readonly Unit[] = [
  [JOULES_PER_KWH * 1e3, 'MWh'],
  [JOULES_PER_KWH, 'kWh'],
  [JOULES_PER_WH, 'Wh'],
  [1e3, 'kJ'],
  [1, 'J'],
  [1e-3, 'mJ'],
  [1e-6, 'µJ']
];
const POWER: readonly Unit[] = [
  [1e6, 'MW'],
  [1e3, 'kW'],
  [1, 'W'],
  [1e-3, 'mW'],
  [1e-6, 'µW']
];
/** Grams stay grams down to 1 mg ("0.0014 g", as CO2e is usually quoted), then µg. */
const MASS: readonly Unit[] = [
  [1e6, 't'],
  [1e3, 'kg'],
  [1, 'g', 1e-3],
  [1e-6, 'µg']
];
const SHORT_TIME: readonly Unit[] = [
  [1, 's'],
  [1e-3, 'ms'],
  [1e-6, 'µs']
];

/** `digits` significant digits, but never fewer than the integer part has. */
function significant(v: number, digits: number): number {
  return Math.abs(v) >= 10 ** digits ? Math.round(v) : Number(v.toPrecision(digits));
}

/**
 * The value in the largest unit where it reads at least `min` (1 by default) once rounded; rounding
 * comes first so 999.96 J reads "1 kJ", not "1,000 J".
 */
function scaled(x: unknown, units: readonly Unit[], digits = 3): string {
  const v = num(x);
  if (v === null) return 'n/a';
  if (v === 0) return `0 ${(units.find(u => u[0] === 1) ?? units[0])[1]}`;
  for (const [size, name, min = 1] of units) {
    const r = significant(v / size, digits);
    if (Math.abs(r) >= min) return `${formatNumber(r)} ${name}`;
  }
  const [size, name] = units[units.length - 1];
  return `${formatNumber(v / size)} ${name}`;
}

function energy(x: unknown): string {
  return scaled(x, ENERGY);
}

function power(x: unknown): string {
  return scaled(x, POWER);
}

/**
 * CO2e to two significant digits: grid intensities are yearly averages known to about that
 * precision, so a third digit would claim more than the data holds.
 */
function co2e(x: unknown): string {
  const g = scaled(x, MASS, 2);
  return g === 'n/a' ? g : `${g} CO2e`;
}

/** Seconds below a minute with a prefix ("12.3 ms"); longer spans in minutes and hours. */
function duration(x: unknown): string {
  const v = num(x);
  if (v === null) return 'n/a';
  if (Math.abs(v) < 59.95) return scaled(v, SHORT_TIME);
  const total = Math.round(Math.abs(v));
  const sign = v < 0 ? '-' : '';
  const h = Math.floor(total / 3600);
  const min = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${sign}${formatNumber(h)} h ${min} min` : `${sign}${min} min ${s} s`;
}

/** Constants are shown to six digits so a reader can redo the arithmetic. */
function constant(x: unknown): string {
  const v = num(x);
  return v === null ? 'n/a' : String(Number(v.toPrecision(6)));
}

function money(x: unknown, currency: string | null): string {
  const v = num(x);
  if (v === null) return 'n/a';
  return currency ? `${formatNumber(v)} ${currency}` : formatNumber(v);
}

// Maps, not object literals, so a payload's "__proto__" or "constructor" finds nothing.
const METER_NAMES = new Map<unknown, string>([
  ['rapl', 'RAPL'],
  ['nvml', 'NVIDIA counters'],
  ['estimate', 'estimated']
]);
const SCOPE_NAMES = new Map<unknown, string>([
  ['machine', 'whole machine'],
  ['process', 'this process'],
  ['device', 'device']
]);
const GPU_SOURCES = new Map<unknown, string>([
  ['counter', 'energy counter'],
  ['power', 'power samples']
]);

type Method = 'estimated' | 'partly-measured' | 'measured' | 'unknown';

/**
 * The record's coverage as every reader takes it (coverageOfRecord: the smaller of its own claim
 * and its components'), so the view errs towards "estimated", never the other way.
 */
function methodOf(r: Loose): Method {
  const saysEstimate = r.estimated === true || r.method === 'estimate';
  if (!saysEstimate && r.method !== 'rapl' && r.method !== 'nvml') return 'unknown';
  const coverage = coverageOfRecord(r);
  if (coverage >= 1) return 'measured';
  return coverage > 0 ? 'partly-measured' : 'estimated';
}

/** "measured: RAPL", "partly measured (40 % counter)" or "estimated". */
function methodShort(r: Loose): string {
  return methodOnly(r) + missingText(r);
}

/** "; GPU energy missing" where a present component gave no reading (the total leaves it out). */
function missingText(r: Loose): string {
  const missing = missingEnergy(r);
  return missing.length > 0 ? `; ${missing.join(' and ')} energy missing` : '';
}

function methodOnly(r: Loose): string {
  const method = methodOf(r);
  if (method === 'measured') return `measured: ${METER_NAMES.get(r.method)}`;
  if (method === 'partly-measured') return provenanceText(coverageOfRecord(r));
  if (method === 'estimated') return 'estimated';
  return 'method unknown';
}

interface Row {
  label: string;
  value: string;
  /** Shown in bold in HTML: the facts a reader must not miss (estimated, error). */
  strong?: boolean;
}

interface Facts {
  title: string;
  rows: Row[];
}

function statusRows(r: Loose): Row[] {
  if (r.status === 'ok') return [];
  const error = obj(r.error);
  const name = oneLine(error.name, 80);
  const message = oneLine(error.message, 300);
  const what = [name, message].filter(Boolean).join(': ');
  if (r.status === 'error') {
    return [
      {
        label: 'Status',
        value: `error${what ? ` (${what})` : ''}; the figures cover the work done before it`,
        strong: true
      }
    ];
  }
  if (r.status === 'interrupted') {
    return [
      {
        label: 'Status',
        value: 'interrupted; the figures cover the work done until then',
        strong: true
      }
    ];
  }
  return [
    { label: 'Status', value: `unknown (${oneLine(r.status, 20) ?? 'not given'})`, strong: true }
  ];
}

function estimatorRows(r: Loose): Row[] {
  const constants = obj(r.constants);
  const e = obj(constants.estimator);
  const rows: Row[] = [];
  if (Object.keys(e).length > 0) {
    const model = oneLine(e.cpuModel, 120);
    const tdpSource = oneLine(e.cpuTdpSource, 200);
    rows.push({
      label: 'CPU power',
      value:
        `TDP ${constant(e.cpuTdpW)} W${model ? ` for ${model}` : ''}` +
        `${tdpSource ? ` (${tdpSource})` : ''}`
    });
    const curve = list(e.loadCurve, 32)
      .map(p => (Array.isArray(p) ? `${constant(p[0])} % → ×${constant(p[1])}` : null))
      .filter((p): p is string => p !== null);
    if (curve.length > 0) {
      const source = oneLine(e.loadCurveSource, 200);
      rows.push({
        label: 'Load curve',
        value: `${curve.join(', ')}${source ? ` (${source})` : ''}`
      });
    }
    const ramSource = oneLine(e.ramWPerGBSource, 200);
    rows.push({
      label: 'RAM power',
      value: `${constant(e.ramWPerGB)} W/GB${ramSource ? ` (${ramSource})` : ''}`
    });
    const attribution = oneLine(e.attribution, 200);
    if (attribution) rows.push({ label: 'Attribution', value: attribution });
  }
  const interval = num(constants.samplingIntervalMs);
  if (interval !== null) rows.push({ label: 'Sampling', value: `every ${constant(interval)} ms` });
  const reasons = list(r.fallbackReasons, 10)
    .map(x => oneLine(x, 300))
    .filter((x): x is string => x !== null);
  if (reasons.length > 0) rows.push({ label: 'Why estimated', value: reasons.join('; ') });
  return rows;
}

function componentRows(r: Loose): Row[] {
  const components = obj(r.components);
  const parts = (['cpu', 'gpu', 'ram'] as const).map(key => {
    const c = obj(components[key]);
    const name = key.toUpperCase();
    if (c.method === null || c.method === undefined) return `${name} none`;
    const coverage = coverageOfComponent(c);
    const counter = c.method === 'rapl' || c.method === 'nvml';
    const meter = METER_NAMES.get(c.method) ?? 'unknown method';
    const how = [
      counter && coverage < 1
        ? `${meter} for ${coveragePercent(coverage)} %, rest estimated`
        : meter,
      SCOPE_NAMES.get(c.scope)
    ]
      .filter(Boolean)
      .join(', ');
    return `${name} ${energy(c.energyJ)} (${how})`;
  });
  const rows: Row[] = [{ label: 'Components', value: parts.join(' · ') }];
  for (const g of list(r.gpus, 16)) {
    if (typeof g !== 'object' || g === null) continue;
    const gpu = obj(g);
    const index = num(gpu.index);
    const source = GPU_SOURCES.get(gpu.source);
    rows.push({
      label: index !== null && Number.isInteger(index) && index >= 0 ? `GPU ${index}` : 'GPU',
      value:
        `${oneLine(gpu.name, 80) ?? 'unnamed'}: ${energy(gpu.energyJ)}` +
        `${source ? ` (${source})` : ''}`
    });
  }
  return rows;
}

/** mean ± sd and the 95 % CI of one summary, in the given unit. */
function spread(summary: unknown, unit: (x: unknown) => string): string {
  const s = obj(summary);
  const ci = obj(s.ci95);
  const interval =
    num(ci.low) === null || num(ci.high) === null ? 'n/a' : `${unit(ci.low)} to ${unit(ci.high)}`;
  return `${unit(s.mean)} ± ${unit(s.sd)} (sd), 95 % CI ${interval}`;
}

function repeatRows(r: Loose, runs: number): Row[] {
  if (runs < 2) return [];
  const repeat = obj(r.repeat);
  const warmup = num(repeat.warmup) ?? 0;
  const after =
    warmup > 0 ? ` after ${formatNumber(warmup)} warm-up${warmup === 1 ? '' : 's'}` : '';
  return [
    {
      label: 'Repeats',
      value: `${formatNumber(runs)} runs${after}; per-run figures above are means`
    },
    { label: 'Energy per run', value: spread(repeat.energyJ, energy) },
    { label: 'Duration per run', value: spread(repeat.durationS, duration) }
  ];
}

function baselineRows(r: Loose): Row[] {
  const rows: Row[] = [];
  if (typeof r.baseline === 'object' && r.baseline !== null) {
    const b = obj(r.baseline);
    rows.push({
      label: 'Idle baseline',
      value: `${power(b.powerW)} (${energy(b.energyJ)} over ${duration(b.durationS)})`
    });
  }
  if (r.dynamicEnergyJ !== null && r.dynamicEnergyJ !== undefined) {
    rows.push({ label: 'Dynamic energy', value: `${energy(r.dynamicEnergyJ)} per run above idle` });
  }
  return rows;
}

function regionRow(r: Loose): Row {
  const code = oneLine(r.region, 40);
  const name = oneLine(r.regionName, 80);
  const where =
    name && code && name !== code ? `${name} (${code})` : (name ?? code ?? 'region not given');
  const source = oneLine(r.carbonIntensitySource, 200);
  return {
    label: 'Region',
    value:
      `${where}, ${formatNumber(r.carbonIntensityGPerKWh)} gCO2e/kWh` +
      `${source ? ` (${source})` : ''}, PUE ${formatNumber(r.pue)}`
  };
}

/**
 * What `--predict` said before the run beside the figure it got, with the tier boundaries and
 * what the estimate rests on; marked predicted. None when the record has no prediction.
 */
function predictionRows(r: Loose): Row[] {
  if (r.prediction === undefined) return [];
  const p = obj(r.prediction);
  const basis = oneLine(p.basis, 300);
  return [
    {
      label: 'Prediction',
      value:
        `${oneLine(predictionLine({ ...p, reason: oneLine(p.reason, 300) ?? undefined }, r), 400)}` +
        ` [${boundariesText(obj(p.boundaries))}]${basis ? `; from ${basis}` : ''}; predicted, not measured`
    }
  ];
}

/** The record's facts as label/value rows, shared by the text and HTML views. */
function facts(record: MeasurementRecord): Facts {
  const r = obj(record);
  const label = oneLine(r.label, 120);
  const runs = Math.max(1, Math.floor(num(obj(r.repeat).n) ?? 1));
  const perRun = runs >= 2 ? ' per run' : '';
  const total = obj(r.total);
  const totalOf = (value: string) => (runs >= 2 ? `; ${value} in total` : '');
  const pue = num(r.pue);
  const currency = oneLine(r.currency, 8);
  const price = num(r.pricePerKWh);
  const method = methodOf(r);

  const rows: Row[] = [...statusRows(r)];
  rows.push(
    {
      label: 'Energy',
      value:
        `${energy(r.energyJ)}${perRun}` +
        (pue !== null && pue > 1
          ? ` (${energy(r.facilityEnergyJ)} with PUE ${formatNumber(pue)})`
          : '') +
        totalOf(energy(total.energyJ))
    },
    {
      label: 'Duration',
      value: `${duration(r.durationS)}${perRun}${totalOf(duration(total.durationS))}`
    },
    { label: 'Average power', value: power(r.powerW) },
    { label: 'CO2e', value: `${co2e(r.co2eG)}${perRun}${totalOf(co2e(total.co2eG))}` },
    {
      label: 'Cost',
      value:
        r.cost === null || r.cost === undefined
          ? 'no electricity price set'
          : `${money(r.cost, currency)}${perRun}` +
            (price === null ? '' : ` at ${money(price, currency)}/kWh`) +
            (runs >= 2 && num(total.cost) !== null
              ? `; ${money(total.cost, currency)} in total`
              : '')
    },
    {
      label: 'Method',
      value:
        (method === 'estimated'
          ? 'estimated (no readable energy counter for any of it; constants below)'
          : method === 'partly-measured'
            ? `${provenanceText(coverageOfRecord(r))}: a hardware counter measured ${coveragePercent(coverageOfRecord(r))} % of the energy, the rest is estimated or extrapolated (see components and notes)`
            : method === 'measured'
              ? `measured (${METER_NAMES.get(r.method)})`
              : 'unknown') + missingText(r),
      strong: method !== 'measured' || missingEnergy(r).length > 0
    }
  );
  rows.push(...predictionRows(r));
  if (method === 'estimated' || method === 'partly-measured') rows.push(...estimatorRows(r));
  rows.push(...componentRows(r), ...repeatRows(r, runs), ...baselineRows(r), regionRow(r));
  const notes = list(r.notes, 10)
    .map(x => oneLine(x, 300))
    .filter((x): x is string => x !== null);
  if (notes.length > 0) rows.push({ label: 'Notes', value: notes.join('; ') });
  return { title: `GAISSA measurement${label ? `: ${label}` : ''}`, rows };
}

/** text/plain: a title and aligned label/value lines. */
export function measurementText(record: MeasurementRecord): string {
  const { title, rows } = facts(record);
  const width = Math.max(...rows.map(row => row.label.length));
  const lines = [title, ...rows.map(row => `  ${row.label.padEnd(width)}  ${row.value}`)];
  return plainText(lines.join('\n'));
}

/** One line for `%gaissa measure on`: energy · duration · power · CO2e (method), then any trouble. */
export function measurementLine(record: MeasurementRecord): string {
  const r = obj(record);
  const label = oneLine(r.label, 60);
  const runs = Math.max(1, Math.floor(num(obj(r.repeat).n) ?? 1));
  const parts = [
    `⚡ ${label ? `${label}: ` : ''}${energy(r.energyJ)}`,
    duration(r.durationS),
    power(r.powerW),
    `${co2e(r.co2eG)} (${methodShort(r)})`
  ];
  if (runs >= 2) parts.push(`mean of ${formatNumber(runs)} runs`);
  if (r.prediction !== undefined) {
    const p = obj(r.prediction);
    parts.push(
      oneLine(predictionLine({ ...p, reason: oneLine(p.reason, 80) ?? undefined }, r), 160) ?? ''
    );
  }
  if (r.status !== 'ok') {
    const error = obj(r.error);
    const what = [oneLine(error.name, 40), oneLine(error.message, 80)].filter(Boolean).join(': ');
    const status = r.status === 'error' || r.status === 'interrupted' ? r.status : 'status unknown';
    parts.push(`${status}${r.status === 'error' && what ? `: ${what}` : ''}`);
  }
  return plainText(parts.join(' · '));
}

/** Sparkline size: small enough to sit in a table cell. */
const SPARK_W = 240;
const SPARK_H = 40;
/** More points than pixels only costs bytes. */
const SPARK_MAX_POINTS = 240;
/** Records hold at most 200 points; a payload with vastly more is not worth reading in full. */
const TIMELINE_MAX_READ = 100_000;

/**
 * Inline SVG of power over time, and a caption with its span and peak; null when the timeline has
 * fewer than two usable points.
 */
function sparkline(timeline: unknown): { svg: string; caption: string } | null {
  const points: Array<{ t: number; p: number }> = [];
  for (const item of list(timeline, TIMELINE_MAX_READ)) {
    const o = obj(item);
    const t = num(o.t);
    const p = num(o.powerW);
    if (t !== null && p !== null) points.push({ t, p });
  }
  if (points.length < 2) return null;
  let tMin = Infinity;
  let tMax = -Infinity;
  let pMin = 0; // the axis starts at zero watts so small wiggles do not look like spikes
  let pMax = -Infinity;
  for (const { t, p } of points) {
    tMin = Math.min(tMin, t);
    tMax = Math.max(tMax, t);
    pMin = Math.min(pMin, p);
    pMax = Math.max(pMax, p);
  }
  const stride = Math.ceil(points.length / SPARK_MAX_POINTS);
  const drawn = points.filter((_, i) => i % stride === 0);
  const tSpan = tMax > tMin ? tMax - tMin : 1;
  const pSpan = pMax > pMin ? pMax - pMin : 1;
  const pad = 2;
  const x = (t: number) => (pad + ((t - tMin) / tSpan) * (SPARK_W - 2 * pad)).toFixed(1);
  const y = (p: number) => (SPARK_H - pad - ((p - pMin) / pSpan) * (SPARK_H - 2 * pad)).toFixed(1);
  const line = drawn.map(q => `${x(q.t)},${y(q.p)}`).join(' ');
  const caption = `${duration(tMax - tMin)}, peak ${power(pMax)}`;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SPARK_W}" height="${SPARK_H}" ` +
    `viewBox="0 0 ${SPARK_W} ${SPARK_H}" role="img" class="gaissa-measurement-sparkline">` +
    `<title>${escapeMarkup(`Power over time: ${caption}`)}</title>` +
    `<line x1="${pad}" y1="${y(0)}" x2="${SPARK_W - pad}" y2="${y(0)}" ` +
    `stroke="currentColor" stroke-opacity="0.3"/>` +
    `<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="${line}"/>` +
    `</svg>`;
  return { svg, caption };
}

/** text/html: the same rows as the text view in a table, and the power sparkline. */
export function measurementHtml(record: MeasurementRecord): string {
  const { title, rows } = facts(record);
  const out = [
    '<div class="gaissa-measurement-static">',
    '<table>',
    `<caption>${escapeMarkup(title)}</caption>`
  ];
  for (const row of rows) {
    const value = escapeMarkup(row.value);
    out.push(
      `<tr><th>${escapeMarkup(row.label)}</th><td>${row.strong ? `<strong>${value}</strong>` : value}</td></tr>`
    );
  }
  const chart = sparkline(obj(record).timeline);
  if (chart) {
    out.push(
      `<tr><th>Power over time</th><td>${chart.svg} ${escapeMarkup(chart.caption)}</td></tr>`
    );
  }
  out.push('</table>', '</div>');
  return out.join('\n');
}
