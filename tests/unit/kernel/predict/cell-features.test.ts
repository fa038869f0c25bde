// Static features of cells: trip counts, nesting, array work, waits, heavy calls, known callees.
import { cellFeatures, declarationsOf, hasWork } from '../../../../kernel/predict/cell-features';

const N_TRIPS = 2000;

describe('loops', () => {
  test('a literal for loop multiplies its body by its trip count', () => {
    const f = cellFeatures('let s = 0;\nfor (let i = 0; i < 1e6; i++) { s += i * 2; }');
    expect(f.loopDepth).toBe(1);
    expect(f.unsized).toEqual([]);
    // Per trip: the condition, the increment, += and *: about 4 operations.
    expect(f.ops).toBeGreaterThanOrEqual(4e6);
    expect(f.ops).toBeLessThan(5e6);
  });

  test('nested loops multiply trips; constants, steps and <= are folded', () => {
    const f = cellFeatures(
      'const N = 1000;\nlet s = 0;\nfor (let i = 0; i < N; i++)\n  for (let j = 0; j <= N; j += 2) s += i * j;'
    );
    expect(f.loopDepth).toBe(2);
    // 1000 x 501 inner trips with about 4 operations each.
    expect(f.ops / (1000 * 501)).toBeGreaterThan(3.5);
    expect(f.ops / (1000 * 501)).toBeLessThan(5);
  });

  test('a countdown and a loop over an array of known length are sized', () => {
    expect(cellFeatures('for (let i = 10; i > 0; i--) x(i);').unsized).toEqual([]);
    const f = cellFeatures('const a = [1, 2, 3];\nfor (const v of a) s += v;');
    expect(f.unsized).toEqual([]);
    expect(f.ops).toBe(3);
  });

  test('while loops and non-constant bounds are named as unsized', () => {
    expect(cellFeatures('while (x < 10) x++;').unsized).toEqual(['a while loop at line 1']);
    expect(cellFeatures('for (let i = 0; i < n; i++) s++;').unsized[0]).toMatch(
      /for loop at line 1 whose bound is not a constant/
    );
  });

  test('a loop that may leave early, or whose bound no number can count, is unsized', () => {
    const early = cellFeatures(
      'let s = 0;\nfor (let i = 0; i < 1e12; i++) { s += i; if (s > 1e6) break; }'
    );
    expect(early.unsized[0]).toMatch(/for loop at line 2 may leave early/);
    expect(early.ops).toBeLessThan(100);
    expect(
      cellFeatures('for (const v of [1, 2]) { if (v) throw new Error(); }').unsized[0]
    ).toMatch(/may leave early/);
    // An inner loop's break leaves only the inner loop (unsized), a callback's return only the
    // callback: the outer loop stays sized.
    const inner = cellFeatures(
      'for (let i = 0; i < 10; i++) { for (let j = 0; j < 5; j++) { if (j) break; } [1].map(x => { return x; }); }'
    );
    expect(inner.unsized).toEqual([
      'a for loop at line 1 may leave early (break, return or throw)'
    ]);
    expect(cellFeatures('for (let i = 0; i < 1e309; i++) s++;').unsized[0]).toMatch(
      /bound is not a constant/
    );
  });
});

