/**
 * Names that start with `__` (`const __x = 1; __x + 1`) failed with "Cannot find name '___x'":
 * tslab's converter ends each cell with `export {…}` of its top-level names, taken from
 * TypeScript's symbol table, whose keys are escaped (TypeScript prefixes an `_` to any name that
 * starts with `__`). The list is unescaped as TypeScript reads the cell's source, through the
 * `sys` tslab's converter hands to `createWatchCompilerHost`.
 */
import type * as TS from '@tslab/typescript-for-tslab';
import { basename } from 'node:path';
import { tslabTypeScriptPath } from './tslab-typescript';

/** The files tslab's converter keeps each cell in. */
const CELL_FILES = new Set(['__tslab__.ts', '__tslab__.js']);

/** TypeScript's unescapeLeadingUnderscores: `___x` (escaped `__x`) → `__x`. */
const unescape = (name: string): string => (name.startsWith('___') ? name.slice(1) : name);

/** A cell's source with the names of its closing `export {…}` (tslab's) unescaped. */
export function unescapeExportList(source: string): string {
  return source.replace(
    /\nexport \{([^}\n]*)\}$/,
    (_, names: string) => `\nexport {${names.split(', ').map(unescape).join(', ')}}`
  );
}

let installed = false;

/** Must run before `tslab/dist/converter` is first required (as installCellModules). */
export function installLeadingUnderscores(): void {
  if (installed) return;
  installed = true;
  const path = tslabTypeScriptPath();
  const ts = require(path) as typeof TS; // eslint-disable-line @typescript-eslint/no-require-imports
  const entry = require.cache?.[path];
  if (!entry || entry.exports !== ts) return;
  const createHost = ts.createWatchCompilerHost as (...args: unknown[]) => unknown;
  const createWatchCompilerHost = (...args: unknown[]) => {
    const system = args[2] as TS.System;
    const cells: TS.System = Object.create(system);
    cells.readFile = (file, encoding) => {
      const text = system.readFile(file, encoding);
      return text !== undefined && CELL_FILES.has(basename(file)) ? unescapeExportList(text) : text;
    };
    return createHost(...args.slice(0, 2), cells, ...args.slice(3));
  };
  entry.exports = new Proxy(ts, {
    get: (target, key, receiver) =>
      key === 'createWatchCompilerHost'
        ? createWatchCompilerHost
        : Reflect.get(target, key, receiver)
  });
}
