/** Versions reported by `kernel_info`, `%gaissa version` and `gaissa version`. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tslabTypeScriptPath } from './execution/tslab-typescript';

function readVersion(packageJsonPath: string): string {
  return (JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version: string }).version;
}

/** The package root, found upwards from this file whether it runs from source or from lib/. */
function findPackageRoot(dir: string): string {
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('gaissa: package.json not found above ' + __dirname);
    dir = parent;
  }
  return dir;
}

export const packageRoot = findPackageRoot(__dirname);
export const packageVersion = readVersion(join(packageRoot, 'package.json'));
export const tslabVersion = readVersion(require.resolve('tslab/package.json'));
export const typescriptVersion = readVersion(tslabTypeScriptPath('package.json'));
