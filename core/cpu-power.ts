/**
 * Constants and arithmetic of the fallback estimator, used where no energy counter is readable:
 * CPU power from a TDP figure and utilisation through an interpolated load curve, RAM power from a
 * per-GB figure. Every record that uses them names the constants (see EstimatorConstants).
 */

export interface CpuTdpEntry {
  /** Tokens that must all appear in the normalised CPU model string. */
  match: readonly string[];
  model: string;
  /** Vendor TDP / Processor Base Power of the whole chip, W. */
  tdpW: number;
  /** Hardware threads of the whole chip; lets a VM with a few vCPUs get its share of the TDP. */
  threads: number;
  source: string;
}

// [model, tokens that must all appear in the normalised model string, TDP W, chip threads]
type Row = [model: string, tokens: string, tdpW: number, threads: number];

/** Vendor: Intel ARK product specification pages (ark.intel.com), "TDP" / "Processor Base Power". */
const INTEL_ROWS: Row[] = [
  ['Core i5-8250U', 'i5-8250u', 15, 8],
  ['Core i7-8650U', 'i7-8650u', 15, 8],
  ['Core i9-9900K', 'i9-9900k', 95, 16],
  ['Core i7-10700K', 'i7-10700k', 125, 16],
  ['Core i5-12400', 'i5-12400', 65, 12],
  ['Core i7-12700K', 'i7-12700k', 125, 20],
  ['Core i9-12900K', 'i9-12900k', 125, 24],
  ['Core i7-13700K', 'i7-13700k', 125, 24],
  ['Core i9-13900K', 'i9-13900k', 125, 32],
  ['Xeon E5-2690 v4', 'xeon e5-2690 v4', 135, 28],
  ['Xeon Gold 6148', 'xeon gold 6148', 150, 40],
  ['Xeon Gold 6248', 'xeon gold 6248', 150, 40],
  ['Xeon Gold 6226R', 'xeon gold 6226r', 150, 32],
  ['Xeon Gold 6338', 'xeon gold 6338', 205, 64],
  ['Xeon Platinum 8280', 'xeon platinum 8280', 205, 56],
  ['Xeon Platinum 8380', 'xeon platinum 8380', 270, 80],
  ['Xeon Platinum 8480+', 'xeon platinum 8480+', 350, 112]
];

/** Vendor: AMD product specification pages (amd.com/en/products), "Default TDP". */
const AMD_ROWS: Row[] = [
  ['Ryzen 5 5600X', 'ryzen 5600x', 65, 12],
  ['Ryzen 7 5800X', 'ryzen 5800x', 105, 16],
  ['Ryzen 9 5950X', 'ryzen 5950x', 105, 32],
  ['Ryzen 7 7700X', 'ryzen 7700x', 105, 16],
  ['Ryzen 9 7950X', 'ryzen 7950x', 170, 32],
  ['EPYC 7742', 'epyc 7742', 225, 128],
  ['EPYC 7763', 'epyc 7763', 280, 128],
  ['EPYC 9654', 'epyc 9654', 360, 192]
];

function entries(vendor: 'Intel' | 'AMD', rows: Row[]): CpuTdpEntry[] {
  return rows.map(([model, tokens, tdpW, threads]) => ({
    match: tokens.split(' '),
    model: `${vendor} ${model}`,
    tdpW,
    threads,
    source:
      vendor === 'Intel'
        ? `Intel ARK specification page for ${model} (ark.intel.com): TDP / Processor Base Power`
        : `AMD specification page for ${model} (amd.com/en/products): Default TDP`
  }));
}

/** Common desktop, laptop and server CPUs with their vendors' published TDPs. */
export const CPU_TDP_TABLE: readonly CpuTdpEntry[] = [
  ...entries('Intel', INTEL_ROWS),
  ...entries('AMD', AMD_ROWS)
];

/**
 * Default when the CPU is not in the table: 4 W per hardware thread, CodeCarbon 3.x's fallback
 * (`DEFAULT_POWER_PER_CORE = 4`, codecarbon/core/cpu.py, applied per thread). Scaling by threads
 * keeps a 2-vCPU VM from being charged a whole server socket.
 */
export const DEFAULT_TDP_W_PER_THREAD = 4;
export const DEFAULT_TDP_SOURCE =
  'default: 4 W per hardware thread (CodeCarbon 3.x fallback, codecarbon/core/cpu.py)';

