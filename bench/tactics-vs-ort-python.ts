/**
 * Issue 5 benchmark: our quantize-dynamic against ONNX Runtime's own Python quantize_dynamic
 * (per-channel int8, its defaults otherwise), on the same models in one run:
 *   - file size ratio ours/theirs (target <= 1.05)
 *   - inference latency ratio ours/theirs at the median (target <= 1.0), batch 1 and 64. Both
 *     files run in this process by onnxruntime-node with the same session options (default graph
 *     optimization, 'all'). Calls are interleaved one by one, in a fresh seeded order each time, so
 *     neither file always runs first or right after the large fp32 model. Each round opens fresh
 *     sessions, two per file, created in the order ours, theirs, theirs, ours (no file holds the
 *     better slots).
 *     In each cycle (one call of every session) ours' two calls are divided by theirs' two, so
 *     both saw the same load; the figure is the median of these ratios, with the lowest and
 *     highest round median. The controls: the ratio of a file's two sessions, i.e. what a ratio
 *     shows in the same run when nothing differs.
 *   - the graphs ONNX Runtime actually runs: both files are optimized by onnxruntime-node
 *     (optimizedModelFilePath) and their operator counts compared, which shows whether the two
 *     files end up in the same fused kernels (DynamicQuantizeMatMul / MatMulIntegerToFloat)
 *   - top-1 agreement with fp32 (goal: ours >= 98 % and >= theirs) on MNIST test digits, or
 *     seeded random inputs for a model that does not read digits, and accuracy where the model is
 *     trained; also theirs with reduce_range, the remedy their documentation gives for CPUs
 *     without VNNI. Our weight range follows this CPU's int8 dot product (printed), theirs is
 *     full range unless asked.
 *   - quantization time (median of 3), each tool timed inside its own process from reading the
 *     model file to having written the output file. quantize_dynamic also runs ONNX shape
 *     inference, which ours does not: theirs is timed both as shipped and without it (the same
 *     quantizer on the model as read; the files are compared byte for byte to show it is the same
 *     work), and the like-for-like ratio is ours / theirs without shape inference.
 * Models: an MLP 784-1024-1024-10 (MatMul + Add), an MLP 784-256-128-10 of Gemm layers (as
 * PyTorch exports Linear), an MLP 768-512-512-16 (seed 101, seen by no test), a conv net (Conv 3x3
 * x16 + MaxPool + Gemm; ours with ':conv', as ONNX Runtime's tool quantizes Conv by default), all
 * with seeded random weights, and the reference MNIST MLP trained and exported by the project
 * (kernel/workloads/mnist-onnx.ts; --no-reference skips it).
 *
 * Run: .venv/bin/pip install -r bench/requirements.txt (or into another venv, given by --python)
 *      node node_modules/typescript/bin/tsc -p tsconfig.json &&
 *      node lib/bench/tactics-vs-ort-python.js [--python PYTHON] [--rounds N] [--no-reference]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { agreementRate, topOne } from '../core/tactics';
import { seededPermutation, seededRandom } from '../core/seeded-random';
import { quantileSorted } from '../core/statistics';
import { encodeModel, loadModelFile } from '../kernel/onnx/model-file';
import { OnnxModel } from '../kernel/onnx/onnx-model';
import { convNetModel, mlpModel, randomInputs } from '../kernel/onnx/synthetic-models';
import { applyTactics } from '../kernel/tactics/catalogue';
import { chooseWeightRange, detectInt8DotProduct } from '../kernel/tactics/int8-weight-range';
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
  /** One sample's dimensions: 784 values are MNIST digits, others seeded random inputs. */
  sample: number[];
  /** Our tactic spec: ONNX Runtime's tool quantizes what this one does. */
  spec: string;
}

function median(xs: number[]): number {
  return quantileSorted(
    [...xs].sort((a, b) => a - b),
    0.5
  );
}

