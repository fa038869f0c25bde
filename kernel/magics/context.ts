/** What a `%gaissa` command can use while it runs. */
import type { GaissaApi } from '../api';
import type { CommManager } from '../comms';
import type { MagicRegistry } from './registry';

export interface MagicContext {
  api: GaissaApi;
  comms: CommManager;
  registry: MagicRegistry<MagicContext>;
  /** Writes text to the cell's stdout. */
  print(text: string): void;
}

export type KernelMagicRegistry = MagicRegistry<MagicContext>;