/**
 * The Teads curve: CPU power as a multiple of TDP at 0 / 10 / 50 / 100 % utilisation, linear in
 * between. Source: Benjamin Davy, "Building an AWS EC2 Carbon Emissions Dataset", Teads
 * Engineering (2021); the same points drive the Green Software Foundation Impact Framework's
 * Teads-curve plugin.
 */
export const TEADS_CURVE: ReadonlyArray<
  readonly [utilisationPercent: number, tdpMultiplier: number]
> = [
  [0, 0.12],
  [10, 0.32],
  [50, 0.75],
  [100, 1.02]
];
export const TEADS_CURVE_SOURCE =
  'Teads curve (B. Davy, "Building an AWS EC2 Carbon Emissions Dataset", Teads Engineering 2021), as used by the GSF Impact Framework';

/**
 * RAM power per GB of memory in use: 0.3725 W/GB, from Green Algorithms (Lannelongue, Grealey and
 * Inouye, "Green Algorithms: Quantifying the Carbon Footprint of Computation", Advanced Science
 * 2021, doi:10.1002/advs.202100707).
 */
export const RAM_W_PER_GB = 0.3725;
export const RAM_W_PER_GB_SOURCE =
  'Green Algorithms (Lannelongue et al., Advanced Science 2021, doi:10.1002/advs.202100707)';

/** TDP multiplier at `utilisationPercent` (clamped to 0..100), interpolated on the Teads curve. */
export function teadsMultiplier(
  utilisationPercent: number,
  curve: ReadonlyArray<readonly [number, number]> = TEADS_CURVE
): number {
  const u = Math.min(
    100,
    Math.max(0, Number.isFinite(utilisationPercent) ? utilisationPercent : 0)
  );
  for (let i = 0; i < curve.length - 1; i++) {
    const [u0, m0] = curve[i];
    const [u1, m1] = curve[i + 1];
    if (u <= u1) return m0 + ((u - u0) / (u1 - u0)) * (m1 - m0);
  }
  return curve[curve.length - 1][1];
}

/** Estimated CPU power, W, of a CPU with `tdpW` at `utilisationPercent`. */
export function cpuPowerW(tdpW: number, utilisationPercent: number): number {
  return tdpW * teadsMultiplier(utilisationPercent);
}

/** Estimated RAM power, W, for `gigabytes` of memory in use. */
export function ramPowerW(gigabytes: number, wPerGb = RAM_W_PER_GB): number {
  return Math.max(0, gigabytes) * wPerGb;
}

/** "12th Gen Intel(R) Core(TM) i7-12700K CPU @ 3.60GHz" -> tokens without marks and clock. */
export function cpuModelTokens(model: string): string[] {
  return model
    .toLowerCase()
    .replace(/\((r|tm)\)/g, ' ')
    .replace(/@.*$/, ' ')
    .split(/\s+/)
    .filter(token => token !== '' && token !== 'cpu');
}

export function findCpuTdp(model: string): CpuTdpEntry | undefined {
  const tokens = new Set(cpuModelTokens(model));
  return CPU_TDP_TABLE.find(entry => entry.match.every(token => tokens.has(token)));
}

export interface CpuTdpResolution {
  /** TDP attributed to the CPUs this OS sees, W. */
  tdpW: number;
  source: string;
  /** The table entry used, when one matched. */
  model: string | null;
}

/**
 * The TDP for the logical CPUs visible here: a user override as given; a table match scaled by
 * visible threads / chip threads (so two sockets double it and a 2-vCPU slice of a 112-thread
 * Xeon gets 2/112 of it); otherwise the per-thread default.
 */
export function resolveCpuTdp(opts: {
  model: string;
  logicalCpus: number;
  overrideW?: number;
}): CpuTdpResolution {
  if (opts.overrideW !== undefined) {
    if (!(Number.isFinite(opts.overrideW) && opts.overrideW > 0)) {
      throw new RangeError(
        `TDP override must be a positive number of watts, got ${opts.overrideW}`
      );
    }
    return { tdpW: opts.overrideW, source: 'user override', model: null };
  }
  const logical = Math.max(1, opts.logicalCpus);
  const entry = findCpuTdp(opts.model);
  if (entry) {
    const share = logical / entry.threads;
    return {
      tdpW: entry.tdpW * share,
      source:
        share === 1
          ? entry.source
          : `${entry.source}, scaled by ${logical}/${entry.threads} visible threads`,
      model: entry.model
    };
  }
  return { tdpW: DEFAULT_TDP_W_PER_THREAD * logical, source: DEFAULT_TDP_SOURCE, model: null };
}
