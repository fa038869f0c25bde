/** What every source of model cards yields (a folder tree, the local Hugging Face cache, the Hub). */

export interface CardFile {
  modelId: string;
  /** The README file read, for a card on disk. */
  path?: string;
  /** The README text; `{ error }` when it could not be read; null when the model has none. */
  readme: string | { error: string } | null;
  /** Bytes of the model's weight files, when the source holds them. */
  sizeBytes?: number;
  downloads?: number;
  likes?: number;
  /** YYYY-MM-DD */
  createdAt?: string;
}

/** Largest README read: real cards are well under 1 MiB; a bigger file is not a card. */
export const MAX_CARD_BYTES = 4 * 2 ** 20;
