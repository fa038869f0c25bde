/**
 * `%%gaissa measure --predict`: a cell's tier and energy before it runs, from its static features
 * (cell-features.ts) priced by per-machine costs (joules per operation, per array element, per
 * second of waiting, per model run, per fit epoch, and a per-cell overhead) that every measured
 * cell teaches, plus what calls to functions measured earlier in the session cost.
 *
 * Learning: after each measured cell, each cost moves towards what would have made the estimate
 * right, in proportion to its share of the estimate (a step in log space: one cell dominated by
 * loop work mostly corrects the cost per operation). The costs are kept per machine and meter in
 * the user's cache folder, like the inference calibration; function energies live for the session.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { cpus, homedir } from 'node:os';
import { join } from 'node:path';
import { TIER_BOUNDARIES, tierOf, type CellPrediction } from '../../core/cell-prediction';
import { formatEnergy, formatNumber } from '../../core/format';
import { writeFileAtomic } from '../atomic-write';
import { cellFeatures, declarationsOf, hasWork, type CellFeatures } from './cell-features';

export const COST_KEYS = ['base', 'ops', 'elements', 'waitS', 'modelRuns', 'trainEpochs'] as const;
export type CostKey = (typeof COST_KEYS)[number];
/** Joules per unit of each feature (`base`: per cell). */
export type Costs = Record<CostKey, number>;

/**
 * Where learning starts on a machine no cell has taught: about 1 ns per JIT-compiled operation on
 * a 10 W core, a few times that per array element, an idle process's share while waiting, a
 * small model run, a small epoch. Off by a factor of a few; the first measured cells correct it.
 */
export const PRIOR_COSTS: Readonly<Costs> = {
  base: 0.005,
  ops: 1e-8,
  elements: 3e-8,
  waitS: 0.5,
  modelRuns: 0.01,
  trainEpochs: 1
};

/** Step size of the log-space update: below 1, so one noisy cell does not undo the others. */
export const LEARNING_RATE = 0.7;
/** One cell moves a cost by at most this factor either way. */
const MAX_STEP = 1000;

export interface LearnedCosts {
  costs: Costs;
  /** Measured cells the costs learned from. */
  cells: number;
  updatedAt: string | null;
}

/** The priced part of the estimate, per cost (knownJ is added on top, unpriced). */
export function parts(costs: Costs, f: CellFeatures): Costs {
  return {
    base: costs.base,
    ops: costs.ops * f.ops,
    elements: costs.elements * f.elements,
    waitS: costs.waitS * f.waitS,
    modelRuns: costs.modelRuns * f.modelRuns,
    trainEpochs: costs.trainEpochs * f.trainEpochs
  };
}

export function estimateJ(costs: Costs, f: CellFeatures): number {
  const p = parts(costs, f);
  return COST_KEYS.reduce((s, k) => s + p[k], 0) + f.knownJ;
}

/**
 * The costs after one measured cell: each multiplied by (measured / estimated) to the power of
 * its share of the priced estimate, times the learning rate. Unchanged when the cell's own work
 * (measured minus known callees) is not positive.
 */
export function learnCosts(costs: Costs, f: CellFeatures, measuredJ: number): Costs {
  const p = parts(costs, f);
  const priced = COST_KEYS.reduce((s, k) => s + p[k], 0);
  const target = measuredJ - f.knownJ;
  if (!(priced > 0) || !(target > 0) || !Number.isFinite(target)) return { ...costs };
  const ratio = Math.min(MAX_STEP, Math.max(1 / MAX_STEP, target / priced));
  const next = { ...costs };
  for (const k of COST_KEYS) next[k] = costs[k] * ratio ** ((LEARNING_RATE * p[k]) / priced);
  return next;
}

/** What a cell's prediction needs and what learning from it needs. */
export interface CellForecast {
  prediction: CellPrediction;
  features: CellFeatures;
}

interface CostsFile {
  version: 1;
  machine: { cpuModel: string; logicalCpus: number };
  /** Learned costs per meter method (rapl, estimate...): each meter reads different joules. */
  byMeter: Record<string, LearnedCosts>;
  /** The meter of the last measured cell, used before this session has measured one. */
  lastMeter: string | null;
}

const FILE_VERSION = 1;

/** The cache folder of the inference calibration (GAISSA_CACHE_DIR, else XDG), without loading ONNX Runtime. */
export function cellCostsPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env.GAISSA_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gaissa');
  const machine = JSON.stringify(machineOf());
  const hash = createHash('sha256').update(machine).digest('hex').slice(0, 16);
  return join(dir, `cell-costs-${hash}.json`);
}

