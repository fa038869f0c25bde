/**
 * Issue 17 benchmark, cell tiers: how well `%%gaissa measure --predict` predicts the tier
 * (Low < 1 J <= Medium < 30 J <= High) and the energy of cells it never saw. Each cell is
 * TypeScript as a user types it: loops of various trip counts and nesting, array work, sorting,
 * sleeps (long but low energy), a tiny ONNX model run many times, functions measured earlier.
 *
 * Order of learning, as in a notebook session: the predictor starts from its starting costs
 * (not the user's cache), measures the warm-up cells and learns from each; then for each
 * held-out cell it predicts, the cell is measured (the same MeasureSession as `%%gaissa
 * measure`, in this process), the prediction is scored, and the predictor learns from it.
 * Prints each cell, the tier accuracy over the cells it predicted, how many it declined (with
 * why), and the MAPE of the estimate. Goal: tier accuracy >= 85 %. About 2 to 4 minutes.
 *
 * Run: node node_modules/typescript/bin/tsc -p tsconfig.json && node lib/bench/predict-cells.js
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { tierOf, type CellTier } from '../core/cell-prediction';
import { MeasureSession } from '../kernel/measure/session';
import { tslabTypeScriptPath } from '../kernel/execution/tslab-typescript';
import { mlpModel } from '../kernel/onnx/synthetic-models';
import { CellPredictor } from '../kernel/predict/cell-tier';
import { median } from './stats';

export interface CellCase {
  name: string;
  code: string;
}

/** What the predictor learns from first: one cell of each kind of feature. */
export const WARMUP: CellCase[] = [
  { name: 'loop 2e7', code: 'let s = 0;\nfor (let i = 0; i < 2e7; i++) s += i * 2;' },
  {
    name: 'array 1e6 map+reduce',
    code: 'const a = new Array(1e6).fill(1);\nconst b = a.map(x => x + 1).reduce((p, x) => p + x, 0);'
  },
  { name: 'sleep 0.5 s', code: 'await new Promise(r => setTimeout(r, 500));' },
  { name: 'onnx 30 runs', code: 'for (let i = 0; i < 30; i++) await session.run(feeds);' },
  { name: 'trivial', code: 'const x = 1 + 2;' },
  {
    name: 'nested 2000x2000',
    code: 'let s = 0;\nfor (let i = 0; i < 2000; i++)\n  for (let j = 0; j < 2000; j++) s += i ^ j;'
  },
  { name: 'loop 1e8', code: 'let t = 0;\nfor (let i = 0; i < 1e8; i++) t += i % 7;' }
];

