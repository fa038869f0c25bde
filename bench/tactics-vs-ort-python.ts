/**
 * Issue 5 benchmark: our quantize-dynamic against ONNX Runtime's own Python quantize_dynamic
 * (per-channel int8), on the same models in one run:
 *   - file size ratio ours/theirs (target <= 1.05)
 *   - inference latency ratio ours/theirs at the median, both run by onnxruntime-node with the
 *     same session options, interleaved call by call (target <= 1.0), batch 1 and 64; a second
 *     session of their file runs alongside as a control, so its ratio shows the noise floor
 *   - top-1 agreement with fp32 on MNIST test digits (target: ours >= theirs - 0.5 points), and
 *     accuracy where the model is trained
 *   - quantization time (median of 3), each tool timed inside its own process
 * Models: an MLP 784-1024-1024-10 (MatMul + Add, DESIGN.md §6's size), an MLP 784-256-128-10 of
 * Gemm layers (as PyTorch exports Linear), both with seeded random weights, and the reference
 * MNIST MLP trained and exported by the project (kernel/workloads/mnist-onnx.ts; --no-reference
 * skips it).
 *
 * Run: .venv/bin/pip install -r bench/requirements.txt
 *      node node_modules/typescript/bin/tsc -p tsconfig.json && node lib/bench/tactics-vs-ort-python.js [--rounds N] [--no-reference]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { agreementRate, topOne } from '../core/tactics';
import { seededPermutation, seededRandom } from '../core/seeded-random';
import { quantileSorted } from '../core/statistics';
import { encodeModel } from '../kernel/onnx/model-file';
import { OnnxModel } from '../kernel/onnx/onnx-model';
import { mlpModel } from '../kernel/onnx/synthetic-models';
import { applyTactics } from '../kernel/tactics/catalogue';
import { packageRoot } from '../kernel/versions';
import { loadMnist } from '../kernel/workloads/mnist';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    'no-reference': { type: 'boolean', default: false },
    python: { type: 'string', default: join(packageRoot, '.venv', 'bin', 'python') }
  }
});
const ROUNDS = Number(values.rounds);
const OUT = join(packageRoot, 'bench', 'results');
const PY_SCRIPT = join(packageRoot, 'bench', 'tactics-vs-ort-python.py');

interface Case {
  name: string;
  path: string;
  trained: boolean;
}

function median(xs: number[]): number {
  return quantileSorted(
    [...xs].sort((a, b) => a - b),
    0.5
  );
}

async function ours(path: string, out: string): Promise<number> {
  const times: number[] = [];
  const model = await OnnxModel.load(path);
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const variant = await applyTactics(model, 'quantize-dynamic');
    times.push((performance.now() - t0) / 1000);
    if (i === 0) await variant.save(out);
  }
  return median(times);
}

function theirs(path: string, out: string): { quantizeS: number; onnxruntime: string } {
  const run = spawnSync(values.python!, [PY_SCRIPT, path, out, '--repeat', '3'], {
    encoding: 'utf8'
  });
  if (run.status !== 0) {
    throw new Error(
      `ONNX Runtime's quantize_dynamic failed (pip install -r bench/requirements.txt?):\n${run.stderr}`
    );
  }
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

/** Median latency per model over ROUNDS x calls runs each. */
async function latencies(paths: string[], x: Float32Array, batch: number): Promise<number[]> {
  // Idle threads of one session must not spin while another runs: with several sessions on a
  // few cores, spinning pools steal time from whichever model runs next.
  const options = {
    logSeverityLevel: 3 as const,
    extra: { session: { intra_op: { allow_spinning: '0' } } }
  };
  const sessions = await Promise.all(
    paths.map(p => ort.InferenceSession.create(readFileSync(p), options))
  );
  const feeds = sessions.map(s => ({
    [s.inputNames[0]]: new ort.Tensor('float32', x.subarray(0, batch * 784), [batch, 784])
  }));
  const calls = batch === 1 ? 200 : 30;
  const times: number[][] = paths.map(() => []);
  for (let i = 0; i < sessions.length; i++)
    for (let w = 0; w < 20; w++) await sessions[i].run(feeds[i]);
  // Call by call in a fresh seeded order each time: a fixed rotation would always run the same
  // model right after the large fp32 one, whose weights have just evicted the caches.
  const random = seededRandom(7);
  for (let r = 0; r < ROUNDS; r++) {
    for (let c = 0; c < calls; c++) {
      for (const i of seededPermutation(sessions.length, random)) {
        const t0 = performance.now();
        await sessions[i].run(feeds[i]);
        times[i].push(performance.now() - t0);
      }
    }
  }
  await Promise.all(sessions.map(s => s.release()));
  return times.map(median);
}

async function predictions(path: string, x: Float32Array, n: number): Promise<Int32Array> {
  const s = await ort.InferenceSession.create(readFileSync(path), { logSeverityLevel: 3 });
  const out = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', x, [n, 784]) });
  const y = out[s.outputNames[0]];
  await s.release();
  return topOne(y.data as Float32Array, n, y.dims[1]);
}

