/**
 * The module pass for tslab's cells (kernel/execution/cell-module.ts), checked against the pass it
 * replaces: TypeScript's `transpileModule` with tslab's options, run on the same cell. Both
 * outputs run the way tslab's executor runs a cell (inside `(function (exports, require) { … })`
 * with `__tslab__.exports`, an `exports` that turns defineProperty getters into values) and must
 * give each exported name the same value, also after the cell's functions run later; the pass
 * publishes names as accessors over the cell's own bindings instead of copies written through.
 */
import { runInThisContext } from 'node:vm';
import fc from 'fast-check';
import type * as TS from '@tslab/typescript-for-tslab';
import {
  CellInterrupted,
  installAwaitCheck,
  releaseBindings,
  toCommonJs
} from '../../../../kernel/execution/cell-module';
import { tslabTypeScriptPath } from '../../../../kernel/execution/tslab-typescript';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- tslab's own TypeScript, by path
const ts = require(tslabTypeScriptPath()) as typeof TS;

/** What tslab's converter does today (its esModuleToCommonJSModule). */
function typescriptPass(js: string): string {
  return ts.transpileModule(js, {
    fileName: 'custom.js',
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      esModuleInterop: true,
      target: ts.ScriptTarget.ES2022,
      newLine: ts.NewLineKind.LineFeed,
      noImplicitUseStrict: true
    }
  }).outputText;
}

/** The `exports` of tslab's executor: a Proxy that stores defined properties as values. */
function tslabExports(): { exports: Record<string, any>; store: Record<string, unknown> } {
  const store: Record<string, unknown> = { fromEarlierCell: 1 };
  const exports = new Proxy(store, {
    defineProperty: (_target, key, attributes) => {
      if (key !== '__esModule')
        store[key as string] = attributes.get ? attributes.get() : attributes.value;
      return true;
    }
  });
  return { exports, store };
}

/** Sets tslab's global `__tslab__` (in the realm cells run in), giving back the one it replaced. */
const setTslab: (value: unknown) => unknown = runInThisContext(
  '(x) => { const was = globalThis.__tslab__; globalThis.__tslab__ = x; return was; }'
);

interface Run {
  exports: Record<string, any>;
  /** The executor's own object: what the cell left as data properties. */
  store: Record<string, unknown>;
  error?: string;
}

/** Runs converted cells as tslab's executor does, one after the other on one `exports`;
 * `later` gets the exports after the last. */
function runCells(
  codes: string[],
  later?: (exports: Record<string, any>) => void,
  load: (id: string) => unknown = require
): Run {
  const { exports, store } = tslabExports();
  const previous = setTslab({ exports });
  let error: string | undefined;
  try {
    for (const code of codes)
      runInThisContext(`(function (exports, require) {${code}\n})`)(exports, load);
    later?.(exports);
  } catch (e) {
    error = String(e);
  } finally {
    setTslab(previous);
  }
  return { exports, store, error };
}

const run = (
  code: string,
  later?: (exports: Record<string, any>) => void,
  load?: (id: string) => unknown
) => runCells([code], later, load);

/** The named exports' values: functions and modules by identity. */
function snapshot(result: Run, names: string[]): unknown {
  return {
    values: names.map(name => {
      const v = result.exports[name];
      return typeof v === 'function' ? `function ${v.name}` : v;
    }),
    error: result.error
  };
}

function expectSameAsTypeScript(
  js: string,
  later?: (exports: Record<string, any>) => void,
  load?: () => (id: string) => unknown
) {
  const ours = toCommonJs(ts, js);
  expect(ours).toBeDefined();
  const reference = run(typescriptPass(js), later, load?.());
  const names = Object.keys(reference.store);
  const result = run(ours!, later, load?.());
  expect(snapshot(result, names)).toEqual(snapshot(reference, names));
  // Nothing written through: only what the executor reads off `exports` is a value there.
  expect(
    Object.keys(result.store).filter(
      k => !/^tsLastExpr\d*$|^fromEarlierCell$|^result$|^after$/.test(k)
    )
  ).toEqual([]);
  return ours!;
}

