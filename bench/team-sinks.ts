/**
 * Team sinks under load, one run, same machine: 20 writers (each a kernel's TeamRecordSink with its
 * own user, notebook and kernel id) write measurement records at once into one real MLflow server
 * (SQLite store) and one real Pushgateway, both started here on 127.0.0.1 and stopped at the end.
 * Prints:
 *  1. records lost: every record must be in its writer's MLflow run (tag gaissa.record.<n>, metric
 *     at step n equal to the record) and in its kernel's Pushgateway counters (sum equal to the
 *     records' total energy); goal 0;
 *  2. delivery latency (write to the server's answer), median and p95, per server;
 *  3. what a cell pays: write() with both team sinks against the local files alone, medians over
 *     the same records (the team part is a queue push; goal: within noise of local-only).
 * Records are synthetic (the sinks' load is the subject, not the meter), written every
 * 50-150 ms per writer.
 * Run: npm run build && node lib/bench/team-sinks.js [--writers 20] [--records 10]
 *      [--mlflow .venv-mlflow/bin/mlflow] [--pushgateway prometheus-pushgateway]
 * (scripts/setup.sh --test makes .venv-mlflow and installs prometheus-pushgateway as root.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { resolveCarbonSettings } from '../core/carbon';
import {
  buildMeasurementRecord,
  type MeasurementRecord,
  type MeterReading
} from '../core/measurement';
import { MlflowClient } from '../kernel/records/mlflow-client';
import { EmissionsFileSink } from '../kernel/records/record-sink';
import { TeamRecordSink } from '../kernel/records/team-record-sink';
import { packageRoot } from '../kernel/versions';
import { median, quantile } from './stats';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts a server in its own process group; resolves once `ready` answers. */
async function startServer(
  argv: string[],
  ready: string,
  env: NodeJS.ProcessEnv = {}
): Promise<ChildProcess> {
  const child = spawn(argv[0], argv.slice(1), {
    stdio: 'ignore',
    detached: true,
    env: { ...process.env, ...env }
  });
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${argv[0]} exited with ${child.exitCode}`);
    try {
      if ((await fetch(ready)).ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${argv[0]} not ready in 180 s`);
    await new Promise(r => setTimeout(r, 300));
  }
}

function stop(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    // already gone
  }
}

function reading(startedAt: number, cpuJ: number): MeterReading {
  const durationS = 0.5;
  const estimate = { method: 'estimate' as const, scope: 'process' as const, coverage: 0 };
  return {
    startedAt,
    endedAt: startedAt + durationS * 1000,
    durationS,
    components: {
      cpu: { energyJ: cpuJ, ...estimate },
      gpu: { energyJ: 0, method: null, scope: null, coverage: 1 },
      ram: { energyJ: cpuJ / 10, ...estimate }
    },
    gpus: [],
    intervals: [
      { t0: 0, t1: durationS, cpuW: cpuJ / durationS, gpuW: 0, ramW: cpuJ / 10 / durationS }
    ],
    constants: { samplingIntervalMs: 100 },
    host: {
      os: 'linux',
      cpuModel: 'bench',
      logicalCpus: 2,
      ramTotalGB: 8,
      gpuCount: 0,
      gpuModel: null
    },
    fallbackReasons: [],
    notes: [],
    cpuUtilisationPercent: 50,
    ramUsedGB: 0.1,
    samples: 5,
    samplerCpuS: 0
  };
}

const settings = resolveCarbonSettings({ region: 'FR' });