function machineOf(): CostsFile['machine'] {
  return { cpuModel: cpus()[0]?.model?.trim() || 'unknown', logicalCpus: cpus().length };
}

function validCosts(x: unknown): x is Costs {
  if (typeof x !== 'object' || x === null) return false;
  const c = x as Record<string, unknown>;
  return COST_KEYS.every(k => typeof c[k] === 'number' && Number.isFinite(c[k]) && c[k] > 0);
}

/** The saved costs, or a fresh file: absent, unreadable, another machine's or hand-broken. */
export function loadCosts(path: string): CostsFile {
  const fresh: CostsFile = {
    version: FILE_VERSION,
    machine: machineOf(),
    byMeter: {},
    lastMeter: null
  };
  try {
    const file = JSON.parse(readFileSync(path, 'utf8')) as CostsFile;
    if (file?.version !== FILE_VERSION) return fresh;
    if (JSON.stringify(file.machine) !== JSON.stringify(fresh.machine)) return fresh;
    for (const [meter, learned] of Object.entries(file.byMeter ?? {})) {
      if (validCosts(learned?.costs) && Number.isInteger(learned.cells))
        fresh.byMeter[meter] = learned;
    }
    fresh.lastMeter = typeof file.lastMeter === 'string' ? file.lastMeter : null;
  } catch {
    // Nothing learned yet on this machine.
  }
  return fresh;
}

/** The record's strings stay under the schema's 2000 characters (a cell's names can be long). */
const cut = (text: string, max = 1000) =>
  text.length <= max ? text : text.slice(0, max - 1) + '…';

const si = (n: number) =>
  n >= 1e9
    ? `${formatNumber(n / 1e9)}G`
    : n >= 1e6
      ? `${formatNumber(n / 1e6)}M`
      : n >= 1e3
        ? `${formatNumber(n / 1e3)}k`
        : formatNumber(n);

/** The features in words: "4M loop operations, 1.5 s of waiting, train() 2 × 3 J". */
export function featuresText(f: CellFeatures): string {
  const items = [
    f.ops > 0
      ? `${si(f.ops)} operations${f.loopDepth > 0 ? ` in loops nested ${f.loopDepth} deep` : ''}`
      : '',
    f.elements > 0 ? `${si(f.elements)} array elements` : '',
    f.waitS > 0 ? `${formatNumber(f.waitS)} s of waiting` : '',
    f.modelRuns > 0 ? `${si(f.modelRuns)} model run(s)` : '',
    f.trainEpochs > 0 ? `${si(f.trainEpochs)} fit epoch(s)` : '',
    ...Object.entries(f.knownCalls).map(
      ([name, n]) => `${name}() measured earlier, ${formatNumber(n)} call(s)`
    )
  ].filter(Boolean);
  return cut(items.length ? items.join(', ') : 'no loops, array work or heavy calls');
}

export interface CellPredictorOptions {
  /** Where the costs are kept (default: the user's cache folder); null: not kept. */
  path?: string | null;
}

/** One kernel session's predictor: costs from the machine's file, function energies from this session. */
export class CellPredictor {
  private readonly file: CostsFile;
  private readonly path: string | null;
  /** Energy per call of functions measured earlier in this session, J. */
  readonly functionEnergyJ = new Map<string, number>();
  /** Declarations (functions, constants) of the cells measured so far. */
  private readonly declarations: string[] = [];
  private meter: string | null;

  constructor(options: CellPredictorOptions = {}) {
    this.path = options.path === undefined ? cellCostsPath() : options.path;
    this.file = this.path
      ? loadCosts(this.path)
      : { version: FILE_VERSION, machine: machineOf(), byMeter: {}, lastMeter: null };
    this.meter = this.file.lastMeter;
  }

  /** The costs for the meter of this session's measurements (the prior when none learned yet). */
  learned(meter = this.meter): LearnedCosts {
    return (
      (meter ? this.file.byMeter[meter] : undefined) ?? {
        costs: { ...PRIOR_COSTS },
        cells: 0,
        updatedAt: null
      }
    );
  }

  private features(code: string, opaque?: string): CellFeatures {
    const known = new Map(this.functionEnergyJ);
    if (opaque) known.delete(opaque);
    return cellFeatures(code, {
      knownEnergyJ: known,
      declarations: this.declarations,
      opaque: opaque ? new Set([opaque]) : undefined
    });
  }

