/**
 * The `gaissa.meter` comm (contract: schema/meter-comm.schema.json): the JupyterLab extension
 * opens it with its settings; the kernel applies them and sends live power about once a second.
 */
import type { ValidateFunction } from 'ajv';
import { FieldError } from '../../core/field-error';
import { DEFAULT_KERNEL_SETTINGS } from '../../core/settings-defaults';
import meterCommSchema from '../../schema/meter-comm.schema.json';
import type { Comm, CommManager } from '../comms';
import { measureSession, measureSettings } from './current';
import { METER_COMM_TARGET } from '../../core/mime-types';

let validate: ValidateFunction | undefined;

/** Messages from a frontend are untrusted: anything off the schema is refused. */
function check(data: unknown): { type: string; settings?: Record<string, unknown> } | string {
  // ajv loads with the first message rather than with the kernel.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv = (require('ajv') as typeof import('ajv')).default;
  validate ??= new Ajv({ allErrors: false }).compile(meterCommSchema);
  if (validate(data)) return data as { type: string; settings?: Record<string, unknown> };
  const e = validate.errors?.[0];
  return `${e?.instancePath || 'message'} ${e?.message ?? 'is invalid'}`;
}

/**
 * JupyterLab always sends every setting; one left at its default there must not override the
 * notebook's gaissa.config.json or GAISSA_* variables, so defaults are not applied. (The
 * extension leaves unset region, price and currency out of what it sends.)
 */
const FRONTEND_DEFAULTS: Readonly<Record<string, unknown>> = DEFAULT_KERNEL_SETTINGS;

function applySettings(comm: Comm, settings: Record<string, unknown>): void {
  const store = measureSettings();
  const changed = Object.fromEntries(
    Object.entries(settings).filter(
      ([k, v]) => FRONTEND_DEFAULTS[k] !== v || store.sourceOf(k as never) === 'frontend'
    )
  );
  try {
    store.setAll(changed, 'frontend');
  } catch (e) {
    const field = e instanceof FieldError ? e.field : 'settings';
    comm.send({ type: 'settings-error', field, message: (e as Error).message.slice(0, 1000) });
    return;
  }
  const carbon = store.carbon();
  comm.send({
    type: 'settings-applied',
    settings: {
      region: carbon.region,
      regionName: carbon.regionName,
      carbonIntensityGPerKWh: carbon.carbonIntensityGPerKWh,
      pue: carbon.pue,
      pricePerKWh: carbon.pricePerKWh,
      currency: carbon.currency,
      defaultRepeats: store.current.defaultRepeats,
      autoMeasure: store.current.autoMeasure
    }
  });
}

function open(comm: Comm, data: unknown): void {
  const hello = check(data);
  if (typeof hello === 'string' || hello.type !== 'hello') {
    comm.close({ error: typeof hello === 'string' ? hello : 'expected a hello message' });
    return;
  }
  applySettings(comm, hello.settings ?? {});
  comm.onMessage(message => {
    const m = check(message);
    if (typeof m === 'string') comm.send({ type: 'settings-error', field: 'message', message: m });
    else if (m.type === 'settings') applySettings(comm, m.settings ?? {});
  });
  const session = measureSession();
  session
    .meter()
    .then(async meter => {
      const counter = meter.probe.cpu.method === 'rapl' ? 'rapl' : 'nvml';
      const stop = await session.live(s => {
        if (comm.closed) return;
        const carbon = session.settings.carbon();
        // Each sample says how much of it counters read: RAPL can stop, a GPU can sit beside an
        // estimated CPU.
        const method = s.coverage >= 1 ? counter : 'estimate';
        comm.send({
          type: 'power',
          t: s.t,
          powerW: s.powerW,
          cpuW: s.cpuW,
          gpuW: s.gpuW,
          ramW: s.ramW,
          method,
          estimated: s.coverage < 1,
          coverage: s.coverage,
          sessionEnergyJ: s.energyJ,
          sessionCo2eG: s.co2eG,
          sessionCost: s.cost,
          currency: carbon.currency
        });
      });
      if (comm.closed) stop();
      else comm.onClose(stop);
    })
    .catch(e => {
      if (!comm.closed)
        comm.send({ type: 'unavailable', reason: String((e as Error).message).slice(0, 1000) });
    });
}

export function registerMeterComm(comms: CommManager): void {
  comms.registerTarget(METER_COMM_TARGET, open);
}