function record(writer: number, n: number): MeasurementRecord {
  return buildMeasurementRecord({
    id: `m-w${writer}-${n}`,
    runs: [reading(Date.now(), 1 + writer + n / 10)],
    settings
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      writers: { type: 'string', default: '20' },
      records: { type: 'string', default: '10' },
      mlflow: { type: 'string', default: join(packageRoot, '.venv-mlflow', 'bin', 'mlflow') },
      pushgateway: { type: 'string', default: 'prometheus-pushgateway' }
    }
  });
  const writers = Number(values.writers);
  const perWriter = Number(values.records);
  const store = mkdtempSync(join(tmpdir(), 'gaissa-bench-team-'));
  const [mport, pport] = [await freePort(), await freePort()];
  const mlflowUrl = `http://127.0.0.1:${mport}`;
  const pushgatewayUrl = `http://127.0.0.1:${pport}`;
  console.log(`starting MLflow (${values.mlflow}) and the Pushgateway...`);
  const servers = await Promise.all([
    startServer(
      [
        values.mlflow!,
        'server',
        '--backend-store-uri',
        `sqlite:///${store}/mlflow.db`,
        '--artifacts-destination',
        `${store}/artifacts`,
        '--host',
        '127.0.0.1',
        '--port',
        String(mport),
        '--workers',
        '1'
      ],
      `${mlflowUrl}/health`,
      { MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false' }
    ),
    startServer(
      [values.pushgateway!, `--web.listen-address=127.0.0.1:${pport}`],
      `${pushgatewayUrl}/-/ready`
    )
  ]);
  try {
    const latency: Record<string, number[]> = { MLflow: [], Pushgateway: [] };
    const writeMs = { team: [] as number[], local: [] as number[] };
    let reports = 0;
    const sinks = Array.from({ length: writers }, (_, w) => {
      const dir = join(store, `w${w}`);
      for (const part of ['team', 'local']) mkdirSync(join(dir, part), { recursive: true });
      const attribution = {
        user: `user${w % 5}`,
        server: null,
        notebook: `nb${w}.ipynb`,
        kernelId: `kernel-${w}`,
        instance: `kernel-${w}`
      };
      return {
        team: new TeamRecordSink(
          new EmissionsFileSink(join(dir, 'team'), { warn: () => {} }),
          () => ({ mlflowTrackingUri: mlflowUrl, mlflowExperiment: 'bench', pushgatewayUrl }),
          {
            attribution,
            warn: () => reports++,
            onDelivered: (_, ms, sink) =>
              latency[sink.startsWith('MLflow') ? 'MLflow' : 'Pushgateway'].push(ms)
          }
        ),
        local: new EmissionsFileSink(join(dir, 'local'), { warn: () => {} }),
        records: [] as MeasurementRecord[]
      };
    });
    const started = performance.now();
    await Promise.all(
      sinks.map(async (s, w) => {
        for (let n = 1; n <= perWriter; n++) {
          await new Promise(r => setTimeout(r, 50 + Math.random() * 100));
          const r = record(w, n);
          s.records.push(r);
          let t = performance.now();
          s.local.write(r);
          writeMs.local.push(performance.now() - t);
          t = performance.now();
          s.team.write(r);
          writeMs.team.push(performance.now() - t);
        }
      })
    );
    const statuses = (await Promise.all(sinks.map(s => s.team.close(60_000)))).flat();
    const wall = (performance.now() - started) / 1000;

    // 1. Every record at its server, equal to what was written.
    const client = new MlflowClient(mlflowUrl);
    let lost = 0;
    const metrics = await fetch(`${pushgatewayUrl}/api/v1/metrics`).then(
      r =>
        r.json() as Promise<{
          data: Array<
            Record<string, { metrics: Array<{ labels: Record<string, string>; value: string }> }>
          >;
        }>
    );
    for (const [w, s] of sinks.entries()) {
      const runs = await client.call<{
        runs?: Array<{
          info: { run_id: string };
          data: { tags?: Array<{ key: string; value: string }> };
        }>;
      }>('POST', 'runs/search', {
        experiment_ids: [await client.experimentId('bench')],
        filter: `tags.\`gaissa.kernel_id\` = 'kernel-${w}'`
      });
      const run = runs.runs?.[0];
      const tags = new Map(run?.data.tags?.map(t => [t.key, t.value]) ?? []);
      const history = run
        ? (await client.metricHistory(run.info.run_id, 'gaissa.energy_J')).metrics
        : [];
      s.records.forEach((r, i) => {
        const step = history.find(m => m.step === i + 1);
        if (tags.get(`gaissa.record.${i + 1}`) !== r.id || step?.value !== r.energyJ) lost++;
      });
      const pushed = metrics.data
        .flatMap(g => g.gaissa_energy_joules_total?.metrics ?? [])
        .filter(m => m.labels.kernel_id === `kernel-${w}`)
        .reduce((a, m) => a + Number(m.value), 0);
      const written = s.records.reduce((a, r) => a + r.total.energyJ, 0);
      if (Math.abs(pushed - written) > 1e-9 * written) lost += s.records.length;
    }
    const total = writers * perWriter;
    const undelivered = statuses.reduce(
      (a, s) => a + s.notDelivered.measurements + s.notDelivered.labels,
      0
    );
    const reasons = new Set(
      statuses.flatMap(s => s.undelivered.map(u => `${s.name}: ${u.reason}`))
    );
    for (const reason of reasons) console.log(`not delivered: ${reason}`);
    const fmt = (xs: number[]) =>
      `median ${median(xs).toFixed(1)} ms, p95 ${quantile(xs, 0.95).toFixed(1)} ms (n=${xs.length})`;
    console.log(
      `\n${writers} writers x ${perWriter} records = ${total} records, ${wall.toFixed(1)} s`
    );
    console.log(
      `1. records lost: ${lost} (listed as not delivered: ${undelivered}); goal 0` +
        ` (writers that reported a slow or failing server once: ${reports})`
    );
    console.log(`2. delivery latency, MLflow:      ${fmt(latency.MLflow)}`);
    console.log(`   delivery latency, Pushgateway: ${fmt(latency.Pushgateway)}`);
    const ratio = median(writeMs.team) / median(writeMs.local);
    console.log(
      `3. write() a cell pays: with both team sinks ${median(writeMs.team).toFixed(3)} ms, ` +
        `local files alone ${median(writeMs.local).toFixed(3)} ms (ratio ${ratio.toFixed(2)})`
    );
    process.exitCode = lost === 0 && undelivered === 0 ? 0 : 1;
  } finally {
    servers.forEach(stop);
    rmSync(store, { recursive: true, force: true });
  }
}

void main();