describe('arrays, waits and heavy calls', () => {
  test('array methods count the elements they visit and run callbacks per element', () => {
    const f = cellFeatures(
      'const a = new Array(1e5).fill(1);\nconst b = a.map(x => x * 2).reduce((p, x) => p + x, 0);'
    );
    // new Array + fill (2e5), map and reduce over the same length (2e5).
    expect(f.elements).toBe(4e5);
    expect(f.ops).toBeGreaterThan(2e5); // x * 2 and p + x per element
    expect(f.unsized).toEqual([]);
  });

  test('sort counts n log n and Array.from its length', () => {
    const sorted = cellFeatures('const v = [4, 3, 2, 1].sort((a, b) => a - b);');
    expect(sorted.elements).toBe(8);
    // The sort call, and per comparison the comparator's call and its subtraction.
    expect(sorted.ops).toBe(1 + 8 + 8);
    expect(cellFeatures('const z = Array.from({ length: 500 }, (_, i) => i);').elements).toBe(500);
  });

  test('an array method over an array of unknown length is unsized', () => {
    expect(cellFeatures('data.map(x => x + 1);').unsized[0]).toMatch(/\.map\(\) at line 1/);
  });

  test('timers and sleeps count seconds of waiting', () => {
    expect(cellFeatures('await new Promise(r => setTimeout(r, 1500));').waitS).toBe(1.5);
    expect(cellFeatures('for (let i = 0; i < 4; i++) await sleep(250);').waitS).toBe(1);
  });

  test('gaissa.compare, whose runs the code does not say, is unsized', () => {
    expect(cellFeatures('const c = await gaissa.compare([a, b]);').unsized).toEqual([
      'gaissa.compare() at line 1, which runs models as long as it needs'
    ]);
  });

  test('model runs and training epochs are counted', () => {
    const f = cellFeatures(
      'for (let i = 0; i < 10; i++) await session.run(feeds);\nawait model.fit(xs, ys, { epochs: 5 });'
    );
    expect(f.modelRuns).toBe(10);
    expect(f.trainEpochs).toBe(5);
  });
});

describe('functions', () => {
  test('a function declared in the cell is walked where it is called, not where it is declared', () => {
    const declared = cellFeatures('function f() { for (let i = 0; i < 1000; i++) s++; }');
    expect(declared.ops).toBe(0);
    const called = cellFeatures(
      'function f() { for (let i = 0; i < 1000; i++) s++; }\nconst g = () => f();\ng(); g();'
    );
    expect(called.ops).toBeGreaterThan(2 * 2000);
  });

  test("a call's constant arguments size the loops of the function it calls", () => {
    const code = (call: string) =>
      `function f(n: number, m = 10) {\n  for (let i = 0; i < n * m; i++) s++;\n}\n${call}`;
    const f = cellFeatures(code('f(1e5);'));
    expect(f.unsized).toEqual([]);
    // 1e6 trips of <, n * m, i++ and s++, and the call itself.
    expect(f.ops).toBe(4e6 + 1);
    expect(cellFeatures(code('f(k);')).unsized[0]).toMatch(/for loop at line 2/);
    // The binding ends with the call: n is unknown again for the next one.
    expect(cellFeatures(code('f(10);\nf(z);')).unsized).toHaveLength(1);
  });

  test('recursion is walked once', () => {
    expect(() =>
      cellFeatures('function r(n: number): number { return r(n - 1); }\nr(3);')
    ).not.toThrow();
  });

  test('functions measured earlier add their energy; unknown ones are listed', () => {
    const f = cellFeatures('train(); train();\nother();', {
      knownEnergyJ: new Map([['train', 3]])
    });
    expect(f.knownJ).toBe(6);
    expect(f.knownCalls).toEqual({ train: 2 });
    expect(f.unknownCalls).toEqual({ other: 1 });
    expect(hasWork(f)).toBe(true);
  });

  test("earlier cells' declarations are used", () => {
    const earlier = declarationsOf(
      'const N = 2000;\nfunction work() { for (let i = 0; i < N; i++) s++; }\nwork();'
    );
    expect(earlier).toHaveLength(2);
    const f = cellFeatures('work();', { declarations: earlier });
    expect(f.unknownCalls).toEqual({});
    expect(f.ops).toBeGreaterThan(2 * N_TRIPS);
  });

  test('a cell of builtins and literals has no work', () => {
    const f = cellFeatures('const x = Math.max(1, 2);\nconsole.log(x);');
    expect(f.unknownCalls).toEqual({});
    expect(hasWork(f)).toBe(true); // two calls
    expect(f.ops).toBe(2);
    expect(hasWork(cellFeatures('const y = 1;'))).toBe(false);
  });
});
