/**
 * How much of a figure a hardware counter measured. `coverage` is the share of the joules that
 * came from a counter over the part of the window it measured (0..1); a figure is `measured` only
 * when all of it did, `estimated` when none did, and `partly-measured` otherwise.
 *
 * Pure and dependency-free: the kernel, the static views and the extension all read it, and the
 * readers accept records written before coverage existed (see coverageOfRecord).
 */

export type Provenance = 'measured' | 'partly-measured' | 'estimated';

/** Energy with the part of it a counter measured, for summing coverage over parts and runs. */
export interface CountedEnergy {
  energyJ: number;
  coverage: number;
}

export function clampCoverage(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

export function provenanceOf(coverage: number): Provenance {
  if (coverage >= 1) return 'measured';
  if (coverage <= 0 || !Number.isFinite(coverage)) return 'estimated';
  return 'partly-measured';
}

/**
 * Energy-weighted coverage of several parts. With no energy at all, the least covered part
 * decides (a window too short to hold a joule is no proof that a counter measured it).
 */
export function combinedCoverage(parts: readonly CountedEnergy[]): number {
  if (parts.length === 0) return 0;
  let energy = 0;
  let counted = 0;
  for (const p of parts) {
    const e = Math.max(0, p.energyJ);
    energy += e;
    counted += e * clampCoverage(p.coverage);
  }
  if (energy > 0) return clampCoverage(counted / energy);
  return Math.min(...parts.map(p => clampCoverage(p.coverage)));
}

/**
 * Percent shown for a partial coverage: floored, and never 0 or 100, so a partial figure can
 * never read as all or nothing.
 */
export function coveragePercent(coverage: number): number {
  const c = clampCoverage(coverage);
  if (c >= 1) return 100;
  if (c <= 0) return 0;
  return Math.min(99, Math.max(1, Math.floor(c * 100)));
}

/** "measured", "partly measured (NN % counter)" or "estimated". */
export function provenanceText(coverage: number): string {
  const provenance = provenanceOf(coverage);
  if (provenance === 'partly-measured') {
    const c = clampCoverage(coverage);
    const pct = c < 0.01 ? '<1' : String(coveragePercent(c));
    return `partly measured (${pct} % counter)`;
  }
  return provenance;
}

function isRecordLike(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * The coverage of a record, as every reader (badge, card, CSV, views, labels) must read it: the
 * smaller of what the record says of itself and what its components show, energy-weighted. Records
 * written before coverage existed count as 1 when `estimated` is false and 0 otherwise. Untrusted
 * payloads err towards the estimate: a coverage that contradicts the record's own `estimated` /
 * `method` flags or its components is not believed, and anything unreadable is 0.
 */
export function coverageOfRecord(record: unknown): number {
  if (!isRecordLike(record)) return 0;
  const own = declaredCoverage(record);
  const parts = componentParts(record.components);
  return parts === null ? own : Math.min(own, combinedCoverage(parts));
}

/** What the record's top-level fields claim (coverage, or the estimated flag of old records). */
function declaredCoverage(record: Record<string, unknown>): number {
  const saysEstimated = record.estimated === true || record.method === 'estimate';
  const c = record.coverage;
  if (typeof c === 'number' && Number.isFinite(c) && c >= 0 && c <= 1) {
    return saysEstimated && c >= 1 ? 0 : c;
  }
  return record.estimated === false && !saysEstimated ? 1 : 0;
}

/**
 * The present components (method not null) with their joules and coverage; null when the payload
 * carries no components at all (a cell's summary, a CSV row), so only its own claim is left.
 */
function componentParts(components: unknown): CountedEnergy[] | null {
  if (!isRecordLike(components)) return null;
  const parts: CountedEnergy[] = [];
  for (const key of ['cpu', 'gpu', 'ram']) {
    const c = components[key];
    if (isRecordLike(c) && (c.method === null || c.method === undefined)) continue;
    const e = isRecordLike(c) ? c.energyJ : undefined;
    parts.push({
      energyJ: typeof e === 'number' && Number.isFinite(e) && e > 0 ? e : 0,
      coverage: coverageOfComponent(c)
    });
  }
  return parts.length === 0 ? null : parts;
}

/**
 * Same for a component: an absent one (method null: no GPU) has nothing to miss (1), the
 * estimator's joules are never counted, a counter's are by their coverage (old components,
 * without one: 1), and an unknown method is not believed (0).
 */
export function coverageOfComponent(component: unknown): number {
  if (!isRecordLike(component)) return 0;
  if (component.method === null) return 1;
  if (component.method !== 'rapl' && component.method !== 'nvml') return 0;
  const c = component.coverage;
  if (typeof c === 'number' && Number.isFinite(c) && c >= 0 && c <= 1) return c;
  return 1;
}

/**
 * Components present in a record whose energy is missing: a GPU nvidia-smi listed but gave no
 * reading for (no joules, none of them counted). The total leaves them out, and every view says so
 * next to the provenance, which describes only the joules the record holds.
 */
export function missingEnergy(record: unknown): string[] {
  if (!isRecordLike(record) || !isRecordLike(record.components)) return [];
  const gpu = record.components.gpu;
  if (!isRecordLike(gpu) || gpu.method === null || gpu.method === undefined) return [];
  return gpu.energyJ === 0 && coverageOfComponent(gpu) < 1 ? ['GPU'] : [];
}

/**
 * The mark a table puts after a figure: nothing for measured, " (est.)" for estimated,
 * " (partly measured, NN % counter)" for a mix. `method` may be a row's provenance from before
 * coverage existed; anything unknown reads as estimated.
 */
export function provenanceMark(method: unknown, coverage?: unknown): string {
  const c =
    typeof coverage === 'number' && Number.isFinite(coverage) && coverage >= 0 && coverage <= 1
      ? coverage
      : method === 'measured'
        ? 1
        : 0;
  if (method === 'measured' && c >= 1) return '';
  if (c <= 0 || (method !== 'measured' && method !== 'partly-measured')) return ' (est.)';
  return ` (partly measured, ${c < 0.01 ? '<1' : coveragePercent(c)} % counter)`;
}
