/** Where tslab's own TypeScript (5.0, bundled with it) lives: the one its converter compiles with. */
import { dirname } from 'node:path';

/** Resolves `file` in tslab's TypeScript package (its main module by default), as tslab does. */
export function tslabTypeScriptPath(file?: string): string {
  const tslabDir = dirname(require.resolve('tslab/package.json'));
  const id = file ? `@tslab/typescript-for-tslab/${file}` : '@tslab/typescript-for-tslab';
  return require.resolve(id, { paths: [tslabDir] });
}
