/**
 * Mining model cards for a carbon population: every card of a source is read, those reporting
 * co2_eq_emissions become study rows, malformed ones are listed with their reason and skipped
 * (never fatal), and the reported emissions are summarised as GAISSA's study does.
 */
import { quantileSorted } from '../../core/statistics';
import type { CardFile } from './card-source';
import { HubOptions, hubCards, hubEndpoint } from './hub-cards';
import { cacheCards, folderCards } from './local-cards';
import { readCardCo2 } from './model-card-co2';
import { writeOutputs } from '../label/write-outputs';
import { MinedModel, populationCsv } from './population-csv';

export type MiningSource = { dir: string } | { cache: string } | { hub: HubOptions };

export interface MalformedCard {
  modelId: string;
  reason: string;
}

/** Reported training emissions in grams: count, extremes and the 20/40/60/80th percentiles. */
export interface Co2Distribution {
  count: number;
  min: number;
  p20: number;
  p40: number;
  p60: number;
  p80: number;
  max: number;
}

export interface MiningSummary {
  /** Where the cards came from, in words. */
  source: string;
  /** Cards looked at; those that could not be read are among the malformed, with the reason. */
  cardsRead: number;
  /** Cards whose co2_eq_emissions was imported. */
  reporting: number;
  /** reporting / cardsRead; null when no card was read. */
  reportingRate: number | null;
  /** Cached models downloaded without their README.md (not counted as cards). */
  withoutCard: number;
  malformed: MalformedCard[];
  distribution: Co2Distribution | null;
}

export interface Mining {
  summary: MiningSummary;
  models: MinedModel[];
  /** The card files read (local sources): what the population file may never replace. */
  files: string[];
}

/** Percentiles as numpy's default (linear interpolation between order statistics). */
export function co2Distribution(grams: readonly number[]): Co2Distribution | null {
  if (grams.length === 0) return null;
  const sorted = [...grams].sort((a, b) => a - b);
  return {
    count: sorted.length,
    min: sorted[0],
    p20: quantileSorted(sorted, 0.2),
    p40: quantileSorted(sorted, 0.4),
    p60: quantileSorted(sorted, 0.6),
    p80: quantileSorted(sorted, 0.8),
    max: sorted[sorted.length - 1]
  };
}

function cardsOf(source: MiningSource): { cards: AsyncIterable<CardFile>; words: string } {
  if ('dir' in source) return { cards: folderCards(source.dir), words: `folder ${source.dir}` };
  if ('cache' in source) {
    return { cards: cacheCards(source.cache), words: `Hugging Face cache ${source.cache}` };
  }
  const endpoint = hubEndpoint(source.hub.endpoint);
  return {
    cards: hubCards({ ...source.hub, endpoint }),
    words: `Hugging Face Hub ${endpoint}`
  };
}

export interface MineOptions {
  /** Called after each card with the number read so far (for progress on long runs). */
  onProgress?(cardsRead: number): void;
}

export async function mineCards(source: MiningSource, options: MineOptions = {}): Promise<Mining> {
  const { cards, words } = cardsOf(source);
  const models: MinedModel[] = [];
  const malformed: MalformedCard[] = [];
  const files: string[] = [];
  const seen = new Set<string>();
  let cardsRead = 0;
  let withoutCard = 0;
  for await (const card of cards) {
    if (card.readme === null) {
      withoutCard++;
      continue;
    }
    // A listing that pages over a changing Hub can name a model twice: it counts once.
    if (seen.has(card.modelId)) continue;
    seen.add(card.modelId);
    cardsRead++;
    if (card.path !== undefined) files.push(card.path);
    const reading =
      typeof card.readme === 'string'
        ? readCardCo2(card.readme)
        : { kind: 'malformed' as const, reason: card.readme.error };
    if (reading.kind === 'malformed') {
      malformed.push({ modelId: card.modelId, reason: reading.reason });
    } else if (reading.kind === 'reports') {
      const model: MinedModel = { modelId: card.modelId, co2: reading.co2 };
      if (card.sizeBytes !== undefined) model.sizeBytes = card.sizeBytes;
      if (card.downloads !== undefined) model.downloads = card.downloads;
      if (card.likes !== undefined) model.likes = card.likes;
      if (card.createdAt !== undefined) model.createdAt = card.createdAt;
      models.push(model);
    }
    options.onProgress?.(cardsRead);
  }
  return {
    models,
    files,
    summary: {
      source: words,
      cardsRead,
      reporting: models.length,
      reportingRate: cardsRead > 0 ? models.length / cardsRead : null,
      withoutCard,
      malformed,
      distribution: co2Distribution(models.map(m => m.co2.emissionsG))
    }
  };
}

/**
 * Writes the population CSV atomically (kernel/label/write-outputs.ts); never over a card read.
 * Returns the CSV text.
 */
export async function writePopulationCsv(path: string, mining: Mining): Promise<string> {
  const csv = populationCsv(mining.models);
  await writeOutputs([{ path, data: csv }], mining.files);
  return csv;
}