describe('cells in the shape tslab emits convert like TypeScript would', () => {
  test('the last expression alone', () => {
    const out = expectSameAsTypeScript('export const tsLastExpr = 1 + 1;\nexport {};\n');
    expect(out).toContain('exports.tsLastExpr = 1 + 1;');
  });

  test.each(['(function () { })', '(class { })', '() => 1', '(() => 1)', 'function () { }'])(
    'a last expression %s gets the name TypeScript gives it (or none)',
    expression => {
      expectSameAsTypeScript(`export const tsLastExpr = ${expression};\nexport {};\n`);
    }
  );

  test('an exported let follows compound assignments, in the cell and in its closures later', () => {
    expectSameAsTypeScript(
      'let n = 0;\nn += 2;\nfunction inc() { n++; return n; }\nconst dec = () => { --n; };\n' +
        'export const tsLastExpr = n;\nexport { n, inc, dec };\n',
      exports => {
        exports.inc();
        exports.inc();
        exports.dec();
        if (exports.n !== 3) throw new Error(`n is ${exports.n}`);
      }
    );
  });

  test('chained, logical and nested assignments, and a for loop step', () => {
    expectSameAsTypeScript(
      'let s = "a", t;\ns = s + "b", s += "c";\nconst g = () => s = "z";\n' +
        'let u = (s = "q") + "!";\nt = s = "w";\nlet z = 0;\nz ||= 3; z &&= 4; z ??= 5; z **= 2;\n' +
        'let q = 0;\nfor (let i = 0; i < 3; q++) i++;\ng();\nexport { s, t, g, u, z, q };\n'
    );
  });

  test('imports: namespace, named (renamed), default, side effect; exported as values', () => {
    const out = expectSameAsTypeScript(
      'import * as fs from "fs";\nimport { join, basename as bn } from "path";\n' +
        'import os from "os";\nimport "util";\n' +
        'export const tsLastExpr = join("a", bn("/x/y")) + typeof fs.readFileSync + typeof os.cpus;\n' +
        'export { fs, join, bn, os };\n'
    );
    expect(out).toContain('require("util");');
  });

  test('a namespace import of a module without __esModule gets live getters and a default', () => {
    const ours = run(toCommonJs(ts, 'import * as p from "path";\nexport { p };\n')!);
    const reference = run(typescriptPass('import * as p from "path";\nexport { p };\n'));
    const [p, expected] = [ours.exports.p, reference.exports.p] as Record<string, unknown>[];
    expect(p.default).toBe(expected.default); // the module itself
    expect(Object.keys(p)).toEqual(Object.keys(expected));
    expect(typeof Object.getOwnPropertyDescriptor(p, 'join')?.get).toBe('function');
  });

  test('named and default imports are read from the module at each use, as TypeScript does', () => {
    const js =
      'import { f, k as kay } from "m";\nimport d from "m";\n' +
      'function call() { return [f(), kay, d]; }\nexport { f, kay, d, call };\n';
    const load = () => {
      const m = { __esModule: true, f: () => 1, k: 'k', default: 10 };
      return () => m;
    };
    expectSameAsTypeScript(js, exports => (exports.result = exports.call()), load);
    // A later cell patching the module: the cell's function sees it, with either pass.
    for (const pass of [toCommonJs(ts, js)!, typescriptPass(js)]) {
      const m: Record<string, unknown> = { __esModule: true, f: () => 1, k: 'k', default: 10 };
      const result = run(
        pass,
        exports => {
          Object.assign(m, { f: () => 2, k: 'K', default: 20 });
          exports.after = exports.call();
        },
        () => m
      );
      expect(result.exports.after).toEqual([2, 'K', 20]);
    }
  });

  test('an import read as a value, a callee, a shorthand property, a key and a label', () => {
    expectSameAsTypeScript(
      'import { join } from "path";\nconst o = { join, k: join, join: 1 };\n' +
        'class C {\n    join() { return join("a", "b"); }\n}\n' +
        'join: for (;;) {\n    break join;\n}\n' +
        'export const tsLastExpr = [o.k === join, new C().join(), typeof join, { [join.name]: 1 }];\n' +
        'export { join, o, C };\n'
    );
  });

  test('a module tslab loads from a file keeps its ES module marker for its importers', () => {
    const js = 'const x = 1;\nfunction f() { return x; }\nexport { x, f };\n';
    for (const pass of [toCommonJs(ts, js)!, typescriptPass(js)]) {
      const plain: Record<string, unknown> = {};
      runInThisContext(`(function (exports, require) {${pass}\n})`)(plain, require);
      expect(plain).toMatchObject({ __esModule: true, x: 1 });
    }
  });

  test('thousands of top-level names', () => {
    const names = Array.from({ length: 6000 }, (_, i) => `v${i}`);
    const js = names.map(n => `let ${n} = 1;`).join('\n') + `\nexport { ${names.join(', ')} };\n`;
    expectSameAsTypeScript(js);
  });

  test('an expression nested deeper than the pass recurses is left to TypeScript', () => {
    const js = `export const tsLastExpr = ${Array(100_000).fill('1').join(' + ')};\nexport {};\n`;
    expect(toCommonJs(ts, js)).toBeUndefined();
  });

  test('destructured declarations, classes, earlier cells read through exports', () => {
    expectSameAsTypeScript(
      'const { a, b: [c, , d = 4] } = { a: 1, b: [2, 3] };\nclass K {\n    x = a;\n}\n' +
        'exports.fromEarlierCell += 1;\nexport const tsLastExpr = new K().x + c + d;\nexport { a, c, d, K };\n'
    );
  });

  test('a throw midway leaves what TypeScript leaves', () => {
    const out = expectSameAsTypeScript(
      'let before = 1;\nbefore = 2;\nthrow new Error("stop");\nlet after = 3;\nexport { before, after };\n'
    );
    expect(run(out).error).toBe('Error: stop');
  });

  test('top-level await stays (tslab wraps the cell in an async function), checked for interrupts', () => {
    const out = toCommonJs(ts, 'const p = await Promise.resolve(3);\nexport { p };\n');
    expect(out).toContain(
      'const p = __gaissaAwaited(await Promise.resolve(3));\n__gaissaBind("p", '
    );
  });

  test('random sequences of assignments to exported names', () => {
    const name = fc.constantFrom('a', 'b', 'c');
    const value = fc.oneof(fc.integer({ min: -5, max: 5 }).map(String), name);
    const statement = fc.oneof(
      fc.tuple(name, value).map(([x, v]) => `${x} = ${v};`),
      fc
        .tuple(name, fc.constantFrom('+=', '-=', '*=', '||=', '??='), value)
        .map(([x, op, v]) => `${x} ${op} ${v};`),
      fc.tuple(name, fc.constantFrom('++', '--')).map(([x, op]) => `${x}${op};`),
      fc.tuple(name, fc.constantFrom('++', '--')).map(([x, op]) => `${op}${x};`),
      fc.tuple(name, name, value).map(([x, y, v]) => `${x} = ${y} = ${v};`),
      fc.tuple(name, value).map(([x, v]) => `if (${x} > 1) { ${x} -= ${v}; }`),
      fc.tuple(name, name).map(([x, y]) => `for (let i = 0; i < 2; ${x}++) { i++; ${y} += i; }`),
      fc.tuple(name, value).map(([x, v]) => `(() => { ${x} = ${v} + 1; })();`)
    );
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 12 }), body => {
        const js =
          'let a = 1, b = 2;\nlet c = 3;\n' +
          body.join('\n') +
          '\nfunction bump() { a += 10; c = b; }\nexport { a, b, c, bump };\n';
        expectSameAsTypeScript(js, exports => exports.bump());
      }),
      { numRuns: 200 }
    );
  });
});

