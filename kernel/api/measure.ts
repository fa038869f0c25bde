/**
 * `gaissa.measure(fn)`, `gaissa.meter()` and `gaissa.config`: the function twins of
 * `%%gaissa measure`, manual windows for work spread over cells, and the settings.
 */
import { buildMeasurementRecord, MeasurementRecord } from '../../core/measurement';
import {
  measurementHtml,
  measurementLine,
  measurementText
} from '../../core/measurement-static-view';
import { Displayable, MimeBundle } from '../display';
import { measureSession, measureSettings } from '../measure/current';
import type { MeasureOptions } from '../measure/session';
import type { DeliveryStatus } from '../records/delivery-queue';
import {
  KernelSettings,
  SETTING_KEYS,
  SettingKey,
  SettingSource,
  shownSettings
} from '../measure/settings';
import { MEASUREMENT_MIME } from '../../core/mime-types';

export type { MeasureOptions } from '../measure/session';

/** A measurement as a notebook shows it: the full card, or one line in compact mode. */
export class Measurement<T = unknown> implements Displayable {
  constructor(
    readonly record: MeasurementRecord,
    /** What the measured code returned (its last run). */
    readonly result?: T,
    private readonly compact = false
  ) {}

  toMimeBundle(): MimeBundle {
    return {
      [MEASUREMENT_MIME]: this.record,
      'text/plain': this.compact ? measurementLine(this.record) : measurementText(this.record),
      ...(this.compact ? {} : { 'text/html': measurementHtml(this.record) })
    };
  }

  /** Tells renderers to draw the compact form (auto-measure mode). */
  toMimeMetadata(): Record<string, unknown> {
    return this.compact ? { [MEASUREMENT_MIME]: { compact: true } } : {};
  }

  toJSON(): MeasurementRecord {
    return this.record;
  }
}

/** Thrown when measured code fails: the original error, with the measurement attached. */
export type MeasuredError = Error & { measurement: Measurement };

export async function measure<T>(
  fn: () => T | Promise<T>,
  options: Omit<MeasureOptions, 'onProgress' | 'isInterrupt' | 'prediction'> = {}
): Promise<Measurement<T>> {
  if (typeof fn !== 'function') throw new TypeError('gaissa.measure needs a function to run');
  // A prediction is the kernel's own (`--predict`), never a caller's claim.
  const measured = await measureSession().measure(fn, { ...options, prediction: undefined });
  const measurement = new Measurement(measured.record, measured.result);
  if (measured.record.status !== 'ok') {
    const error =
      measured.error instanceof Error ? measured.error : new Error(String(measured.error));
    (error as MeasuredError).measurement = measurement;
    throw error;
  }
  return measurement;
}

export interface ManualMeter {
  /** Opens a named window (the name becomes the record's label). */
  begin(name: string): Promise<void>;
  /** Closes it and returns (and logs, unless log is false) its measurement. */
  end(name: string, options?: { log?: boolean }): Promise<Measurement>;
  /** Names of the windows still open. */
  readonly open: string[];
}

export function meter(): ManualMeter {
  const windows = new Map<
    string,
    Promise<{ end(): Promise<import('../../core/measurement').MeterReading> }>
  >();
  return {
    async begin(name) {
      if (typeof name !== 'string' || !name) throw new TypeError('a window needs a name');
      if (windows.has(name)) throw new Error(`window '${name}' is already open`);
      const opening = measureSession().window();
      windows.set(name, opening);
      await opening;
    },
    async end(name, options = {}) {
      const opening = windows.get(name);
      if (!opening) {
        const open = [...windows.keys()];
        throw new Error(
          `no open window '${name}'${open.length ? `; open: ${open.join(', ')}` : ''}`
        );
      }
      windows.delete(name);
      const reading = await (await opening).end();
      const session = measureSession();
      const record = buildMeasurementRecord({
        runs: [reading],
        settings: session.settings.carbon(),
        label: name
      });
      // The sink warns on stderr when it cannot write; the measurement is returned either way.
      if (options.log !== false) session.sink.write(record);
      return new Measurement(record);
    },
    get open() {
      return [...windows.keys()];
    }
  };
}

/** Each team server's delivery status: the function twin of `%gaissa sinks`. */
export function sinks(): DeliveryStatus[] {
  return measureSession().sink.status();
}

export interface ConfigView {
  settings: Readonly<KernelSettings>;
  sources: Record<SettingKey, SettingSource>;
  warnings: string[];
}

export const config = {
  /** The settings in force (server addresses without their password) and where each came from. */
  get(): ConfigView {
    const store = measureSettings();
    return {
      settings: shownSettings(store.current),
      sources: Object.fromEntries(SETTING_KEYS.map(k => [k, store.sourceOf(k)])) as Record<
        SettingKey,
        SettingSource
      >,
      warnings: [...store.warnings]
    };
  },
  /** Sets one setting for this session (validated; the next measurement uses it). */
  set(key: SettingKey, value: unknown): void {
    measureSettings().set(key, value, 'session');
  }
};