/** Cells the predictor never saw: other sizes, shapes and mixes. */
export const HELD_OUT: CellCase[] = [
  { name: 'string method', code: "const msg = 'hello'.toUpperCase();" },
  { name: 'sqrt loop 5e5', code: 'let s = 0;\nfor (let i = 0; i < 5e5; i++) s += Math.sqrt(i);' },
  { name: 'sort 4 literals', code: 'const v = [5, 3, 1, 4].sort((a, b) => a - b);' },
  { name: 'sleep 0.3 s', code: 'await new Promise(r => setTimeout(r, 300));' },
  { name: 'sleep 2 s', code: 'await new Promise(resolve => setTimeout(resolve, 2000));' },
  {
    name: 'filter 1e5',
    code: 'const xs = Array.from({ length: 1e5 }, (_, i) => i);\nconst even = xs.filter(x => x % 2 === 0);'
  },
  { name: 'onnx 10 runs', code: 'for (let i = 0; i < 10; i++) await session.run(feeds);' },
  {
    name: 'function 1e6',
    code: 'function f(n: number) {\n  let s = 0;\n  for (let i = 0; i < n; i++) s += i;\n  return s;\n}\nf(1e6);'
  },
  { name: 'loop 3e8', code: 'let s = 0;\nfor (let i = 0; i < 3e8; i++) s += i & 3;' },
  {
    name: 'nested 1e4x1e4',
    code: 'const N = 10_000;\nlet s = 0;\nfor (let i = 0; i < N; i++)\n  for (let j = 0; j < N; j++) s += i * j;'
  },
  {
    name: 'array 5e6 map+reduce',
    code: 'const a = new Array(5e6).fill(2);\nconst sum = a.map(x => x * x).reduce((p, x) => p + x, 0);'
  },
  {
    name: 'sort 1e6 random',
    code: 'const r = Array.from({ length: 1e6 }, () => Math.random());\nr.sort((a, b) => a - b);'
  },
  { name: 'onnx 300 runs', code: 'for (let i = 0; i < 300; i++) await session.run(feeds);' },
  {
    name: 'triple nested 400^3',
    code: 'let s = 0;\nfor (let i = 0; i < 400; i++)\n  for (let j = 0; j < 400; j++)\n    for (let k = 0; k < 400; k++) s += (i + j) ^ k;'
  },
  {
    name: 'countdown 2e8 step 2',
    code: 'let s = 0;\nfor (let i = 4e8; i > 0; i -= 2) s += i % 3;'
  },
  {
    name: 'work() declared',
    code: 'function work() {\n  let s = 0;\n  for (let i = 0; i < 2e8; i++) s += i & 7;\n  return s;\n}\nwork();'
  },
  { name: 'work() x10, measured earlier', code: 'for (let i = 0; i < 10; i++) work();' },
  { name: 'loop 2.5e9', code: 'let s = 0;\nfor (let i = 0; i < 2.5e9; i++) s += i & 1;' },
  {
    name: 'nested 4e4x4e4',
    code: 'let s = 0;\nfor (let i = 0; i < 4e4; i++)\n  for (let j = 0; j < 4e4; j++) s += i | j;'
  },
  {
    name: 'nested 1e5x1e5',
    code: 'let s = 0;\nfor (let i = 0; i < 1e5; i++)\n  for (let j = 0; j < 1e5; j++) s += i | j;'
  },
  { name: 'work() x80, measured earlier', code: 'for (let i = 0; i < 80; i++) work();' },
  {
    name: 'while (unsized)',
    code: 'let n = 0;\nwhile (Math.random() < 0.999999) n++;'
  }
];

export interface CellResult {
  name: string;
  tier: CellTier | null;
  estimateJ: number | null;
  reason: string | null;
  measuredJ: number;
  durationS: number;
  measuredTier: CellTier;
  /** The tier the starting costs give, without learning (null: no prediction). */
  untaughtTier: CellTier | null;
}

export interface CellBenchResult {
  meter: string;
  warmup: number;
  results: CellResult[];
  /** Share of predicted held-out cells whose predicted tier is the measured one. */
  tierAccuracy: number;
  /** Share of held-out cells that got a prediction. */
  predictedShare: number;
  /** Mean absolute percentage error of the estimate over the predicted cells. */
  mape: number;
  medianApe: number;
  /** Tier accuracy of the starting costs, never taught, over the cells they predicted. */
  untaughtTierAccuracy: number;
}

type TS = typeof import('typescript');

/**
 * Compiles a cell into an async function of the bench's globals (an ONNX session, its feeds).
 * Its top-level functions become globals afterwards, as a kernel keeps them for later cells.
 */
function compileCell(ts: TS, code: string): (g: Record<string, unknown>) => Promise<unknown> {
  const file = ts.createSourceFile('cell.ts', code, ts.ScriptTarget.ES2022);
  const names = file.statements.flatMap(s =>
    ts.isFunctionDeclaration(s) && s.name ? [s.name.text] : []
  );
  const keep = names.length ? `\nObject.assign(globalThis, { ${names.join(', ')} });` : '';
  const js = ts.transpileModule(`(async () => {\n${code}${keep}\n})`, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS }
  }).outputText;
  return g => {
    const names = Object.keys(g);
    const fn = new Function(...names, `return ${js.replace(/;\s*$/, '')}`) as (
      ...a: unknown[]
    ) => () => Promise<unknown>;
    return fn(...names.map(n => g[n]))();
  };
}

