/**
 * `%%gaissa measure` (energy, CO2e and cost of a cell), `%gaissa measure on|off` (every cell,
 * one line each), `%gaissa config` (settings) and `%gaissa meters` (what measures what, and why).
 */
import type { CellPrediction } from '../../core/cell-prediction';
import { lazyModule } from '../lazy-module';
import { measureSession, measureSettings } from '../measure/current';
import { CONFIG_FILE, ENV_VARIABLES, SETTING_KEYS, shownSettings } from '../measure/settings';
import { MagicContext } from './context';
import { MagicError } from './parse';
import { CellBody, CellOutcome, MagicArgs, MagicCommand } from './registry';

/* eslint-disable @typescript-eslint/no-require-imports -- loaded when a cell first measures */
const measureApi = lazyModule(() => require('../api/measure') as typeof import('../api/measure'));
const sampler = lazyModule(
  () => require('../meters/sampler') as typeof import('../meters/sampler')
);
/* eslint-enable @typescript-eslint/no-require-imports */

/** Carries a failed or interrupted run out of the measured function, to stop the series. */
class CellFailure extends Error {
  constructor(readonly outcome: CellOutcome) {
    super(outcome.error?.evalue ?? `cell ${outcome.status}`);
    this.name = outcome.error?.ename ?? 'Error';
  }
}

const cellTier = lazyModule(
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on the first measured cell
  () => require('../predict/cell-tier') as typeof import('../predict/cell-tier')
);
let predictor: import('../predict/cell-tier').CellPredictor | undefined;
/** The kernel session's cell predictor: costs from this machine's file, function energies from the session. */
function cellPredictor(): import('../predict/cell-tier').CellPredictor {
  return (predictor ??= new (cellTier().CellPredictor)());
}

/** The cell's body: its code after the magic line, so lines count from 1 below it. */
function bodyOf(code: string): string {
  return code.slice(code.indexOf('\n') + 1 || code.length);
}

/** The prediction for the cell, or "no prediction" with why; never throws. */
function predictCell(code: string | undefined): CellPrediction {
  const { forecastNone } = cellTier();
  if (code === undefined) return forecastNone("the cell's code was not given to the magic");
  try {
    return cellPredictor().predict(bodyOf(code)).prediction;
  } catch (e) {
    return forecastNone(`could not read the cell (${(e as Error).message})`);
  }
}

/** Teaches the predictor what a cell measured; a failure only costs the lesson. */
async function learnCell(code: string | undefined, energyJ: number, meter: string): Promise<void> {
  if (code === undefined) return;
  try {
    await cellPredictor().learn(bodyOf(code), energyJ, meter);
  } catch {
    // The prediction of later cells starts from what was learned before.
  }
}

async function measureCell(
  args: MagicArgs,
  ctx: MagicContext,
  body: CellBody,
  compact: boolean,
  code?: string
): Promise<CellOutcome> {
  const o = args.options;
  const session = measureSession();
  const repeat = (o.repeat as number | undefined) ?? session.settings.current.defaultRepeats;
  const long = repeat > 1 || Boolean(o.warmup) || Boolean(o.baseline);
  // The prediction is shown before the cell runs; the card that replaces it repeats it beside
  // the measured figure.
  const prediction = o.predict ? predictCell(code) : undefined;
  const forecast = prediction ? cellTier().forecastText(prediction) + '\n' : '';
  // Long series show their progress in place, and the final card replaces it.
  const progress =
    long || prediction
      ? ctx.api.display({ 'text/plain': `${forecast}measuring…` }, { displayId: true })
      : undefined;
  let last: CellOutcome = { status: 'ok' };
  let measured;
  try {
    measured = await session.measure(
      async () => {
        last = await body();
        if (last.status !== 'ok') throw new CellFailure(last);
        return last.value;
      },
      {
        repeat,
        warmup: o.warmup as number | undefined,
        baseline: o.baseline as number | undefined,
        label: o.label as string | undefined,
        region: o.region as string | undefined,
        pue: o.pue as string | undefined,
        log: o.log !== false,
        isInterrupt: e => e instanceof CellFailure && e.outcome.status === 'interrupted',
        onProgress: p =>
          progress?.update({
            'text/plain': `${forecast}measuring… ${p.phase} ${p.index + 1}/${p.total}`
          }),
        prediction
      }
    );
  } catch (e) {
    throw new MagicError(`%%gaissa measure: ${(e as Error).message}`);
  }
  // Awaited (a file write): the next cell, and the costs file, see what this one taught.
  if (measured.record.status === 'ok')
    await learnCell(code, measured.record.energyJ, measured.record.method);
  const measurement = new (measureApi().Measurement)(measured.record, measured.result, compact);
  if (progress) progress.update(measurement.toMimeBundle(), measurement.toMimeMetadata());
  else ctx.api.display(measurement.toMimeBundle(), { metadata: measurement.toMimeMetadata() });
  return last.status === 'ok' ? { status: 'ok', value: measured.result } : last;
}

