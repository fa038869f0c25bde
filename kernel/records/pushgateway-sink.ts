/**
 * Measurements into a Prometheus Pushgateway: counters gaissa_energy_joules_total and
 * gaissa_co2e_grams_total and the gauge gaissa_power_watts, labelled user, server (JupyterHub's
 * named server, empty for the default one), notebook, kernel_id, method and component, in the text
 * exposition format. The kernel keeps the running totals of every record written and each push
 * PUTs them as the whole group /metrics/job/gaissa/instance/<kernel id>, so a push that fails, or
 * records the queue gave up, are made good by the next push that succeeds: the next record's, or
 * the queue's own re-push in the background once the outage ends (catchUpMs). A component's joules
 * are split by its coverage: the measured share under its counter's method (rapl, nvml), the rest
 * under `estimate`.
 */
import type { MeasurementRecord } from '../../core/measurement';
import {
  DeliveryQueue,
  DeliveryRefused,
  refusesRetry,
  type DeliveryStatus
} from './delivery-queue';
import { printable, readServerText } from './server-text';
import { serverUrl } from './server-url';
import type { NumberedRecord, TeamSink, TeamSinkOptions } from './team-sink';

export const PUSH_METRICS = {
  energy: 'gaissa_energy_joules_total',
  co2e: 'gaissa_co2e_grams_total',
  power: 'gaissa_power_watts'
} as const;

/** A label value in the exposition format: backslash, double quote and line feed escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A sample value: Go's ParseFloat reads JavaScript's number text, infinities spelled its way. */
function sampleValue(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v);
}

type Labels = Record<string, string>;

function series(name: string, labels: Labels, value: number): string {
  const text = Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
    .join(',');
  return `${name}{${text}} ${sampleValue(value)}`;
}

export interface Share {
  method: string;
  component: string;
  energyJ: number;
  co2eG: number;
}

/** The record's energy (all runs) and CO2e per component and method. */
export function sharesOf(record: MeasurementRecord): Share[] {
  const runs = record.repeat.n;
  const gPerJ = record.total.energyJ > 0 ? record.total.co2eG / record.total.energyJ : 0;
  const shares: Share[] = [];
  for (const component of ['cpu', 'gpu', 'ram'] as const) {
    const c = record.components[component];
    if (c.method === null) continue;
    const energyJ = c.energyJ * runs;
    const measured = c.method === 'estimate' ? 0 : energyJ * c.coverage;
    const parts: Array<[string, number]> =
      c.method === 'estimate'
        ? [['estimate', energyJ]]
        : [
            [c.method, measured],
            ['estimate', energyJ - measured]
          ];
    for (const [method, joules] of parts) {
      if (joules > 0 || method === c.method)
        shares.push({ method, component, energyJ: joules, co2eG: joules * gPerJ });
    }
  }
  return shares;
}

export interface PushTotals {
  /** `method component` -> the share's running sums. */
  totals: Map<string, Share>;
  /** The power of the latest record, per component. */
  power: Array<{ method: string; component: string; watts: number }>;
}

export function emptyTotals(): PushTotals {
  return { totals: new Map(), power: [] };
}

/** The totals with `records` added (a new object; `base` is left as it is). */
export function addRecords(base: PushTotals, records: readonly MeasurementRecord[]): PushTotals {
  const totals = new Map([...base.totals].map(([k, s]) => [k, { ...s }]));
  let power = base.power;
  for (const record of records) {
    for (const share of sharesOf(record)) {
      const key = `${share.method} ${share.component}`;
      const sum = totals.get(key) ?? { ...share, energyJ: 0, co2eG: 0 };
      sum.energyJ += share.energyJ;
      sum.co2eG += share.co2eG;
      totals.set(key, sum);
    }
    power = (['cpu', 'gpu', 'ram'] as const)
      .filter(k => record.components[k].method !== null)
      .map(k => ({
        method: record.components[k].method!,
        component: k,
        watts: record.durationS > 0 ? record.components[k].energyJ / record.durationS : 0
      }));
  }
  return { totals, power };
}

