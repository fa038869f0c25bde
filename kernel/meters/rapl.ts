/**
 * Intel RAPL (also AMD Zen) energy counters through the Linux powercap sysfs interface.
 *
 * Zones are found by reading each `intel-rapl:*` zone's `name`, never by index: package zones
 * ("package-N") are summed, plus "dram" subzones where present (DRAM is outside the package
 * domain); "core"/"uncore" are parts of the package and "psys" covers the whole platform, so
 * adding any of them would count energy twice. `energy_uj` wraps at `max_energy_range_uj`.
 */
import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { microjoulesToJoules } from '../../core/units';

export const DEFAULT_POWERCAP_ROOT = '/sys/class/powercap';

/** The part of node:fs the reader uses; tests pass one that fails like a real sysfs can. */
export interface SysfsReader {
  readdirSync(path: string): string[];
  readFileSync(path: string, encoding: 'utf8'): string;
}

export type RaplZoneKind = 'package' | 'dram' | 'core' | 'uncore' | 'psys' | 'other';

export interface RaplZone {
  /** Directory name, e.g. "intel-rapl:0:2". */
  id: string;
  path: string;
  name: string;
  kind: RaplZoneKind;
  /** Socket number from the package name ("package-1" -> 1); subzones inherit their parent's. */
  socket: number | null;
  /** Counter range, µJ; NaN when unreadable (then a negative delta cannot be corrected). */
  maxEnergyRangeUj: number;
  /** Whether the zone is summed (package and dram). */
  counted: boolean;
}

export interface RaplProbe {
  available: boolean;
  /** Why RAPL cannot be used, in words a user can act on. */
  reason?: string;
  root: string;
  zones: RaplZone[];
  counted: RaplZone[];
  hasDram: boolean;
}

const ZONE_DIR = /^intel-rapl:(\d+)(?::(\d+))?$/;

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

function kindOf(name: string): RaplZoneKind {
  if (/^package-\d+$/.test(name)) return 'package';
  if (name === 'dram' || name === 'core' || name === 'uncore' || name === 'psys') return name;
  return 'other';
}

function permissionReason(path: string): string {
  return (
    `permission denied reading ${path}: since Linux 5.10 RAPL energy_uj is readable by root only ` +
    '(CVE-2020-8694); run the kernel as root or grant read access to the energy_uj files'
  );
}

/** Find and check the RAPL zones under `root`; never throws, explains itself in `reason`. */
export function discoverRapl(
  root: string = DEFAULT_POWERCAP_ROOT,
  fs: SysfsReader = nodeFs
): RaplProbe {
  const unavailable = (reason: string, zones: RaplZone[] = []): RaplProbe => ({
    available: false,
    reason,
    root,
    zones,
    counted: [],
    hasDram: false
  });
  let entries: string[];
  try {
    entries = fs.readdirSync(root);
  } catch (e) {
    const code = errorCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return unavailable(
        `no powercap interface at ${root} (virtual machines and containers usually expose none)`
      );
    }
    if (code === 'EACCES' || code === 'EPERM') return unavailable(permissionReason(root));
    return unavailable(`cannot list ${root}: ${code ?? String(e)}`);
  }

  // Top-level entries only: subzones also appear inside their parent's folder, and reading both
  // would count them twice. "intel-rapl-mmio:*" duplicates the package over MMIO: skipped.
  const ids = entries.filter(entry => ZONE_DIR.test(entry)).sort(compareZoneIds);
  if (ids.length === 0) {
    return unavailable(
      `${root} has no intel-rapl zones (RAPL driver not loaded or unsupported CPU)`
    );
  }

  const zones: RaplZone[] = [];
  const socketOfTop = new Map<string, number | null>();
  for (const id of ids) {
    const path = join(root, id);
    let name: string;
    try {
      name = fs.readFileSync(join(path, 'name'), 'utf8').trim();
    } catch {
      continue;
    }
    const kind = kindOf(name);
    const [, top, sub] = ZONE_DIR.exec(id) as RegExpExecArray;
    let socket: number | null;
    if (sub === undefined) {
      socket = kind === 'package' ? Number(name.slice('package-'.length)) : null;
      socketOfTop.set(top, socket);
    } else {
      socket = socketOfTop.get(top) ?? null;
    }
    let maxEnergyRangeUj = NaN;
    try {
      maxEnergyRangeUj = Number(fs.readFileSync(join(path, 'max_energy_range_uj'), 'utf8').trim());
    } catch {
      // Left NaN: readings still work, wraps cannot be corrected.
    }
    zones.push({
      id,
      path,
      name,
      kind,
      socket,
      maxEnergyRangeUj,
      counted: kind === 'package' || kind === 'dram'
    });
  }

  const counted = zones.filter(z => z.counted);
  if (!counted.some(z => z.kind === 'package')) {
    return unavailable(`no RAPL package zone under ${root}`, zones);
  }
  for (const zone of counted) {
    const file = join(zone.path, 'energy_uj');
    try {
      const value = Number(fs.readFileSync(file, 'utf8').trim());
      if (!Number.isFinite(value)) return unavailable(`${file} does not hold a number`, zones);
    } catch (e) {
      const code = errorCode(e);
      if (code === 'EACCES' || code === 'EPERM') return unavailable(permissionReason(file), zones);
      return unavailable(`cannot read ${file}: ${code ?? String(e)}`, zones);
    }
  }
  return {
    available: true,
    root,
    zones,
    counted,
    hasDram: counted.some(z => z.kind === 'dram')
  };
}