export const measure: MagicCommand<MagicContext> = {
  name: 'measure',
  summary:
    'energy, CO2e and cost of the cell (cell magic); `%gaissa measure on|off` measures every cell',
  options: [
    {
      name: 'repeat',
      type: 'integer',
      min: 1,
      description: 'measured runs (default: the defaultRepeats setting)'
    },
    { name: 'warmup', type: 'integer', min: 0, description: 'unmeasured runs first' },
    {
      name: 'baseline',
      type: 'number',
      min: 0,
      description: 'seconds of idle measured first, for energy above idle'
    },
    { name: 'label', type: 'string', description: 'a name for the record' },
    {
      name: 'region',
      type: 'string',
      description: 'grid region for CO2e (ISO country code, WORLD, EU...)'
    },
    {
      name: 'pue',
      type: 'string',
      description: 'power usage effectiveness, a number >= 1 or a preset'
    },
    {
      name: 'log',
      type: 'boolean',
      default: true,
      description: 'append to gaissa-emissions.csv/.jsonl (--no-log: do not)'
    },
    {
      name: 'predict',
      type: 'boolean',
      description:
        "first show the predicted tier (Low < 1 J <= Medium < 30 J <= High) and energy from the cell's code, then the measured figure and the error"
    }
  ],
  positionals: [
    {
      name: 'mode',
      description: 'line form: measure every following cell, or stop',
      choices: ['on', 'off', 'status'],
      optional: true
    }
  ],
  line: (args, ctx) => {
    const mode = args.positionals[0];
    if (!mode)
      throw new MagicError(
        '%gaissa measure needs on, off or status as a line magic (or use %%gaissa measure as the first line of a cell)'
      );
    const store = measureSettings();
    if (mode !== 'status') store.set('autoMeasure', mode === 'on');
    ctx.print(
      `auto-measure is ${store.current.autoMeasure ? 'on: every cell is measured' : 'off'}\n`
    );
  },
  cell: (args, ctx, body, code) => measureCell(args, ctx, body, false, code)
};

/** Applies to cells without a cell magic while auto-measure is on. */
export const autoMeasure = {
  applies: (): boolean => measureSettings().current.autoMeasure,
  wrap: (ctx: MagicContext, body: CellBody): Promise<CellOutcome> =>
    measureCell({ options: { log: true }, positionals: [] }, ctx, body, true)
};

export const config: MagicCommand<MagicContext> = {
  name: 'config',
  summary: `show or change the measurement settings (also ${CONFIG_FILE} and GAISSA_* variables)`,
  positionals: [
    {
      name: 'action',
      description: 'show (default), set KEY VALUE, or unset KEY',
      choices: ['show', 'set', 'unset'],
      optional: true
    },
    { name: 'key', description: `one of ${SETTING_KEYS.join(', ')}`, optional: true },
    { name: 'value', description: 'the new value', optional: true }
  ],
  line: (args, ctx) => {
    const [action = 'show', key, value] = args.positionals;
    const store = measureSettings();
    if (action !== 'show') {
      if (!key)
        throw new MagicError(
          `%gaissa config ${action} needs a setting: ${SETTING_KEYS.join(', ')}`
        );
      if (action === 'set' && value === undefined)
        throw new MagicError(`%gaissa config set ${key} needs a value`);
      try {
        store.set(key, action === 'set' ? value : undefined);
      } catch (e) {
        throw new MagicError(`%gaissa config: ${(e as Error).message}`);
      }
    }
    const carbon = store.carbon();
    const shown = shownSettings(store.current);
    const lines = SETTING_KEYS.map(k => {
      const v = shown[k];
      return `  ${k.padEnd(23)} ${v === undefined ? '(unset)' : String(v)}   [${store.sourceOf(k)}]`;
    });
    ctx.print(
      [
        'GAISSA settings (later sources win: default, file, env, frontend, session):',
        ...lines,
        `  => grid ${carbon.regionName} (${carbon.region}): ${carbon.carbonIntensityGPerKWh} gCO2e/kWh, ${carbon.carbonIntensitySource}`,
        ...carbon.notes.map(n => `  note: ${n}`),
        ...store.warnings.map(w => `  warning: ${w}`),
        `Files and variables: ${CONFIG_FILE} in the notebook's folder; ${ENV_VARIABLES.join(', ')}.`
      ].join('\n') + '\n'
    );
  }
};

export const meters: MagicCommand<MagicContext> = {
  name: 'meters',
  summary: 'which meter measures CPU, GPU and RAM here, and why the others cannot',
  line: async (_args, ctx) => {
    const probe = await sampler().probeMeters();
    const show = (name: string, m: { method: string | null; scope: string | null }) =>
      `  ${name.padEnd(4)} ${m.method ?? 'none'}${m.scope ? ` (${m.scope})` : ''}`;
    ctx.print(
      [
        'GAISSA meters:',
        show('cpu', probe.cpu),
        show('gpu', probe.gpu),
        show('ram', probe.ram),
        ...probe.fallbackReasons.map(r => `  why not: ${r}`)
      ].join('\n') + '\n'
    );
  }
};

export const measureMagics = [measure, config, meters];
