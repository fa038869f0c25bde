/**
 * The per-line energy profile (mime `application/vnd.gaissa.profile.v1+json`, JSON Schema in
 * schema/profile.schema.json) and the pure function that builds it: V8's sampling CPU profile of a
 * measured window joined with the power the meters sampled in it. Each sample gets the energy of
 * its instant (the power then, times the sample's interval), so the samples together hold the
 * window's energy; a line gets its samples' energy, a function the energy of the samples it is on
 * the stack of. Method and coverage are the window's measurement's, as for any measurement.
 */
import type { MeterMethod, PowerInterval } from './measurement';
import { provenanceOf, type Provenance } from './provenance';

export const PROFILE_SCHEMA_VERSION = 1;
/** Fewer samples in the cells' code than this say nothing about lines: the cell is too short. */
export const MIN_PROFILE_SAMPLES = 10;
/** Flame graph frames below this share of the energy are left out (their energy stays above). */
const FLAME_MIN_SHARE = 0.005;
const FLAME_MAX_DEPTH = 32;
const MAX_FUNCTIONS = 50;

/** V8's CPU profile (the inspector's Profiler.stop), the fields read here. */
export interface CpuProfileNode {
  id: number;
  callFrame: {
    functionName: string;
    scriptId: string;
    url: string;
    /** 0-based, as the inspector gives it. */
    lineNumber: number;
    columnNumber: number;
  };
  children?: number[];
  /** Samples with this node on top, by script line (1-based). */
  positionTicks?: Array<{ line: number; ticks: number }>;
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  /** Microseconds, on the profiler's clock. */
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** A script that is a cell: its number, its body lines, and a body line for each script line. */
export interface ProfiledScript {
  cell: number;
  body: readonly string[];
  /** Body line (1-based) of a script line (1-based); undefined for lines the kernel added. */
  lineOf(scriptLine: number): number | undefined;
}

/** The measured window the profile ran in. */
export interface ProfileWindow {
  /** Where the window starts on the profiler's clock, microseconds. */
  startUs: number;
  durationS: number;
  /** The window's measured (or estimated) energy, J: what the samples share out. */
  energyJ: number;
  /** Power the meters sampled, seconds since the window started. */
  intervals: readonly PowerInterval[];
  method: MeterMethod;
  coverage: number;
}

/** What the profiler cost, shown beside the figures. */
export interface ProfileOverhead {
  /** Extra time the sampling profiler adds to JavaScript, as a fraction (0.05: 5 % slower). */
  slowdown: number;
  /** How the slowdown was measured. */
  basis: string;
  /** Wall time starting and stopping the profiler and reading its profile took, ms (outside the window). */
  profilerMs: number;
}

export interface ProfileLine {
  cell: number;
  /** The cell body's line, from 1 (after a cell magic). */
  line: number;
  text: string;
  energyJ: number;
  /** Fraction of the window's energy, 0..1. */
  share: number;
  samples: number;
}

/** Energy spent outside any cell line: garbage collection, idle, the kernel, library code. */
export interface ProfileOther {
  label: string;
  energyJ: number;
  share: number;
  samples: number;
}

export interface ProfileFunction {
  name: string;
  /** The cell that defines it; null for library, built-in and kernel code. */
  cell: number | null;
  line: number | null;
  selfEnergyJ: number;
  totalEnergyJ: number;
}

export interface FlameFrame {
  name: string;
  cell: number | null;
  line: number | null;
  energyJ: number;
  children: FlameFrame[];
}

export interface ProfileRecord {
  schemaVersion: 1;
  status: 'ok' | 'too-short';
  /** Why there are no lines (too short); null otherwise. */
  reason: string | null;
  method: MeterMethod;
  coverage: number;
  provenance: Provenance;
  intervalUs: number;
  totalEnergyJ: number;
  durationS: number;
  samples: number;
  /** Hottest first. */
  lines: ProfileLine[];
  other: ProfileOther[];
  /** By total energy, highest first. */
  functions: ProfileFunction[];
  /** Functions as called, from the cells' top level down; energies are totals. */
  flame: FlameFrame[];
  /** The body of each cell a line is in, to show the lines in place. */
  cells: Array<{ cell: number; code: string[] }>;
  overhead: ProfileOverhead;
  notes: string[];
}

export interface ProfileInput {
  profile: CpuProfile;
  window: ProfileWindow;
  /** The cell behind each scriptId, where a script is one. */
  scripts: ReadonlyMap<string, ProfiledScript>;
  intervalUs: number;
  overhead: ProfileOverhead;
}

/** Energy of each sample: the power over the interval the sample closes, times its length. */
export function sampleEnergies(profile: CpuProfile, window: ProfileWindow): number[] {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const { durationS } = window;
  // Sample times in window seconds, kept in order and inside the window.
  const times: number[] = [];
  let t = profile.startTime;
  let previous = 0;
  for (let i = 0; i < samples.length; i++) {
    t += deltas[i] ?? 0;
    const s = Math.min(durationS, Math.max(previous, (t - window.startUs) / 1e6));
    times.push(s);
    previous = s;
  }
  if (samples.length === 0 || !(durationS > 0)) return samples.map(() => 0);
  const meanW = window.energyJ / durationS;
  const intervals = window.intervals
    .filter(i => i.t1 > i.t0)
    .map(i => ({ t0: i.t0, t1: i.t1, w: i.cpuW + i.gpuW + i.ramW }))
    .sort((a, b) => a.t0 - b.t0);
  // ∫ power over [a, b]: the meters' power where they sampled, the window's mean elsewhere.
  const energyOver = (a: number, b: number): number => {
    let joules = 0;
    let covered = 0;
    for (const i of intervals) {
      const lo = Math.max(a, i.t0);
      const hi = Math.min(b, i.t1);
      if (hi > lo) {
        joules += i.w * (hi - lo);
        covered += hi - lo;
      }
    }
    return joules + meanW * Math.max(0, b - a - covered);
  };
  // Sample i closes [times[i-1], times[i]]; the first opens the window, the last closes it.
  const energies = times.map((end, i) =>
    energyOver(i === 0 ? 0 : times[i - 1], i === times.length - 1 ? durationS : end)
  );
  const sum = energies.reduce((a, b) => a + b, 0);
  // The samples hold exactly the window's energy (the meters' intervals need not add up to it).
  if (sum > 0) return energies.map(e => (e * window.energyJ) / sum);
  return energies.map(() => window.energyJ / energies.length);
}

/** A flame graph frame while it is built: its callees by frame key. */
interface TreeFrame extends FlameFrame {
  children: TreeFrame[];
  byKey: Map<string, TreeFrame>;
}

interface Frame {
  key: string;
  name: string;
  cell: number | null;
  line: number | null;
  script?: ProfiledScript;
}

const SPECIAL: Record<string, string> = {
  '(garbage collector)': 'garbage collection',
  '(idle)': 'idle (waiting)',
  '(program)': 'V8 itself (compiling, runtime)',
  '(root)': 'outside the cell (kernel)'
};

function frameOf(node: CpuProfileNode, scripts: ReadonlyMap<string, ProfiledScript>): Frame {
  const { functionName, scriptId, url, lineNumber, columnNumber } = node.callFrame;
  const script = scripts.get(scriptId);
  if (script) {
    const line = script.lineOf(lineNumber + 1) ?? null;
    const name =
      functionName || (line === null ? `cell [${script.cell}]` : `(anonymous) [${script.cell}]`);
    // A cell's script and the function tslab wraps its body in are one frame: its top level.
    return { key: `cell:${script.cell}:${name}:${line}`, name, cell: script.cell, line, script };
  }
  const where = url ? ` ${url.split(/[\\/]/).pop()}` : '';
  return {
    key: `${scriptId}:${url}:${functionName}:${lineNumber}:${columnNumber}`,
    name: `${functionName || '(anonymous)'}${where}`,
    cell: null,
    line: null
  };
}

/** Builds the profile; fewer than MIN_PROFILE_SAMPLES samples in the cells' code is too short. */
export function buildProfileRecord(input: ProfileInput): ProfileRecord {
  const { profile, window, scripts, intervalUs, overhead } = input;
  const samples = profile.samples ?? [];
  const coverage = window.coverage;
  const base = {
    schemaVersion: 1 as const,
    method: window.method,
    coverage,
    provenance: provenanceOf(coverage),
    intervalUs,
    totalEnergyJ: window.energyJ,
    durationS: window.durationS,
    samples: samples.length,
    overhead,
    notes: [] as string[]
  };
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const frames = new Map(profile.nodes.map(n => [n.id, frameOf(n, scripts)]));
  /** The stack of a node, outermost first. */
  const stackOf = (id: number): number[] => {
    const stack: number[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(at);
    return stack.reverse();
  };

  // The window also holds the kernel's work (compiling the cell): what counts is the cell's code.
  const inCells = new Map<number, boolean>();
  const ranCells = (id: number) => {
    let known = inCells.get(id);
    if (known === undefined) {
      known = stackOf(id).some(i => frames.get(i)?.script !== undefined);
      inCells.set(id, known);
    }
    return known;
  };
  const cellSamples = samples.filter(ranCells).length;
  if (cellSamples < MIN_PROFILE_SAMPLES) {
    return {
      ...base,
      status: 'too-short',
      reason:
        `the cell's code ran for ${cellSamples} profiler sample${cellSamples === 1 ? '' : 's'} ` +
        `at ${intervalUs} µs (of ${samples.length} in ${formatMs(window.durationS)}), fewer than ` +
        `${MIN_PROFILE_SAMPLES}: too short to attribute to lines (run more work, or lower --interval-us)`,
      lines: [],
      other: [],
      functions: [],
      flame: [],
      cells: []
    };
  }

  const energies = sampleEnergies(profile, window);
  const nodeEnergy = new Map<number, { energyJ: number; samples: number }>();
  samples.forEach((id, i) => {
    const e = nodeEnergy.get(id) ?? { energyJ: 0, samples: 0 };
    e.energyJ += energies[i];
    e.samples++;
    nodeEnergy.set(id, e);
  });

  const lines = new Map<string, ProfileLine>();
  const other = new Map<string, ProfileOther>();
  const addOther = (label: string, energyJ: number, count: number) => {
    const o = other.get(label) ?? { label, energyJ: 0, share: 0, samples: 0 };
    o.energyJ += energyJ;
    o.samples += count;
    other.set(label, o);
  };
  const addLine = (script: ProfiledScript, line: number, energyJ: number, count: number) => {
    const key = `${script.cell}:${line}`;
    const l = lines.get(key) ?? {
      cell: script.cell,
      line,
      text: script.body[line - 1] ?? '',
      energyJ: 0,
      share: 0,
      samples: 0
    };
    l.energyJ += energyJ;
    l.samples += count;
    lines.set(key, l);
  };

  const functions = new Map<string, ProfileFunction>();
  const flameRoot: TreeFrame = {
    name: '',
    cell: null,
    line: null,
    energyJ: 0,
    children: [],
    byKey: new Map()
  };

  for (const [id, { energyJ, samples: count }] of nodeEnergy) {
    const node = byId.get(id)!;
    const frame = frames.get(id)!;
    // Lines: the sample's own line in a cell, split by V8's ticks per line of the node.
    if (frame.script) {
      const ticks = (node.positionTicks ?? [])
        .map(p => ({ line: frame.script!.lineOf(p.line), ticks: p.ticks }))
        .filter(p => p.ticks > 0);
      const total = ticks.reduce((a, p) => a + p.ticks, 0);
      if (total === 0) {
        if (frame.line !== null) addLine(frame.script, frame.line, energyJ, count);
        else addOther(`cell [${frame.script.cell}]: code the kernel added`, energyJ, count);
      } else {
        for (const p of ticks) {
          const share = (energyJ * p.ticks) / total;
          if (p.line !== undefined) addLine(frame.script, p.line, share, p.ticks);
          else addOther(`cell [${frame.script.cell}]: code the kernel added`, share, p.ticks);
        }
      }
    } else {
      const stack = stackOf(id);
      const caller = stack
        .map(i => frames.get(i)!)
        .reverse()
        .find(f => f.script);
      const special = SPECIAL[node.callFrame.functionName];
      addOther(
        special && node.callFrame.url === ''
          ? special
          : caller
            ? `library and built-in code called from cell [${caller.cell}]`
            : 'outside the cell (kernel)',
        energyJ,
        count
      );
    }

    // Functions and the flame graph start at the outermost cell frame: the kernel's frames above
    // it (the executor, vm) hold every sample and say nothing of the cell.
    const stack = stackOf(id).map(i => frames.get(i)!);
    const from = stack.findIndex(f => f.script);
    const seen = new Set<string>();
    // Self for the top frame, total once per function on the stack.
    stack.forEach((f, depth) => {
      if (from < 0 || depth < from) return;
      const fn = functions.get(f.key) ?? {
        name: f.name,
        cell: f.cell,
        line: f.line,
        selfEnergyJ: 0,
        totalEnergyJ: 0
      };
      if (!seen.has(f.key)) fn.totalEnergyJ += energyJ;
      if (depth === stack.length - 1) fn.selfEnergyJ += energyJ;
      seen.add(f.key);
      functions.set(f.key, fn);
    });

    // Flame graph: a frame repeating its caller (a cell's script and its body) merges into it.
    if (from >= 0) {
      let at = flameRoot;
      let lastKey = '';
      for (const f of stack.slice(from)) {
        if (f.key === lastKey) continue;
        lastKey = f.key;
        let child = at.byKey.get(f.key);
        if (!child) {
          child = {
            name: f.name,
            cell: f.cell,
            line: f.line,
            energyJ: 0,
            children: [],
            byKey: new Map()
          };
          at.byKey.set(f.key, child);
          at.children.push(child);
        }
        child.energyJ += energyJ;
        at = child;
      }
    }
  }

  const total = window.energyJ;
  const share = (e: number) => (total > 0 ? e / total : 0);
  const sortedLines = [...lines.values()]
    .map(l => ({ ...l, share: share(l.energyJ) }))
    .sort((a, b) => b.energyJ - a.energyJ || a.cell - b.cell || a.line - b.line);
  const cells = [...new Set(sortedLines.map(l => l.cell))]
    .sort((a, b) => a - b)
    .map(cell => {
      const script = [...scripts.values()].find(s => s.cell === cell);
      return { cell, code: [...(script?.body ?? [])] };
    });
  const notes: string[] = [];
  if (total > 0 && share(sumOf(other.values())) > 0.5)
    notes.push('most of the energy was spent outside the lines of cells (see "elsewhere")');
  return {
    ...base,
    status: 'ok',
    reason: null,
    lines: sortedLines,
    other: [...other.values()]
      .map(o => ({ ...o, share: share(o.energyJ) }))
      .sort((a, b) => b.energyJ - a.energyJ),
    functions: [...functions.values()]
      .filter(f => f.totalEnergyJ > 0)
      .sort((a, b) => b.totalEnergyJ - a.totalEnergyJ)
      .slice(0, MAX_FUNCTIONS),
    flame: pruneFlame(flameRoot.children, total * FLAME_MIN_SHARE, 1),
    cells,
    notes
  };
}

function sumOf(parts: Iterable<{ energyJ: number }>): number {
  let s = 0;
  for (const p of parts) s += p.energyJ;
  return s;
}

/** Frames worth drawing: above the threshold, not deeper than FLAME_MAX_DEPTH, biggest first. */
function pruneFlame(frames: FlameFrame[], minJ: number, depth: number): FlameFrame[] {
  return frames
    .filter(f => f.energyJ >= minJ && f.energyJ > 0)
    .sort((a, b) => b.energyJ - a.energyJ)
    .map(f => ({
      name: f.name,
      cell: f.cell,
      line: f.line,
      energyJ: f.energyJ,
      children: depth < FLAME_MAX_DEPTH ? pruneFlame(f.children, minJ, depth + 1) : []
    }));
}

function formatMs(s: number): string {
  return s < 1 ? `${(s * 1000).toFixed(1)} ms` : `${s.toFixed(2)} s`;
}
