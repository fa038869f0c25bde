/**
 * V8's code cache for a large module (tslab's TypeScript): the module loads the same with or
 * without the cache, a saved cache is used by the next load of the same source, and a changed
 * source (even of the same length, which V8's own check would not notice) never runs another
 * source's code. Modules load once per process, so each load here is of a new file.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWithCodeCache } from '../../../../kernel/execution/code-cache';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gaissa-code-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** A new module file whose source depends only on `answer`. */
function moduleFile(answer: number): string {
  const file = join(dir, `module-${++files}.js`);
  writeFileSync(
    file,
    `exports.answer = ${answer};\nexports.twice = n => n * 2;\n` +
      `exports.sep = require('node:path').sep;\n` +
      `exports.self = module.exports === exports && __filename.endsWith('.js');\n`
  );
  return file;
}

function load(file: string, cache: string) {
  const loaded = loadWithCodeCache(file, cache);
  return { ...loaded, exports: loaded.exports as Record<string, unknown> };
}

test('a module loads the same from source and from the cache a first load saved', async () => {
  const cache = join(dir, 'cache');
  const first = load(moduleFile(41), cache);
  expect(first.fromCache).toBe(false);
  expect(first.exports).toMatchObject({ answer: 41, sep: '/', self: true });
  expect((first.exports.twice as (n: number) => number)(21)).toBe(42);
  await first.save();
  expect(readdirSync(cache)).toHaveLength(1);

  const second = load(moduleFile(41), cache);
  expect(second.fromCache).toBe(true);
  expect(second.exports).toMatchObject({ answer: 41, sep: '/', self: true });
  expect((second.exports.twice as (n: number) => number)(4)).toBe(8);
  // Loaded once per process: the same file gives the same module.
  const file = moduleFile(7);
  expect(load(file, cache).exports).toBe(load(file, cache).exports);
});

test('a changed source of the same length does not take the old cache', async () => {
  const cache = join(dir, 'cache');
  await load(moduleFile(41), cache).save();
  const changed = load(moduleFile(42), cache);
  expect(changed.fromCache).toBe(false);
  expect(changed.exports.answer).toBe(42);
});

test('a cache folder that cannot be written leaves the module working', async () => {
  const blocked = join(dir, 'blocked');
  writeFileSync(blocked, 'a file, not a folder');
  const loaded = load(moduleFile(41), join(blocked, 'cache'));
  await expect(loaded.save()).resolves.toBeUndefined();
  expect(loaded.exports.answer).toBe(41);
});

test('a cache folder or file others can write is neither loaded nor written', async () => {
  const cache = join(dir, 'cache');
  await load(moduleFile(41), cache).save();
  const [bin] = readdirSync(cache);

  chmodSync(join(cache, bin), 0o666);
  const fileShared = load(moduleFile(41), cache);
  expect(fileShared.fromCache).toBe(false);
  expect(fileShared.exports.answer).toBe(41);

  chmodSync(join(cache, bin), 0o600);
  chmodSync(cache, 0o777);
  const dirShared = load(moduleFile(41), cache);
  expect(dirShared.fromCache).toBe(false);
  expect(dirShared.exports.answer).toBe(41);
  // Nor saved into it: a new source's cache stays unwritten.
  await load(moduleFile(43), cache).save();
  expect(readdirSync(cache)).toEqual([bin]);

  // The user's own private folder and file are loaded again.
  chmodSync(cache, 0o700);
  expect(load(moduleFile(41), cache).fromCache).toBe(true);
});

test('a source with multi-byte characters and a last-line comment loads intact', () => {
  // The wrapper is joined as bytes: a character split or a comment left open would show here.
  const file = join(dir, `module-${++files}.js`);
  writeFileSync(file, `exports.text = 'énergie ≈ 1 µJ 🌱';\n// no newline after this comment`);
  expect(load(file, join(dir, 'cache')).exports.text).toBe('énergie ≈ 1 µJ 🌱');
});
