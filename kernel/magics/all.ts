/** Every `%gaissa` command the kernel registers; feature areas add their list here. */
import { builtinMagics } from './builtin';
import { labelMagic } from './label';
import { autoMeasure, measureMagics } from './measure';
import { optimizeMagic } from './optimize';
import { predictMagic } from './predict';
import { profileMagic } from './profile';
import { roiMagic } from './roi';
import { sinksMagic } from './sinks';
import { MagicContext } from './context';
import { CellBody, CellOutcome, MagicCommand } from './registry';

export const allMagics: MagicCommand<MagicContext>[] = [
  ...builtinMagics,
  ...measureMagics,
  roiMagic,
  labelMagic,
  optimizeMagic,
  profileMagic,
  predictMagic,
  sinksMagic
];

/** Wraps cells that have no cell magic while it applies (e.g. auto-measure); first match wins. */
export interface CellWrapper {
  applies(): boolean;
  wrap(ctx: MagicContext, body: CellBody): Promise<CellOutcome>;
}

export const cellWrappers: CellWrapper[] = [autoMeasure];