function compareZoneIds(a: string, b: string): number {
  const pa = (ZONE_DIR.exec(a) as RegExpExecArray).slice(1).map(x => Number(x ?? -1));
  const pb = (ZONE_DIR.exec(b) as RegExpExecArray).slice(1).map(x => Number(x ?? -1));
  return pa[0] - pb[0] || pa[1] - pb[1];
}

/** Raw `energy_uj` of each counted zone, in the order of `zones`. Throws on a read error. */
export function readRaplCounters(zones: readonly RaplZone[], fs: SysfsReader = nodeFs): number[] {
  return zones.map(zone => Number(fs.readFileSync(join(zone.path, 'energy_uj'), 'utf8').trim()));
}

/**
 * µJ counted between two readings of one zone, corrected for one wrap at the counter's range;
 * null when the counter wrapped and its range is unknown (max_energy_range_uj unreadable): the
 * joules of that step cannot be counted, and the caller must say so rather than count 0.
 */
export function counterDeltaUj(
  previous: number,
  next: number,
  maxEnergyRangeUj: number
): number | null {
  const delta = next - previous;
  if (delta >= 0) return delta;
  // The counter passed max_energy_range_uj and restarted from 0.
  return Number.isFinite(maxEnergyRangeUj) ? delta + maxEnergyRangeUj : null;
}

/**
 * Joules between two readings, split into package (CPU) and dram (RAM), all sockets summed.
 * A part holding a zone whose wrap could not be corrected is null (its joules are unknown).
 */
export function raplEnergyBetween(
  zones: readonly RaplZone[],
  previous: readonly number[],
  next: readonly number[]
): { packageJ: number | null; dramJ: number | null; uncorrected: string[] } {
  let packageUj: number | null = 0;
  let dramUj: number | null = 0;
  const uncorrected: string[] = [];
  zones.forEach((zone, i) => {
    const delta = counterDeltaUj(previous[i], next[i], zone.maxEnergyRangeUj);
    if (delta === null) uncorrected.push(zone.name);
    if (zone.kind === 'dram') dramUj = delta === null || dramUj === null ? null : dramUj + delta;
    else if (zone.kind === 'package')
      packageUj = delta === null || packageUj === null ? null : packageUj + delta;
  });
  return {
    packageJ: packageUj === null ? null : microjoulesToJoules(packageUj),
    dramJ: dramUj === null ? null : microjoulesToJoules(dramUj),
    uncorrected
  };
}