export async function benchPredictCells(
  print: (line: string) => void = line => console.log(line)
): Promise<CellBenchResult> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the kernel's TypeScript
  const ts = require(tslabTypeScriptPath()) as TS;
  const dir = mkdtempSync(join(tmpdir(), 'gaissa-bench-cells-'));
  const session = new MeasureSession(dir);
  const model = onnx.ModelProto.encode(mlpModel({ sizes: [256, 128, 10] })).finish();
  const ortSession = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
  const feeds = { input: new ort.Tensor('float32', new Float32Array(8 * 256).fill(0.5), [8, 256]) };
  const globals = { session: ortSession, feeds };
  const predictor = new CellPredictor({ path: null });
  // The comparison in the same run: the same features priced by the starting costs, never taught.
  const untaught = new CellPredictor({ path: null });
  let meter = 'estimate';
  const measure = async (c: CellCase) => {
    const run = compileCell(ts, c.code);
    const m = await session.measure(() => run(globals), { log: false });
    if (m.record.status !== 'ok') throw new Error(`${c.name}: ${m.record.error?.message}`);
    meter = m.record.method;
    return m.record;
  };
  try {
    for (const c of WARMUP) {
      const r = await measure(c);
      await predictor.learn(c.code, r.energyJ, r.method);
      print(`warm-up  ${c.name.padEnd(30)} measured ${r.energyJ.toPrecision(3)} J`);
    }
    const results: CellResult[] = [];
    print(
      `\n${'held-out cell'.padEnd(32)}${'predicted'.padStart(10)}${'estimate'.padStart(12)}${'measured'.padStart(12)}${'tier'.padStart(8)}${'error'.padStart(9)}${'time'.padStart(8)}`
    );
    for (const c of HELD_OUT) {
      const { prediction } = predictor.predict(c.code);
      const before = untaught.predict(c.code).prediction;
      const r = await measure(c);
      await predictor.learn(c.code, r.energyJ, r.method);
      const result: CellResult = {
        name: c.name,
        tier: prediction.tier,
        estimateJ: prediction.estimateJ,
        reason: prediction.reason,
        measuredJ: r.energyJ,
        durationS: r.durationS,
        measuredTier: tierOf(r.energyJ),
        untaughtTier: before.tier
      };
      results.push(result);
      const error =
        result.estimateJ === null
          ? 'n/a'
          : `${Math.round(((result.estimateJ - r.energyJ) / r.energyJ) * 100)}%`;
      print(
        `${c.name.padEnd(32)}${(result.tier ?? 'none').padStart(10)}${(result.estimateJ === null ? '-' : result.estimateJ.toPrecision(3) + ' J').padStart(12)}${(r.energyJ.toPrecision(3) + ' J').padStart(12)}${result.measuredTier.padStart(8)}${error.padStart(9)}${(r.durationS.toFixed(1) + ' s').padStart(8)}` +
          (result.tier !== null && result.tier !== result.measuredTier ? '  <- wrong tier' : '') +
          (result.reason ? `  (no prediction: ${result.reason})` : '')
      );
    }
    const predicted = results.filter(r => r.estimateJ !== null);
    const apes = predicted.map(r => (Math.abs(r.estimateJ! - r.measuredJ) / r.measuredJ) * 100);
    const out: CellBenchResult = {
      meter,
      warmup: WARMUP.length,
      results,
      tierAccuracy: predicted.filter(r => r.tier === r.measuredTier).length / predicted.length,
      predictedShare: predicted.length / results.length,
      mape: apes.reduce((s, x) => s + x, 0) / apes.length,
      medianApe: median(apes),
      untaughtTierAccuracy:
        results.filter(r => r.untaughtTier !== null && r.untaughtTier === r.measuredTier).length /
        results.filter(r => r.untaughtTier !== null).length
    };
    const tiers = (t: CellTier) => results.filter(r => r.measuredTier === t).length;
    print(
      `\nMeter: ${meter}. Learning: ${WARMUP.length} warm-up cells, then predict-measure-learn per held-out cell.` +
        `\nHeld-out cells: ${results.length} (measured Low ${tiers('Low')}, Medium ${tiers('Medium')}, High ${tiers('High')}); predicted ${predicted.length} (${Math.round(out.predictedShare * 100)} %).` +
        `\nTier accuracy (predicted cells): ${(out.tierAccuracy * 100).toFixed(1)} % (goal >= 85 %): ${out.tierAccuracy >= 0.85 ? 'met' : 'NOT met'}` +
        `\nEstimate error: MAPE ${out.mape.toFixed(0)} %, median ${out.medianApe.toFixed(0)} %` +
        `\nWithout learning (starting costs, same cells): tier accuracy ${(out.untaughtTierAccuracy * 100).toFixed(1)} %`
    );
    return out;
  } finally {
    await ortSession.release();
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchPredictCells().catch(e => {
    console.error(e);
    process.exit(1);
  });
}
