/** `gaissa measure -- COMMAND ARGS...`: the CLI twin of `%%gaissa measure`, for scripts and CI. */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { buildMeasurementRecord, MeterReading } from '../../core/measurement';
import { measurementText } from '../../core/measurement-static-view';
import { describeError } from '../meters/measure-runs';
import { openPowerMeter, PowerMeter } from '../meters/sampler';
import { SettingsStore } from '../measure/settings';
import { Command, UsageError } from './command';
import { cliTeamSink, closeTeamSink } from './team-servers';

/**
 * Runs the command behind a gate: `sh` waits on fd 3 until the meter tracks its pid, then execs
 * the command, so not even its first milliseconds escape the measurement.
 */
async function runMeasured(
  argv: string[]
): Promise<{ reading: MeterReading; code: number; meter: PowerMeter }> {
  const child = spawn('/bin/sh', ['-c', 'read _ <&3; exec 3<&-; exec "$0" "$@"', ...argv], {
    stdio: ['inherit', 'inherit', 'inherit', 'pipe']
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const meter = await openPowerMeter({ trackPid: child.pid });
  const window = meter.begin();
  (child.stdio[3] as NodeJS.WritableStream).end('go\n');
  const code = await exited;
  return { reading: await window.end(), code, meter };
}

export const measure: Command = {
  name: 'measure',
  summary: 'energy, CO2e and cost of a command and its children (the twin of %%gaissa measure)',
  usage: `Usage: gaissa measure [options] -- COMMAND [ARGS...]

Runs COMMAND (N times with --repeat) and reports its energy, CO2e and cost, measured where a
counter exists (RAPL, NVIDIA) and estimated otherwise, like %%gaissa measure in a notebook.
Appends the record to gaissa-emissions.csv/.jsonl in the current folder unless --no-log.
Exits with COMMAND's status when it fails, and with 2 when the log cannot be written (the
record is printed first).

Options:
  --repeat N        runs to measure (default 1)
  --label TEXT      a name for the record
  --region CC       grid region for CO2e (ISO country code, WORLD, EU...)
  --pue X           power usage effectiveness (a number >= 1 or a preset)
  --json            print the record as JSON instead of text
  --no-log          do not append to gaissa-emissions.csv/.jsonl

Settings also come from gaissa.config.json and GAISSA_* variables, as in the kernel.
With MLFLOW_TRACKING_URI or GAISSA_PUSHGATEWAY_URL set, the record also goes to that team
server (waiting at most 5 s after printing; what it did not take is named on stderr).`,
  async run(args, io) {
    const split = args.indexOf('--');
    if (split < 0 || split === args.length - 1)
      throw new UsageError('give the command after --, e.g. gaissa measure -- python train.py');
    const { values } = parseArgs({
      args: args.slice(0, split),
      options: {
        repeat: { type: 'string', default: '1' },
        label: { type: 'string' },
        region: { type: 'string' },
        pue: { type: 'string' },
        json: { type: 'boolean', default: false },
        'no-log': { type: 'boolean', default: false }
      }
    });
    const repeat = Number(values.repeat);
    if (!Number.isInteger(repeat) || repeat < 1)
      throw new UsageError(`--repeat must be a whole number >= 1, got ${values.repeat}`);
    const store = new SettingsStore(process.cwd());
    let carbon;
    try {
      carbon = store.carbon({ region: values.region, pue: values.pue });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const command = args.slice(split + 1);
    const runs: MeterReading[] = [];
    let failure: { code: number } | undefined;
    for (let i = 0; i < repeat && !failure; i++) {
      const { reading, code, meter } = await runMeasured(command);
      await meter.close();
      runs.push(reading);
      if (code !== 0) failure = { code };
    }
    const record = buildMeasurementRecord({
      runs,
      settings: carbon,
      status: failure ? 'error' : 'ok',
      error: failure
        ? describeError(new Error(`${command[0]} exited with status ${failure.code}`))
        : null,
      label: values.label ?? command.join(' ')
    });
    // The record is printed whatever happens to the log, so the measurement is never lost; a log
    // that cannot be written is then a one-line error and exit 2, like every CLI write error.
    // Team servers (MLflow, a Pushgateway) get it after the local files, in the background.
    const sink = cliTeamSink(store, io);
    const logged = values['no-log'] ? null : sink.write(record);
    io.stdout(
      values.json ? JSON.stringify(record, null, 2) + '\n' : measurementText(record) + '\n'
    );
    await closeTeamSink(sink, io);
    if (logged && !logged.ok) {
      const kept =
        logged.written.length > 0
          ? `; it stays in ${logged.written.join(', ')} (could not be taken back)`
          : '';
      io.stderr(
        `gaissa measure: cannot write ${logged.file}: ${logged.reason} (record ${record.id} not logged${kept})\n`
      );
      return 2;
    }
    return failure?.code ?? 0;
  }
};
