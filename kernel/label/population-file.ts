/**
 * The populations a label is rated against, read from their files: the Hugging Face population
 * shipped with the kernel (kernel/assets/populations/hf-co2.csv, provenance in its README), a
 * population CSV with the study's columns (what `gaissa hf mine` writes) and the project's label
 * registry. Core rates; this reads, hashes and checks the files.
 */
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { FieldError } from '../../core/field-error';
import { DEFAULT_BASIS } from '../../core/label/defaults';
import { MetricName, Phase } from '../../core/label/metrics';
import {
  HF_CO2_METHOD,
  Population,
  PopulationMember,
  populationBasis,
  ratedMembers
} from '../../core/label/population';
import { LabelRequest } from '../../core/label/record';
import { RatingBasis } from '../../core/label/rating';
import { MAX_RECORD_FILE_BYTES, requireRegularFile } from '../regular-file';
import { packageRoot } from '../versions';
import { sha256Text } from './sha256';
import { DEFAULT_REGISTRY_FILE, readRegistry } from './label-registry';

export const HF_CO2_FILE = join(packageRoot, 'kernel', 'assets', 'populations', 'hf-co2.csv');

/** Columns a population CSV needs; the others of the study's header are optional. */
export const REQUIRED_COLUMNS = ['modelId', 'co2_eq_emissions'] as const;

const HF_CO2_SOURCE =
  'Castaño et al., "Exploring the Carbon Footprint of Hugging Face\'s ML Models", ESEM 2023: ' +
  'GAISSA-UPC/ML-EnergyLabel datasets/HFCO2.csv (fb434f2), from model cards mined in 2023';

/** A figure of a CSV cell: a finite number >= 0 (within `max`), else missing. */
function figure(cell: string | undefined, divisor = 1, max = Infinity): number | undefined {
  if (cell === undefined || cell.trim() === '') return undefined;
  const n = Number(cell);
  return Number.isFinite(n) && n >= 0 && n <= max ? n / divisor : undefined;
}

/**
 * The members of a population CSV (the study's units: CO2e in g, sizes in bytes), as label
 * figures (kg, MB). A cell that is not a number in range is left out, as a missing value is.
 */
export function populationMembers(text: string, field: string): PopulationMember[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, bom: true, trim: true });
  } catch (e) {
    throw new FieldError(field, `is not a readable CSV: ${(e as Error).message}`);
  }
  if (rows.length === 0) throw new FieldError(field, 'has no rows');
  const missing = REQUIRED_COLUMNS.filter(c => !(c in rows[0]));
  if (missing.length > 0) {
    throw new FieldError(
      field,
      `lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ` +
        '(a population CSV has the columns of the Hugging Face carbon study, as gaissa hf mine writes)'
    );
  }
  return rows.map(row => {
    const metrics: Partial<Record<MetricName, number>> = {
      trainingCo2eKg: figure(row.co2_eq_emissions, 1000),
      downloads: figure(row.downloads),
      performanceScore: figure(row.performance_score, 1, 1),
      modelSizeMB: figure(row.size, 1e6),
      datasetSizeMB: figure(row.datasets_size, 1e6)
    };
    for (const key of Object.keys(metrics) as MetricName[]) {
      if (metrics[key] === undefined) delete metrics[key];
    }
    return { id: row.modelId ?? '', metrics };
  });
}

/** A population file's rated members (see ratedMembers), how many rows it has and its hash. */
async function readPopulationFile(
  path: string,
  field: string
): Promise<{ members: PopulationMember[]; rows: number; sha256: string }> {
  let text: string;
  try {
    await requireRegularFile(path, MAX_RECORD_FILE_BYTES);
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new FieldError(field, `cannot read ${path}: ${(e as Error).message}`);
  }
  const all = populationMembers(text, field);
  return { members: ratedMembers(all, HF_CO2_METHOD), rows: all.length, sha256: sha256Text(text) };
}

let hfCo2: Promise<Population> | undefined;