async function cases(): Promise<Case[]> {
  mkdirSync(OUT, { recursive: true });
  const list: Case[] = [];
  for (const [name, proto] of [
    ['mlp-784-1024-1024-10', mlpModel({ sizes: [784, 1024, 1024, 10], seed: 1 })],
    ['mlp-784-256-128-10-gemm', mlpModel({ sizes: [784, 256, 128, 10], seed: 2, gemm: true })]
  ] as const) {
    const path = join(OUT, `${name}.onnx`);
    writeFileSync(path, encodeModel(proto));
    list.push({ name, path, trained: false });
  }
  if (!values['no-reference']) {
    const { referenceMnistOnnx } = await import('../kernel/workloads/mnist-onnx');
    const made = await referenceMnistOnnx();
    list.push({ name: 'mnist-mlp (trained)', path: made.path, trained: true });
  }
  return list;
}

async function main(): Promise<void> {
  const mnist = loadMnist({ testSize: 1000 });
  const x = mnist.test.x;
  const n = mnist.test.count;
  const labels = Int32Array.from(mnist.test.labels);
  const rows = [];
  for (const c of await cases()) {
    const slug = c.name.replace(/[^\w.-]+/g, '_');
    const oursPath = join(OUT, `${slug}.ours-int8.onnx`);
    const theirsPath = join(OUT, `${slug}.ort-int8.onnx`);
    const oursS = await ours(c.path, oursPath);
    const py = theirs(c.path, theirsPath);
    const size = [c.path, oursPath, theirsPath].map(p => readFileSync(p).byteLength);
    const [p32, pOurs, pTheirs] = await Promise.all(
      [c.path, oursPath, theirsPath].map(p => predictions(p, x, n))
    );
    // A second session of their file is the control: its ratio to theirs is the noise floor.
    const lat1 = await latencies([c.path, oursPath, theirsPath, theirsPath], x, 1);
    const lat64 = await latencies([c.path, oursPath, theirsPath, theirsPath], x, 64);
    rows.push({
      model: c.name,
      bytes: { fp32: size[0], ours: size[1], theirs: size[2] },
      sizeRatio: size[1] / size[2],
      latencyMsBatch1: { fp32: lat1[0], ours: lat1[1], theirs: lat1[2] },
      latencyRatioBatch1: lat1[1] / lat1[2],
      controlRatioBatch1: lat1[3] / lat1[2],
      latencyMsBatch64: { fp32: lat64[0], ours: lat64[1], theirs: lat64[2] },
      latencyRatioBatch64: lat64[1] / lat64[2],
      controlRatioBatch64: lat64[3] / lat64[2],
      agreementWithFp32: { ours: agreementRate(pOurs, p32), theirs: agreementRate(pTheirs, p32) },
      accuracy: c.trained
        ? {
            fp32: agreementRate(p32, labels),
            ours: agreementRate(pOurs, labels),
            theirs: agreementRate(pTheirs, labels)
          }
        : null,
      quantizeS: { ours: oursS, theirs: py.quantizeS },
      onnxruntimePython: py.onnxruntime
    });
  }
  const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
  console.log(
    `ours vs ONNX Runtime ${rows[0].onnxruntimePython} (Python) quantize_dynamic, per-channel int8;`
  );
  console.log(
    `inference by onnxruntime-node ${ort.env.versions.node}, ${ROUNDS} interleaved rounds, ${n} MNIST test digits\n`
  );
  for (const r of rows) {
    console.log(r.model);
    console.log(
      `  file size     fp32 ${r.bytes.fp32}  ours ${r.bytes.ours}  theirs ${r.bytes.theirs}  ours/theirs ${r.sizeRatio.toFixed(3)}`
    );
    console.log(
      `  latency b=1   fp32 ${r.latencyMsBatch1.fp32.toFixed(4)} ms  ours ${r.latencyMsBatch1.ours.toFixed(4)} ms  theirs ${r.latencyMsBatch1.theirs.toFixed(4)} ms  ours/theirs ${r.latencyRatioBatch1.toFixed(3)} (noise: theirs/theirs ${r.controlRatioBatch1.toFixed(3)})`
    );
    console.log(
      `  latency b=64  fp32 ${r.latencyMsBatch64.fp32.toFixed(4)} ms  ours ${r.latencyMsBatch64.ours.toFixed(4)} ms  theirs ${r.latencyMsBatch64.theirs.toFixed(4)} ms  ours/theirs ${r.latencyRatioBatch64.toFixed(3)} (noise: theirs/theirs ${r.controlRatioBatch64.toFixed(3)})`
    );
    console.log(
      `  top-1 agreement with fp32   ours ${pct(r.agreementWithFp32.ours)}  theirs ${pct(r.agreementWithFp32.theirs)}`
    );
    if (r.accuracy) {
      console.log(
        `  accuracy      fp32 ${pct(r.accuracy.fp32)}  ours ${pct(r.accuracy.ours)}  theirs ${pct(r.accuracy.theirs)}`
      );
    }
    console.log(
      `  quantization  ours ${(r.quantizeS.ours * 1000).toFixed(0)} ms  theirs ${(r.quantizeS.theirs * 1000).toFixed(0)} ms\n`
    );
  }
  const file = join(OUT, 'tactics-vs-ort-python.json');
  writeFileSync(
    file,
    JSON.stringify({ date: new Date().toISOString(), rounds: ROUNDS, rows }, null, 2)
  );
  console.log(`(figures in ${file})`);
}

main().catch(e => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
