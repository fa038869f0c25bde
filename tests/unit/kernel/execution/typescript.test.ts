/**
 * Cells through tslab's real converter and executor (TypeScriptRunner), with the cell module pass
 * of cell-module.ts that the runner installs: what a user sees across cells.
 */
import { join } from 'node:path';
import { TypeScriptRunner } from '../../../../kernel/execution/typescript';

let runner: TypeScriptRunner;
beforeAll(() => {
  runner = new TypeScriptRunner(process.cwd());
});
afterAll(() => runner.close());

async function value(code: string): Promise<unknown> {
  const outcome = await runner.execute(code);
  if (outcome.status !== 'ok') throw new Error(`${code}: ${JSON.stringify(outcome.error)}`);
  return outcome.value;
}

async function failure(code: string): Promise<string> {
  const outcome = await runner.execute(code);
  if (outcome.status === 'ok') throw new Error(`${code} ran`);
  return `${outcome.error?.ename}: ${outcome.error?.evalue}`;
}

describe('a top-level name is one binding for the cell, its closures and later cells', () => {
  test('a top-level loop gives the right value', async () => {
    let expected = 0;
    for (let i = 0; i < 2e6; i++) expected += i % 7;
    expect(await value('let s = 0; for (let i = 0; i < 2e6; i++) { s += i % 7; } s')).toBe(
      expected
    );
    expect(await value('s + 1')).toBe(expected + 1);
  });

  test("a later cell's assignment is seen by an earlier cell's function, and back", async () => {
    await value('let count = 0; function inc() { return ++count; }');
    await value('count += 5');
    expect(await value('inc()')).toBe(6);
    expect(await value('count')).toBe(6);
    await value('count++; count = count * 2');
    expect(await value('inc()')).toBe(15);
  });

  test('a name declared again in a later cell is a new binding for later cells', async () => {
    await value('let r = 1; const readR = () => r;');
    await value('let r = "two";');
    expect(await value('r')).toBe('two');
    expect(await value('readR()')).toBe(1); // the earlier function keeps the binding it closed over
    await value('r = r + "!"');
    expect(await value('[r, readR()]')).toEqual(['two!', 1]);
  });

  test('a const cannot be assigned from a later cell', async () => {
    await value('const fixed = 3;');
    expect(await failure('fixed = 4')).toMatch(/TypeScriptError: .*constant/);
    expect(await value('fixed')).toBe(3);
  });

  test('top-level await, and names it declares', async () => {
    expect(
      await value('const waited = await Promise.resolve(7); let later = waited + 1; later')
    ).toBe(8);
    await value('later += await Promise.resolve(2)');
    expect(await value('[waited, later]')).toEqual([7, 10]);
  });

  test('destructuring declarations and destructuring assignments', async () => {
    await value(
      'let { a, b: [c, , d = 4] } = { a: 1, b: [2, 3] }; const swap = () => { [a, c] = [c, a]; };'
    );
    await value('swap()');
    expect(await value('[a, c, d]')).toEqual([2, 1, 4]);
    await value('[a, d] = [10, 20]');
    await value('swap()');
    expect(await value('[a, c, d]')).toEqual([1, 10, 20]);
  });

  test('functions and classes are live bindings too, and see later cells', async () => {
    await value('class Counter { n = 0; add() { return ++this.n + offset; } } let offset = 0;');
    await value('function make() { return new Counter(); }');
    await value('offset = 100');
    expect(await value('make().add()')).toBe(101);
    await value('function make() { return { add: () => -1 }; }');
    expect(await value('make().add()')).toBe(-1);
  });

  test('var declared in a loop, postfix updates and shadowed names', async () => {
    expect(
      await value(
        'let m = 0; for (var k = 0; k < 3; k++) { m += k; } const bump = (m: number) => m++; [k, m]'
      )
    ).toEqual([3, 3]);
    await value('m = bump(5) + m++');
    expect(await value('m')).toBe(8);
  });

  test('imports stay read-only and read the module', async () => {
    await value('import { join } from "path"; import * as os from "os";');
    expect(await value('join("a", "b")')).toBe(join('a', 'b'));
    expect(await value('typeof os.cpus')).toBe('function');
  });

  test('a cell left to TypeScript (a dynamic import) makes its names new bindings', async () => {
    await value('let shared = 1; const readShared = () => shared;');
    await value('const p = await import("path"); let shared = 2; shared += 1;');
    expect(await value('[shared, readShared()]')).toEqual([3, 1]);
  });

  test('an error midway leaves the earlier binding of a name declared after it', async () => {
    await value('let kept = "first";');
    expect(await failure('throw new Error("stop"); let kept = "second";')).toMatch(/stop/);
    expect(await value('kept')).toBe('first');
  });

  test('completion and inspection know the names of earlier cells', async () => {
    await value('let completeMe = 1;');
    expect(runner.complete('completeM', 9).matches).toContain('completeMe');
    expect(runner.inspect('completeMe', 3)).toMatch(/completeMe: number/);
  });
});