/** The Hugging Face population (read once per process). */
export function hfCo2Population(): Promise<Population> {
  hfCo2 ??= readPopulationFile(HF_CO2_FILE, 'population').then(({ members, sha256 }) => ({
    members,
    method: HF_CO2_METHOD,
    against: {
      kind: 'population' as const,
      name: 'hf-co2',
      title: `${members.length.toLocaleString('en')} Hugging Face models reporting training CO2e`,
      source: HF_CO2_SOURCE,
      size: members.length,
      sha256
    }
  }));
  return hfCo2;
}

/**
 * A population CSV the user names (`population: { path }`), rated with GAISSA's method; `name`
 * is the path as the label stores it. Rows without a CO2e above 0 are not members, and the title
 * says how many were left out.
 */
export async function populationFromFile(path: string, name: string): Promise<Population> {
  const { members, rows, sha256 } = await readPopulationFile(path, 'population.path');
  const left = rows - members.length;
  const noun = left === 1 ? 'row' : 'rows';
  const without = left > 0 ? `; ${left.toLocaleString('en')} ${noun} without a CO2e left out` : '';
  return {
    members,
    method: HF_CO2_METHOD,
    against: {
      kind: 'population',
      name,
      title: `${members.length.toLocaleString('en')} models of ${basename(path)}${without}`,
      size: members.length,
      sha256
    }
  };
}

/**
 * The labels of a registry as a population of one phase: each labelled model once (its latest
 * label), its figures as members, the reference their median, weights those of the phase's
 * fixed basis. `bytes`: read only the registry's first bytes, as it was when a label was rated
 * against it (a registry is only ever appended to).
 */
export async function populationFromRegistry(
  path: string,
  name: string,
  phase: Phase,
  bytes?: number
): Promise<Population> {
  const registry = await readRegistry(path, 'population.registry', bytes);
  const latest = new Map<string, PopulationMember>();
  for (const r of registry.records) {
    if (r.phase !== phase) continue;
    const key = r.model.sha256 ?? r.model.name;
    latest.set(key, { id: r.model.name, metrics: r.figures });
  }
  const members = [...latest.values()];
  return {
    members,
    method: { weights: DEFAULT_BASIS[phase].weights },
    against: {
      kind: 'registry',
      name,
      title: `your ${members.length} labelled models (${basename(path)})`,
      size: members.length,
      sha256: registry.sha256,
      bytes: registry.bytes
    }
  };
}

/**
 * The population a request names, read and turned into a rating basis; undefined when it names
 * none that needs reading (fixed, a baseline, reference values). A training request naming
 * nothing is rated against hf-co2; an inference request naming nothing and giving no reference
 * against the project's registry when it holds enough labels (core refuses otherwise).
 */
export async function resolvePopulation(
  request: LabelRequest,
  cwd: string,
  store: (absolute: string) => string = absolute => absolute
): Promise<RatingBasis | undefined> {
  const asked = request.population;
  let population: Population | undefined;
  if (
    asked === 'hf-co2' ||
    (asked === undefined && request.phase === 'training' && !request.reference)
  ) {
    population = await hfCo2Population();
  } else if (typeof asked === 'object' && 'path' in asked) {
    const path = resolve(cwd, asked.path);
    population = await populationFromFile(path, store(path));
  } else if (asked === 'registry' || (typeof asked === 'object' && 'registry' in asked)) {
    const given = typeof asked === 'object' ? asked.registry : DEFAULT_REGISTRY_FILE;
    const path = resolve(cwd, given);
    population = await populationFromRegistry(path, store(path), request.phase);
    if (population.members.length === 0) {
      throw new FieldError('population', `${given} holds no ${request.phase} labels`);
    }
  } else if (asked === undefined && !request.reference) {
    const path = resolve(cwd, DEFAULT_REGISTRY_FILE);
    try {
      population = await populationFromRegistry(path, store(path), request.phase);
    } catch {
      return undefined;
    }
  }
  if (!population) return undefined;
  const { basis, indices } = populationBasis(population);
  if (Object.keys(basis.reference).length === 0) {
    if (asked === undefined && request.phase === 'inference') return undefined;
    throw new FieldError(
      'population',
      `${population.against.title}: too few members with figures to rate against (at least 5 per metric)`
    );
  }
  return { basis, indices };
}
