/**
 * Makes type resolution in cells independent of the notebook's directory. The trap: npm hoists
 * `@types/node` out of tslab's folder, so a kernel started where no `node_modules/@types/node` lies
 * above the notebook fails every cell with "Cannot find name 'console'".
 * TypeScript sees a virtual package `node_modules/gaissa` next to every notebook, forwarded to this
 * package's install (as tslab does for `tslab`), and that package's own `node_modules/@types/node`
 * forwarded to the Node types installed with us. A notebook far from any node_modules thus still
 * gets Node's types and the `gaissa` API's (and tfjs's, asked for as `gaissa/tfjs`).
 */
import { dirname, join, resolve, sep } from 'node:path';
import { packageRoot } from '../versions';
import { tslabTypeScriptPath } from './tslab-typescript';

type TsSys = Record<string, (...args: any[]) => any>;

const marker = `${sep}node_modules${sep}gaissa`;
const nodeTypesMarker = `${sep}node_modules${sep}@types${sep}node`;
const nodeTypesDir = dirname(require.resolve('@types/node/package.json', { paths: [packageRoot] }));
/** Subpaths of the virtual package that are files elsewhere in ours: `gaissa/tfjs`, tfjs's types. */
const subpathFiles: Record<string, string> = {
  [`${sep}tfjs.d.ts`]: join('lib', 'kernel', 'training', 'tfjs-types.d.ts')
};

/** Maps a path inside the virtual `node_modules/gaissa` to the real file, or returns it as is. */
export function forwardGaissaPath(path: string): string {
  const normal = path.split('/').join(sep);
  // The first whole `node_modules/gaissa` (not node_modules/gaissa-other) is the virtual package;
  // anything below it, even a dependency named gaissa-*, is a path inside this package.
  const whole = (i: number) =>
    i + marker.length === normal.length || normal[i + marker.length] === sep;
  let at = normal.indexOf(marker);
  while (at >= 0 && !whole(at)) at = normal.indexOf(marker, at + 1);
  if (at < 0) return path;
  const rest = normal.slice(at + marker.length);
  if (rest === nodeTypesMarker || rest.startsWith(nodeTypesMarker + sep)) {
    return join(nodeTypesDir, rest.slice(nodeTypesMarker.length));
  }
  return join(packageRoot, subpathFiles[rest] ?? rest);
}

/**
 * The `@types` folder of this package's own node_modules holds its development types (jest, d3,
 * react, jsdom…, ~400 files). TypeScript includes every package there in the programs of notebooks
 * below this package (notebooks/, Binder), which cost their first cell ~5 s; cells only need
 * Node's. Notebooks anywhere else keep their own @types untouched.
 */
const ownTypesDir = join(packageRoot, 'node_modules', '@types');

/** The type packages TypeScript may include automatically from `dir`, given what it holds. */
export function automaticTypePackages(dir: string, found: string[]): string[] {
  return resolve(dir) === ownTypesDir ? found.filter(name => name === 'node') : found;
}

let installed = false;

/** Patches the `sys` of the TypeScript that tslab bundles; run before tslab creates a converter. */
export function installTypeResolution(): void {
  if (installed) return;
  installed = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- tslab's own TypeScript, by path
  const ts = require(tslabTypeScriptPath()) as { sys: TsSys };
  for (const name of ['fileExists', 'directoryExists', 'readFile', 'realpath', 'getFileSize']) {
    const original = ts.sys[name];
    if (typeof original !== 'function') continue;
    ts.sys[name] = (path: string, ...rest: unknown[]) => {
      const forwarded = forwardGaissaPath(path);
      const value = original.call(ts.sys, forwarded, ...rest);
      // realpath must answer with the virtual location, or TypeScript leaves the virtual package.
      return name === 'realpath' && forwarded !== path ? path : value;
    };
  }
  const getDirectories = ts.sys.getDirectories;
  if (typeof getDirectories === 'function') {
    ts.sys.getDirectories = (path: string) =>
      automaticTypePackages(path, getDirectories.call(ts.sys, path) as string[]);
  }
}