describe('top-level names are live bindings, published once', () => {
  const cell = (js: string) => toCommonJs(ts, js)!;

  test('a loop writes only its local; the accessor is defined once, after the declaration', () => {
    const out = cell('let s = 0;\nfor (let i = 0; i < 3; i++) {\n    s += i;\n}\nexport { s };\n');
    expect(out).toContain('    s += i;\n');
    expect(out.match(/__gaissaBind\("s"/g)).toHaveLength(1);
    expect(out.indexOf('__gaissaBind("s"')).toBeGreaterThan(out.indexOf('let s = 0;'));
  });

  test("a later cell's writes go to the variable the cell's functions use", () => {
    const result = runCells(
      [
        cell('let count = 0;\nfunction inc() { return ++count; }\nexport { count, inc };\n'),
        'exports.count += 5;'
      ],
      exports => (exports.after = [exports.inc(), exports.count])
    );
    expect(result.error).toBeUndefined();
    expect(result.store.after).toEqual([6, 6]);
  });

  test('a const or an import throws when assigned; a class or function does not', () => {
    const out = cell(
      'import { join } from "path";\nconst c = 1;\nclass K {\n}\nfunction f() { }\nexport { join, c, K, f };\n'
    );
    for (const name of ['c', 'join'])
      expect(runCells([out, `exports.${name} = 2;`]).error).toBe(
        'TypeError: Assignment to constant variable.'
      );
    const result = runCells([out, 'exports.K = 3; exports.f = 4;']);
    expect([result.exports.K, result.exports.f]).toEqual([3, 4]);
  });

  test('a name declared again is a new binding for later cells; the earlier closure keeps its own', () => {
    const first = cell('let r = 1;\nconst readR = () => r;\nexport { r, readR };\n');
    const second = cell('let r = "two";\nexport { r };\n');
    const result = runCells([first, second, 'exports.r += "!";']);
    expect([result.exports.r, result.exports.readR()]).toEqual(['two!', 1]);
  });

  test('a cell left to TypeScript starts by releasing the accessors of the names it declares', () => {
    const js = 'let shared = 2;\nconst n = 0;\nexport { shared, n };\n';
    const released = releaseBindings(ts, js, typescriptPass(js));
    expect(released).toContain('["shared","n"]');
    const first = cell(
      'let shared = 1;\nconst readShared = () => shared;\nexport { shared, readShared };\n'
    );
    const result = runCells([first, released]);
    expect(result.error).toBeUndefined();
    expect([result.exports.shared, result.exports.readShared()]).toEqual([2, 1]);
    // Without the release, TypeScript's `exports.shared = 2` would assign the earlier variable.
    expect(runCells([first, typescriptPass(js)]).exports.readShared()).toBe(2);
  });

  test('a module tslab loads from a file gets its accessors as its own properties', () => {
    const plain: Record<string, any> = {};
    const out = cell('let x = 1;\nfunction bump() { x++; }\nexport { x, bump };\n');
    runInThisContext(`(function (exports, require) {${out}\n})`)(plain, require);
    plain.bump();
    expect(Object.keys(plain)).toEqual(['x', 'bump']);
    expect(plain.x).toBe(2);
  });
});

describe('shapes TypeScript had to convert before (they rewrote assignments) convert here', () => {
  test.each([
    [
      'an exported name shadowed in a function',
      'let x = 1;\nfunction f(x) { x = 5; }\nexport { x, f };\n'
    ],
    ['an exported name shadowed in a block', 'let x = 1;\n{ let x = 2; x++; }\nexport { x };\n'],
    [
      'destructuring assignment to an exported name',
      'let x = 1, y = 2;\n[x, y] = [y, x];\nexport { x, y };\n'
    ],
    ['a postfix update whose value is used', 'let n = 0;\nconst k = n++ + 1;\nexport { n, k };\n'],
    ['a var declared in a for loop', 'for (var i = 0; i < 2; i++) ;\nexport { i };\n'],
    [
      'an enum (its function has a parameter of the same name)',
      'var E;\n(function (E) {\n    E[E["A"] = 0] = "A";\n})(E || (E = {}));\nexport { E };\n'
    ],
    ['a var declared twice', 'var v = 1;\nvar v = 2;\nexport { v };\n']
  ])('%s', (_what, js) => {
    expectSameAsTypeScript(js);
  });
});

describe("what TypeScript's pass loses, this pass keeps", () => {
  test.each([
    ['for-of into an exported name', 'let x;\nfor (x of [1]) ;\nexport { x };\n', { x: 1 }],
    [
      'a var declared in a nested block',
      'if (true) {\n    var w = 2;\n}\nexport { w };\n',
      { w: 2 }
    ]
  ])('%s', (_what, js, expected) => {
    const result = run(toCommonJs(ts, js)!);
    for (const [name, value] of Object.entries(expected)) {
      expect(result.exports[name]).toBe(value);
      expect(run(typescriptPass(js)).exports[name]).toBeUndefined(); // TypeScript 5.0 misses it
    }
  });
});

describe('anything else is left to TypeScript', () => {
  test.each([
    ['a dynamic import', 'const m = await import("path");\nexport { m };\n'],
    ['import.meta', 'const u = import.meta.url;\nexport { u };\n'],
    ['an export the user wrote', 'export let w = 1;\nexport const tsLastExpr = w;\n'],
    ['an exported function', 'export function f() { }\n'],
    ['export default', 'export default 3;\n'],
    ['a re-export', 'export { join } from "path";\n'],
    ['a renamed export', 'let a = 1;\nexport { a as b };\n'],
    [
      'a default and named import together',
      'import d, { join } from "path";\nexport { d, join };\n'
    ],
    ['a named import of default', 'import { default as d } from "path";\nexport { d };\n'],
    ['a directive prologue', '"use strict";\nlet u = 1;\nexport { u };\n'],
    ['a declaration named exports', 'const exports = 1;\nexport { exports };\n'],
    [
      'an import named Object (the helpers use it)',
      'import * as fs from "fs";\nimport Object from "path";\nexport { fs, Object };\n'
    ],
    ['an import of nothing (TypeScript drops it)', 'import {} from "path";\nexport {};\n'],
    [
      'an import shadowed in a function',
      'import { join } from "path";\nfunction f(join) { return join; }\nexport { join, f };\n'
    ],
    ['the names this pass uses', 'let __gaissaImport0 = 1;\nexport { __gaissaImport0 };\n'],
    [
      'a binding named as the executor names values',
      'let tsLastExpr0 = 1;\nexport { tsLastExpr0 };\n'
    ],
    ['a name with no declaration in the JavaScript (declare const)', 'export { g };\n']
  ])('%s', (_what, js) => {
    expect(toCommonJs(ts, js)).toBeUndefined();
    // …and TypeScript's own pass still handles it (tslab falls back to it).
    expect(typescriptPass(js)).toContain('exports');
  });
});

describe('the check after each top-level await', () => {
  /** Runs a converted cell with top-level await as tslab does: in an async function. */
  async function runAsync(code: string): Promise<unknown> {
    const { exports, store } = tslabExports();
    const previous = setTslab({ exports });
    try {
      await runInThisContext(`(async function (exports, require) {${code}\n})`)(exports, require);
      return store;
    } finally {
      setTslab(previous);
    }
  }

  /** Sets a global of the realm cells run in (jest gives tests a global of their own). */
  const setGlobal: (key: string, value: unknown) => void = runInThisContext(
    '(k, v) => { if (v === undefined) delete globalThis[k]; else globalThis[k] = v; }'
  );
  let interrupted = false;
  let cellsStarted = 0;
  beforeAll(() => {
    installAwaitCheck(() => {
      cellsStarted++;
      return () => interrupted;
    });
    const installed = globalThis as Record<string, unknown>;
    setGlobal('__gaissaAwaitCheck', installed.__gaissaAwaitCheck);
    setGlobal('__interruptNow', () => (interrupted = true));
  });
  afterAll(() => {
    setGlobal('__gaissaAwaitCheck', undefined);
    setGlobal('__interruptNow', undefined);
  });
  beforeEach(() => {
    interrupted = false;
    cellsStarted = 0;
  });

  test('passes the awaited value on while no interrupt came', async () => {
    const out = toCommonJs(ts, 'const p = await Promise.resolve(3);\nexport { p };\n')!;
    await expect(runAsync(out)).resolves.toMatchObject({});
    expect(cellsStarted).toBe(1);
  });

  test('stops a loop that yields only to microtasks once an interrupt came', async () => {
    const js =
      'let i = 0;\nwhile (true) { i++; if (i === 1000) globalThis.__interruptNow(); await Promise.resolve(); }\nexport { i };\n';
    await expect(runAsync(toCommonJs(ts, js)!)).rejects.toBeInstanceOf(CellInterrupted);
    expect(cellsStarted).toBe(1);
  });

  test('a top-level for await checks before each step of its body', async () => {
    const js =
      'let steps = 0;\nasync function* forever() { while (true) yield 1; }\nfor await (const x of forever()) { steps += x; if (steps === 1000) globalThis.__interruptNow(); }\nexport { steps };\n';
    const out = toCommonJs(ts, js)!;
    expect(out).toContain('{ __gaissaAwaited(0); {');
    await expect(runAsync(out)).rejects.toBeInstanceOf(CellInterrupted);
  });

  test('awaits inside functions, and cells without await, are left alone', () => {
    const inFunction = toCommonJs(
      ts,
      'async function f() { return await Promise.resolve(1); }\nexport { f };\n'
    )!;
    expect(inFunction).not.toContain('__gaissaAwaited');
    expect(toCommonJs(ts, 'let a = 1;\nexport { a };\n')).not.toContain('__gaissaAwaited');
  });
});
