/**
 * Mined models as a population CSV with the columns of GAISSA's Hugging Face study (Castaño et al.,
 * ESEM 2023): co2_eq_emissions in grams, size and datasets_size in bytes, lists written as Python
 * literals like the study's file. What a card does not give stays empty.
 */
import { stringify } from 'csv-stringify/sync';
import type { CardCo2 } from './model-card-co2';

export const STUDY_COLUMNS = [
  'modelId',
  'datasets',
  'datasets_size',
  'co2_eq_emissions',
  'co2_reported',
  'source',
  'training_type',
  'geographical_location',
  'environment',
  'performance_metrics',
  'performance_score',
  'downloads',
  'likes',
  'library_name',
  'domain',
  'size',
  'created_at',
  'size_efficency',
  'datasets_size_efficency',
  'auto'
] as const;

export type StudyColumn = (typeof STUDY_COLUMNS)[number];

/** One model whose card reports its training emissions, with what else the source knew. */
export interface MinedModel {
  modelId: string;
  co2: CardCo2;
  /** Bytes of the model's weight files, when the source holds them. */
  sizeBytes?: number;
  datasetsSizeBytes?: number;
  downloads?: number;
  likes?: number;
  /** ISO date (YYYY-MM-DD) the repository was created. */
  createdAt?: string;
}

/** A list as the study writes it (Python's repr of a list of strings): ['a', 'b']. */
function pythonList(items: readonly string[]): string {
  return `[${items.map(s => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}]`;
}

/** Bytes per gram when both are known and the grams are positive (the study's efficiencies). */
function perGram(bytes: number | undefined, grams: number): string {
  return bytes !== undefined && grams > 0 ? String(bytes / grams) : '';
}

/**
 * Card text as a CSV cell a spreadsheet shows as text: a leading = + - @ (or tab, carriage
 * return) would make it a formula, so such a cell is prefixed with an apostrophe (OWASP's advice
 * against CSV injection).
 */
export function textCell(value: string | undefined): string {
  if (value === undefined) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function studyRow(model: MinedModel): Record<StudyColumn, string> {
  const { co2 } = model;
  const number = (n: number | undefined) => (n === undefined ? '' : String(n));
  return {
    modelId: model.modelId,
    datasets: co2.datasets ? pythonList(co2.datasets) : '',
    datasets_size: number(model.datasetsSizeBytes),
    co2_eq_emissions: String(co2.emissionsG),
    co2_reported: '1',
    source: textCell(co2.source),
    training_type: textCell(co2.trainingType),
    geographical_location: textCell(co2.location),
    environment: textCell(co2.hardware),
    performance_metrics: '',
    performance_score: '',
    downloads: number(model.downloads),
    likes: number(model.likes),
    library_name: co2.libraryName ? pythonList([co2.libraryName]) : '',
    domain: '',
    size: number(model.sizeBytes),
    created_at: model.createdAt ?? '',
    size_efficency: perGram(model.sizeBytes, co2.emissionsG),
    datasets_size_efficency: perGram(model.datasetsSizeBytes, co2.emissionsG),
    // The study's flag for cards AutoTrain wrote; unknown without a source.
    auto: co2.source === undefined ? '' : /autotrain/i.test(co2.source) ? 'True' : 'False'
  };
}

/** The CSV text: the study's header, then one row per model. */
export function populationCsv(models: readonly MinedModel[]): string {
  return stringify(models.map(studyRow), { header: true, columns: [...STUDY_COLUMNS] });
}