/** The group's body in the text exposition format. */
export function exposition(totals: PushTotals, who: Labels): string {
  const lines: string[] = [];
  const sums = [...totals.totals.values()];
  const block = (name: string, type: string, help: string, rows: string[]) => {
    if (rows.length > 0) lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...rows);
  };
  const labels = (s: { method: string; component: string }) => ({
    ...who,
    method: s.method,
    component: s.component
  });
  block(
    PUSH_METRICS.energy,
    'counter',
    'IT energy of measured work, joules (all runs).',
    sums.map(s => series(PUSH_METRICS.energy, labels(s), s.energyJ))
  );
  block(
    PUSH_METRICS.co2e,
    'counter',
    'CO2e of measured work, grams (all runs, PUE included).',
    sums.map(s => series(PUSH_METRICS.co2e, labels(s), s.co2eG))
  );
  block(
    PUSH_METRICS.power,
    'gauge',
    'Mean power of the latest measurement, watts.',
    totals.power.map(p => series(PUSH_METRICS.power, labels(p), p.watts))
  );
  return lines.join('\n') + '\n';
}

/** The group's path: base64url segments (`@base64`), so any id is a valid path segment. */
export function groupPath(instance: string): string {
  const b64 = Buffer.from(instance, 'utf8').toString('base64url');
  return `/metrics/job/gaissa/instance@base64/${b64 === '' ? '=' : b64}`;
}

export interface PushgatewaySinkOptions extends TeamSinkOptions {
  url: string;
}

export class PushgatewaySink implements TeamSink {
  readonly name: string;
  private readonly queue: DeliveryQueue<NumberedRecord>;
  private readonly baseUrl: string;
  private readonly authorization: string | null;
  /** The totals of every record written, whether or not a push has carried it yet. */
  private totals = emptyTotals();

  constructor(private readonly options: PushgatewaySinkOptions) {
    const { base, authorization } = serverUrl(options.url);
    this.baseUrl = base;
    this.authorization = authorization;
    this.name = `Pushgateway at ${this.baseUrl}`;
    this.queue = new DeliveryQueue({
      name: this.name,
      deliver: (items, signal) => this.deliver(items, signal),
      idOf: item => item.record.id,
      // One push carries any number of records: the batch is everything waiting.
      bounds: { batchSize: Number.MAX_SAFE_INTEGER, ...options.bounds },
      cumulative: true,
      clock: options.clock,
      warn: options.warn,
      onDelivered: (item, ms) => options.onDelivered?.(item, ms, this.name)
    });
  }

  push(item: NumberedRecord): void {
    this.totals = addRecords(this.totals, [item.record]);
    this.queue.push(item);
  }

  status(): DeliveryStatus {
    return this.queue.status();
  }

  flush(timeoutMs: number): Promise<DeliveryStatus> {
    return this.queue.flush(timeoutMs);
  }

  close(timeoutMs: number): Promise<DeliveryStatus> {
    return this.queue.close(timeoutMs);
  }

  /** PUTs the totals as they are now: `items` are in them, and so is anything given up before. */
  private async deliver(_items: NumberedRecord[], signal: AbortSignal): Promise<void> {
    const who = this.options.attribution;
    const body = exposition(this.totals, {
      user: who.user,
      server: who.server ?? '',
      notebook: who.notebook ?? '',
      kernel_id: who.kernelId ?? who.instance
    });
    const response = await (this.options.fetch ?? fetch)(this.baseUrl + groupPath(who.instance), {
      method: 'PUT',
      headers: {
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
        ...(this.authorization ? { authorization: this.authorization } : {})
      },
      body,
      signal
    });
    if (!response.ok) {
      const text = printable(await readServerText(response))
        .slice(0, 300)
        .trim();
      const message = `HTTP ${response.status}${text ? `: ${text}` : ''}`;
      if (refusesRetry(response.status)) throw new DeliveryRefused(message);
      throw new Error(message);
    }
  }
}