/** Seconds from reading `path` to having written `out` (median of 3), as theirs is timed. */
async function ours(path: string, out: string, spec: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const variant = await applyTactics(await OnnxModel.load(path), spec);
    await variant.save(out);
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

function theirs(
  path: string,
  out: string,
  flags: string[] = []
): { quantizeS: number; onnxruntime: string } {
  const run = spawnSync(values.python!, [PY_SCRIPT, path, out, '--repeat', '3', ...flags], {
    encoding: 'utf8'
  });
  if (run.status !== 0) {
    throw new Error(
      `ONNX Runtime's quantize_dynamic failed (pip install -r bench/requirements.txt?):\n${run.stderr}`
    );
  }
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

/**
 * The sessions of a latency run, in creation order: ours and theirs twice each, in the order
 * A B B A, so neither file holds the better slots (the session created right after the fp32 one
 * measured ~2 % faster here, whichever file it held).
 */
const FP32 = 0;
const OURS = [1, 4];
const THEIRS = [2, 3];

interface Latencies {
  /** Median of every call, per session (ms). */
  medianMs: number[];
  /** Per round, per cycle (one call of every session, in a seeded order): the call times (ms). */
  cycles: number[][][];
}

/** A ratio at the median of all cycles, with the lowest and highest round median. */
interface Ratio {
  median: number;
  min: number;
  max: number;
}

/**
 * `ratio` of each cycle: calls of one cycle are neighbours in time and share the machine's load
 * of the moment, so the ratio cancels it better than a ratio of separate medians.
 */
function ratioOf(l: Latencies, ratio: (cycle: number[]) => number): Ratio {
  const rounds = l.cycles.map(round => round.map(ratio));
  const perRound = rounds.map(median);
  return { median: median(rounds.flat()), min: Math.min(...perRound), max: Math.max(...perRound) };
}

const sum = (cycle: number[], sessions: number[]) => sessions.reduce((a, i) => a + cycle[i], 0);

/** Session options of every latency run (and of the optimized-graph dump). */
const SESSION_OPTIONS = {
  logSeverityLevel: 3 as const,
  // Idle threads of one session must not spin while another runs: with several sessions on a
  // few cores, spinning pools steal time from whichever model runs next.
  extra: { session: { intra_op: { allow_spinning: '0' } } }
};

/**
 * ROUNDS rounds of `calls` cycles, each one call of every session in a fresh seeded order. Every
 * round opens its own sessions: a session keeps its memory placement for life, and two sessions of
 * the same file measured up to 3 % apart for a whole run here, so fresh ones spread that over
 * the rounds instead of fixing it on one file.
 */
async function latencies(
  paths: string[],
  x: Float32Array,
  sample: number[],
  batch: number
): Promise<Latencies> {
  const size = sample.reduce((a, b) => a * b, 1);
  const input = x.subarray(0, batch * size);
  const calls = batch === 1 ? 200 : 30;
  const all: number[][] = paths.map(() => []);
  const cycles: number[][][] = [];
  // A fresh seeded order each cycle: a fixed rotation would always run the same model right
  // after the large fp32 one, whose weights have just evicted the caches.
  const random = seededRandom(7);
  for (let r = 0; r < ROUNDS; r++) {
    const sessions: ort.InferenceSession[] = [];
    // One after the other: creation order is part of the A B B A balance.
    for (const p of paths)
      sessions.push(await ort.InferenceSession.create(readFileSync(p), SESSION_OPTIONS));
    const feeds = sessions.map(s => ({
      [s.inputNames[0]]: new ort.Tensor('float32', input, [batch, ...sample])
    }));
    for (let i = 0; i < sessions.length; i++)
      for (let w = 0; w < 10; w++) await sessions[i].run(feeds[i]);
    const round: number[][] = [];
    for (let c = 0; c < calls; c++) {
      const cycle = new Array<number>(paths.length);
      for (const i of seededPermutation(sessions.length, random)) {
        const t0 = performance.now();
        await sessions[i].run(feeds[i]);
        cycle[i] = performance.now() - t0;
      }
      cycle.forEach((t, i) => all[i].push(t));
      round.push(cycle);
    }
    cycles.push(round);
    await Promise.all(sessions.map(s => s.release()));
  }
  return { medianMs: all.map(median), cycles };
}

/** Operator counts of the graph onnxruntime-node runs for `path` (domain.Op for non-standard ones). */
async function optimizedOperators(path: string): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'gaissa-optimized-'));
  try {
    const out = join(dir, 'optimized.onnx');
    const s = await ort.InferenceSession.create(readFileSync(path), {
      ...SESSION_OPTIONS,
      optimizedModelFilePath: out
    });
    await s.release();
    const counts: Record<string, number> = {};
    for (const n of loadModelFile(out).graph?.node ?? []) {
      const op = n.domain ? `${n.domain}.${n.opType}` : n.opType!;
      counts[op] = (counts[op] ?? 0) + 1;
    }
    return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function predictions(
  path: string,
  x: Float32Array,
  n: number,
  sample: number[]
): Promise<Int32Array> {
  const s = await ort.InferenceSession.create(readFileSync(path), { logSeverityLevel: 3 });
  const out = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', x, [n, ...sample]) });
  const y = out[s.outputNames[0]];
  await s.release();
  return topOne(y.data as Float32Array, n, y.dims[1]);
}

async function cases(): Promise<Case[]> {
  mkdirSync(OUT, { recursive: true });
  const list: Case[] = [];
  const flat = [784];
  for (const [name, proto, sample, spec] of [
    ['mlp-784-1024-1024-10', mlpModel({ sizes: [784, 1024, 1024, 10], seed: 1 }), flat],
    [
      'mlp-784-256-128-10-gemm',
      mlpModel({ sizes: [784, 256, 128, 10], seed: 2, gemm: true }),
      flat
    ],
    ['mlp-768-512-512-16', mlpModel({ sizes: [768, 512, 512, 16], seed: 101 }), [768]],
    ['convnet-16', convNetModel({ channels: 16, seed: 4 }), [1, 28, 28], 'quantize-dynamic:conv']
  ] as const) {
    const path = join(OUT, `${name}.onnx`);
    writeFileSync(path, encodeModel(proto));
    list.push({
      name,
      path,
      trained: false,
      sample: [...sample],
      spec: spec ?? 'quantize-dynamic'
    });
  }
  if (!values['no-reference']) {
    const { referenceMnistOnnx } = await import('../kernel/workloads/mnist-onnx');
    const made = await referenceMnistOnnx();
    list.push({
      name: 'mnist-mlp (trained)',
      path: made.path,
      trained: true,
      sample: [784],
      spec: 'quantize-dynamic'
    });
  }
  return list;
}

async function main(): Promise<void> {
  const mnist = loadMnist({ testSize: 1000 });
  const n = mnist.test.count;
  const labels = Int32Array.from(mnist.test.labels);
  const cpu = detectInt8DotProduct();
  const rows = [];
  for (const c of await cases()) {
    const digits = c.sample.reduce((a, b) => a * b, 1) === 784;
    const x = digits ? mnist.test.x : randomInputs(n, c.sample[0], 102);
    const slug = c.name.replace(/[^\w.-]+/g, '_');
    const oursPath = join(OUT, `${slug}.ours-int8.onnx`);
    const theirsPath = join(OUT, `${slug}.ort-int8.onnx`);
    const theirsBarePath = join(OUT, `${slug}.ort-int8-no-shape-inference.onnx`);
    const theirsReducedPath = join(OUT, `${slug}.ort-int8-reduce-range.onnx`);
    const oursS = await ours(c.path, oursPath, c.spec);
    const py = theirs(c.path, theirsPath);
    const pyBare = theirs(c.path, theirsBarePath, ['--no-shape-inference']);
    theirs(c.path, theirsReducedPath, ['--reduce-range', '--no-shape-inference']);
    const size = [c.path, oursPath, theirsPath].map(p => readFileSync(p).byteLength);
    const [p32, pOurs, pTheirs, pReduced] = await Promise.all(
      [c.path, oursPath, theirsPath, theirsReducedPath].map(p => predictions(p, x, n, c.sample))
    );
    const [graphOurs, graphTheirs] = await Promise.all(
      [oursPath, theirsPath].map(optimizedOperators)
    );
    const files: string[] = [];
    files[FP32] = c.path;
    for (const i of OURS) files[i] = oursPath;
    for (const i of THEIRS) files[i] = theirsPath;
    const lat1 = await latencies(files, x, c.sample, 1);
    const lat64 = await latencies(files, x, c.sample, 64);
    const figures = (l: Latencies) => ({
      ms: {
        fp32: l.medianMs[FP32],
        ours: median(OURS.map(i => l.medianMs[i])),
        theirs: median(THEIRS.map(i => l.medianMs[i]))
      },
      cycles: l.cycles.flat().length,
      ratio: ratioOf(l, cycle => sum(cycle, OURS) / sum(cycle, THEIRS)),
      // The same file in two sessions: what a ratio shows when nothing differs (the noise).
      control: ratioOf(l, cycle => cycle[THEIRS[1]] / cycle[THEIRS[0]]),
      controlOurs: ratioOf(l, cycle => cycle[OURS[1]] / cycle[OURS[0]])
    });
    rows.push({
      model: c.name,
      spec: c.spec,
      bytes: { fp32: size[0], ours: size[1], theirs: size[2] },
      sizeRatio: size[1] / size[2],
      optimizedGraph: {
        ours: graphOurs,
        theirs: graphTheirs,
        sameOperators: JSON.stringify(graphOurs) === JSON.stringify(graphTheirs)
      },
      latencyBatch1: figures(lat1),
      latencyBatch64: figures(lat64),
      agreementWithFp32: {
        ours: agreementRate(pOurs, p32),
        theirs: agreementRate(pTheirs, p32),
        theirsReduceRange: agreementRate(pReduced, p32)
      },
      inputs: digits ? 'MNIST test digits' : 'seeded random inputs in [0, 1)',
      accuracy: c.trained
        ? {
            fp32: agreementRate(p32, labels),
            ours: agreementRate(pOurs, labels),
            theirs: agreementRate(pTheirs, labels)
          }
        : null,
      quantizeS: {
        ours: oursS,
        theirs: py.quantizeS,
        theirsWithoutShapeInference: pyBare.quantizeS,
        sameFileWithoutShapeInference: readFileSync(theirsPath).equals(
          readFileSync(theirsBarePath)
        ),
        ratio: oursS / pyBare.quantizeS
      },
      onnxruntimePython: py.onnxruntime
    });
  }
  const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
  console.log(
    `ours vs ONNX Runtime ${rows[0].onnxruntimePython} (Python) quantize_dynamic, per-channel int8;`
  );
  console.log(
    `this CPU's int8 dot product: ${cpu.present ? 'present' : 'absent'} (${cpu.evidence}); ours: ${chooseWeightRange({}, 'quantize-dynamic').reduceRange ? '7-bit weights (reduce-range)' : 'full-range weights'}, theirs: full range (their default)`
  );
  console.log(
    `inference by onnxruntime-node ${ort.env.versions.node}, ${n} MNIST test digits; latency ratios: median of call-by-call ratios over ${ROUNDS} interleaved rounds [lowest-highest round median]\n`
  );
  for (const r of rows) {
    console.log(`${r.model} (ours: ${r.spec})`);
    console.log(
      `  file size     fp32 ${r.bytes.fp32}  ours ${r.bytes.ours}  theirs ${r.bytes.theirs}  ours/theirs ${r.sizeRatio.toFixed(3)}`
    );
    const ops = (g: Record<string, number>) =>
      Object.entries(g)
        .map(([op, k]) => `${op} ${k}`)
        .join(', ');
    console.log(
      r.optimizedGraph.sameOperators
        ? `  run as        same operators after ONNX Runtime's optimization: ${ops(r.optimizedGraph.ours)}`
        : `  run as        ours: ${ops(r.optimizedGraph.ours)}\n                theirs: ${ops(r.optimizedGraph.theirs)}`
    );
    for (const [batch, l] of [
      [1, r.latencyBatch1],
      [64, r.latencyBatch64]
    ] as const) {
      const range = (q: Ratio) =>
        `${q.median.toFixed(3)} [${q.min.toFixed(3)}-${q.max.toFixed(3)}]`;
      console.log(
        `  latency b=${String(batch).padEnd(3)} fp32 ${l.ms.fp32.toFixed(4)} ms  ours ${l.ms.ours.toFixed(4)} ms  theirs ${l.ms.theirs.toFixed(4)} ms  ours/theirs ${range(l.ratio)} (noise: theirs/theirs ${range(l.control)}, ours/ours ${range(l.controlOurs)})`
      );
    }
    console.log(
      `  top-1 agreement with fp32 (${r.inputs})   ours ${pct(r.agreementWithFp32.ours)}  theirs ${pct(r.agreementWithFp32.theirs)}  (theirs with reduce_range ${pct(r.agreementWithFp32.theirsReduceRange)})`
    );
    if (r.accuracy) {
      console.log(
        `  accuracy      fp32 ${pct(r.accuracy.fp32)}  ours ${pct(r.accuracy.ours)}  theirs ${pct(r.accuracy.theirs)}`
      );
    }
    const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;
    const q = r.quantizeS;
    console.log(
      `  quantization, file to file  ours ${ms(q.ours)}  theirs ${ms(q.theirsWithoutShapeInference)} without shape inference (same file: ${q.sameFileWithoutShapeInference ? 'yes' : 'NO'}), ${ms(q.theirs)} as shipped  ours/theirs ${q.ratio.toFixed(2)}\n`
    );
  }
  const file = join(OUT, 'tactics-vs-ort-python.json');
  writeFileSync(
    file,
    JSON.stringify(
      { date: new Date().toISOString(), rounds: ROUNDS, int8DotProduct: cpu, rows },
      null,
      2
    )
  );
  console.log(`(figures in ${file})`);
}

main().catch(e => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
