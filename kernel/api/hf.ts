/**
 * `gaissa.hf.mine(...)`: the notebook twin of `gaissa hf mine`. Returns the mining run, which
 * shows itself as a summary with a chart of the reported CO2e (text, HTML and SVG).
 */
import { resolve } from 'node:path';
import type { Displayable, MimeBundle } from '../display';
import { co2HistogramSvg } from '../hf/co2-histogram-svg';
import { defaultCacheDir } from '../hf/local-cards';
import {
  Mining,
  mineCards,
  MiningSource,
  MiningSummary,
  writePopulationCsv
} from '../hf/mine-cards';
import { miningHtml, miningText } from '../hf/mining-report';
import type { MinedModel } from '../hf/population-csv';

export interface HfMineOptions {
  /** A folder tree of model folders, each with a README.md. */
  dir?: string;
  /** A Hugging Face cache folder; `true` for the default one (HF_HUB_CACHE, HF_HOME/hub, ~/.cache/huggingface/hub). */
  cache?: string | true;
  /** The Hugging Face Hub: `true`, or where and how many. */
  hub?: true | { endpoint?: string; limit?: number };
  /** Writes the population CSV (the study's columns) here, atomically. */
  out?: string;
}

export class HfMining implements Displayable {
  readonly summary: MiningSummary;
  readonly models: readonly MinedModel[];
  /** The population CSV written, when `out` was given. */
  readonly file?: string;

  constructor(mining: Mining, file?: string) {
    this.summary = mining.summary;
    this.models = mining.models;
    if (file !== undefined) this.file = file;
  }

  /** The distribution of reported CO2e: a log-scale histogram with the quartile-like marks. */
  get svg(): string {
    return co2HistogramSvg(
      this.models.map(m => m.co2.emissionsG),
      this.summary.distribution
    );
  }

  toJSON(): MiningSummary & { file?: string } {
    return this.file === undefined ? this.summary : { ...this.summary, file: this.file };
  }

  toMimeBundle(): MimeBundle {
    const svg = this.svg;
    return {
      'text/html': miningHtml(this.summary, svg, this.file),
      'image/svg+xml': svg,
      'text/plain': miningText(this.summary, this.file)
    };
  }
}

function sourceOf(options: HfMineOptions): MiningSource {
  const given = (['dir', 'cache', 'hub'] as const).filter(k => options[k] !== undefined);
  if (given.length !== 1) {
    throw new TypeError('hf.mine needs one source: { dir }, { cache } or { hub }');
  }
  if (options.dir !== undefined) return { dir: resolve(options.dir) };
  if (options.cache !== undefined) {
    return { cache: resolve(options.cache === true ? defaultCacheDir() : options.cache) };
  }
  return { hub: options.hub === true ? {} : { ...options.hub } };
}

export interface HfApi {
  /**
   * Reads model cards from a folder tree, a Hugging Face cache or the Hub; imports the
   * co2_eq_emissions they report (malformed cards are listed, never imported) and with `out`
   * writes the population CSV a label can be rated against (`population: { path }`).
   */
  mine(options: HfMineOptions): Promise<HfMining>;
}

export const hfApi: HfApi = {
  async mine(options) {
    const mining = await mineCards(sourceOf(options ?? {}));
    if (options.out !== undefined) await writePopulationCsv(resolve(options.out), mining);
    return new HfMining(mining, options.out);
  }
};
