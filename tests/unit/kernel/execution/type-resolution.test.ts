/**
 * Type resolution independent of the notebook's directory: the virtual `node_modules/gaissa` next
 * to any notebook is forwarded to this package, and its `@types/node` to the Node types we ship.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  automaticTypePackages,
  forwardGaissaPath
} from '../../../../kernel/execution/type-resolution';
import { packageRoot } from '../../../../kernel/versions';

const root = resolve(__dirname, '../../../..');
const nodeTypes = dirname(require.resolve('@types/node/package.json', { paths: [root] }));

describe('forwardGaissaPath', () => {
  test('the package root is this repository', () => {
    expect(packageRoot).toBe(root);
  });

  test('paths inside a virtual node_modules/gaissa map into the package root', () => {
    expect(forwardGaissaPath('/home/u/notebooks/node_modules/gaissa')).toBe(root);
    expect(forwardGaissaPath('/home/u/notebooks/node_modules/gaissa/package.json')).toBe(
      join(root, 'package.json')
    );
    const typesFile = forwardGaissaPath(
      join(tmpdir(), 'x', 'node_modules', 'gaissa', 'lib', 'kernel', 'api', 'index.d.ts')
    );
    expect(typesFile).toBe(join(root, 'lib', 'kernel', 'api', 'index.d.ts'));
    // The forwarded package.json is this package's.
    expect(existsSync(forwardGaissaPath('/anywhere/node_modules/gaissa/package.json'))).toBe(true);
  });

  test('a trailing separator and nested folders are kept', () => {
    expect(forwardGaissaPath('/nb/node_modules/gaissa/')).toBe(join(root, '/'));
    expect(forwardGaissaPath('/nb/node_modules/gaissa/node_modules/yaml/package.json')).toBe(
      join(root, 'node_modules', 'yaml', 'package.json')
    );
  });

  test('node_modules/gaissa-other and similar names are untouched', () => {
    for (const p of [
      '/nb/node_modules/gaissa-other/index.d.ts',
      '/nb/node_modules/gaissa-other',
      '/nb/node_modules/gaissa_x/package.json',
      '/nb/node_modules/gaissajs',
      '/nb/node_modules/@scope/gaissa/index.d.ts',
      '/nb/gaissa/index.ts',
      '/nb/not_node_modules/gaissa/index.ts',
      'relative/path.ts',
      ''
    ]) {
      expect(forwardGaissaPath(p)).toBe(p);
    }
  });

  test('@types/node inside the virtual package goes to the Node types we ship', () => {
    expect(forwardGaissaPath('/nb/node_modules/gaissa/node_modules/@types/node')).toBe(nodeTypes);
    const index = forwardGaissaPath('/nb/node_modules/gaissa/node_modules/@types/node/index.d.ts');
    expect(index).toBe(join(nodeTypes, 'index.d.ts'));
    expect(existsSync(index)).toBe(true);
    expect(forwardGaissaPath('/nb/node_modules/gaissa/node_modules/@types/node/package.json')).toBe(
      join(nodeTypes, 'package.json')
    );
  });

  test('other @types packages, and @types/node-something, are not the Node types', () => {
    expect(forwardGaissaPath('/nb/node_modules/gaissa/node_modules/@types/node-fetch/x.d.ts')).toBe(
      join(root, 'node_modules', '@types', 'node-fetch', 'x.d.ts')
    );
    expect(forwardGaissaPath('/nb/node_modules/gaissa/node_modules/@types/jest/index.d.ts')).toBe(
      join(root, 'node_modules', '@types', 'jest', 'index.d.ts')
    );
    // @types/node outside the virtual package is the notebook's own business.
    expect(forwardGaissaPath('/nb/node_modules/@types/node/index.d.ts')).toBe(
      '/nb/node_modules/@types/node/index.d.ts'
    );
  });

  test('gaissa/tfjs is the full tfjs types entry, and only that file', () => {
    expect(forwardGaissaPath('/nb/node_modules/gaissa/tfjs.d.ts')).toBe(
      join(root, 'lib', 'kernel', 'training', 'tfjs-types.d.ts')
    );
    // The probes TypeScript makes before the .d.ts find nothing, and deeper paths are untouched.
    expect(forwardGaissaPath('/nb/node_modules/gaissa/tfjs.ts')).toBe(join(root, 'tfjs.ts'));
    expect(forwardGaissaPath('/nb/node_modules/gaissa/lib/tfjs.d.ts')).toBe(
      join(root, 'lib', 'tfjs.d.ts')
    );
  });

  test('the first node_modules/gaissa of a path decides, whatever is nested in it', () => {
    // A dependency of ours whose name starts with gaissa, seen through the virtual package.
    expect(forwardGaissaPath('/nb/node_modules/gaissa/node_modules/gaissa-other/x.d.ts')).toBe(
      join(root, 'node_modules', 'gaissa-other', 'x.d.ts')
    );
    // A real gaissa nested in another package is forwarded too.
    expect(forwardGaissaPath('/nb/node_modules/gaissa-other/node_modules/gaissa/index.d.ts')).toBe(
      join(root, 'index.d.ts')
    );
  });

  test('forwarding is idempotent on real paths of the package', () => {
    const real = join(root, 'package.json');
    expect(forwardGaissaPath(real)).toBe(real);
    expect(forwardGaissaPath(forwardGaissaPath('/nb/node_modules/gaissa/a/b.ts'))).toBe(
      join(root, 'a', 'b.ts')
    );
  });
});

describe('automaticTypePackages', () => {
  const found = ['d3', 'jest', 'node', 'react'];

  test("notebooks below this package get Node's types only from its dev @types", () => {
    expect(automaticTypePackages(join(root, 'node_modules', '@types'), found)).toEqual(['node']);
    expect(automaticTypePackages(join(root, 'node_modules', '@types') + '/', found)).toEqual([
      'node'
    ]);
  });

  test('any other @types folder (a user project, a nested package) is left as it is', () => {
    expect(automaticTypePackages('/home/u/project/node_modules/@types', found)).toEqual(found);
    expect(
      automaticTypePackages(join(root, 'node_modules', 'tslab', 'node_modules', '@types'), found)
    ).toEqual(found);
  });
});