  /** The prediction for `code` (its magic lines masked), before it runs. */
  predict(code: string): CellForecast {
    const features = this.features(code);
    const base = { method: 'predicted' as const, boundaries: { ...TIER_BOUNDARIES } };
    const unknown = Object.keys(features.unknownCalls);
    const none = (reason: string): CellForecast => ({
      prediction: {
        ...base,
        tier: null,
        estimateJ: null,
        basis: featuresText(features),
        reason: cut(reason)
      },
      features
    });
    if (features.unsized.length > 0)
      return none(`cannot size ${features.unsized.slice(0, 3).join('; ')}`);
    if (!hasWork(features) && unknown.length > 0)
      return none(
        `it calls ${unknown
          .slice(0, 3)
          .map(n => `${n}()`)
          .join(', ')}, which no measured cell ran, and has no loops or heavy calls to size`
      );
    const learned = this.learned();
    const estimate = estimateJ(learned.costs, features);
    if (!Number.isFinite(estimate))
      return none('the work it sizes is too large to give a number of joules');
    const taught =
      learned.cells > 0
        ? `costs learned from ${learned.cells} measured cell(s) on this machine (${this.meter} meter)`
        : 'starting costs (no measured cell on this machine yet)';
    const missing = unknown.length
      ? `; not counting ${unknown
          .slice(0, 3)
          .map(n => `${n}()`)
          .join(', ')} (never measured)`
      : '';
    return {
      prediction: {
        ...base,
        tier: tierOf(estimate),
        estimateJ: estimate,
        basis: cut(`${featuresText(features)}; ${taught}${missing}`, 2000),
        reason: null
      },
      features
    };
  }

  /**
   * Learns from a measured cell: the costs (when the features price all of it), the
   * energy per call of the one function the cell calls itself (when it calls exactly one), and
   * the cell's declarations for later cells. Saves the costs; a failed save only loses them.
   */
  async learn(code: string, measuredJ: number, meter: string): Promise<void> {
    if (!(measuredJ >= 0) || !Number.isFinite(measuredJ)) return;
    this.meter = meter;
    const features = this.features(code);
    const learned = this.learned(meter);
    const called = Object.keys(features.topCalls);
    if (called.length === 1) {
      // The callee's share: what the cell cost minus the rest of it, priced with it left out.
      const name = called[0];
      const rest = this.features(code, name);
      if (rest.unsized.length === 0 && Object.keys(rest.unknownCalls).length === 1) {
        const per =
          Math.max(0, measuredJ - estimateJ(learned.costs, rest)) / features.topCalls[name];
        this.functionEnergyJ.set(name, per);
      }
    }
    // Costs learn from cells whose every part they price: not from unsized ones, and not from
    // calls priced by a function's measured energy (the rest would be a residual of it).
    const priced =
      features.unsized.length === 0 &&
      Object.keys(features.unknownCalls).length === 0 &&
      Object.keys(features.knownCalls).length === 0;
    if (priced) {
      this.file.byMeter[meter] = {
        costs: learnCosts(learned.costs, features, measuredJ),
        cells: learned.cells + 1,
        updatedAt: new Date().toISOString()
      };
    }
    this.file.lastMeter = meter;
    this.declarations.push(...declarationsOf(code));
    if (this.path) {
      try {
        mkdirSync(join(this.path, '..'), { recursive: true });
        await writeFileAtomic(this.path, JSON.stringify(this.file, null, 1) + '\n');
      } catch {
        // The costs stay learned for this session.
      }
    }
  }
}

/** "No prediction" and why, for a cell the predictor never got to read. */
export function forecastNone(reason: string): CellPrediction {
  return {
    method: 'predicted',
    tier: null,
    estimateJ: null,
    boundaries: { ...TIER_BOUNDARIES },
    basis: 'nothing read',
    reason: cut(reason)
  };
}

/** The predicted display before the cell runs: tier, estimate, boundaries, basis. */
export function forecastText(p: CellPrediction): string {
  if (p.estimateJ === null || p.tier === null)
    return `Predicted (not measured): no prediction: ${p.reason}`;
  return [
    `Predicted (not measured): ${p.tier}, about ${formatEnergy(p.estimateJ)}  [Low < ${formatEnergy(p.boundaries.mediumFromJ)} ≤ Medium < ${formatEnergy(p.boundaries.highFromJ)} ≤ High]`,
    `  from ${p.basis}`
  ].join('\n');
}
