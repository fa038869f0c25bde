/** Every `%gaissa` command the kernel registers; feature areas add their list here. */
import { builtinMagics } from './builtin';
import { labelMagic } from './label';
import { roiMagic } from './roi';
import { MagicContext } from './context';
import { MagicCommand } from './registry';

export const allMagics: MagicCommand<MagicContext>[] = [...builtinMagics, roiMagic, labelMagic];
