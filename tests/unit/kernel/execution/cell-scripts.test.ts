/**
 * The line maps behind profiles: source map lines decoded, the CommonJS pass's own line map, and
 * the registry that finds a cell by the code V8 ran and turns its lines into the body's.
 */
import type * as TS from '@tslab/typescript-for-tslab';
import { toCommonJsWithLines } from '../../../../kernel/execution/cell-module';
import {
  cellScriptOf,
  claimConversion,
  clearConversion,
  composeLines,
  noteConversion,
  resetCellScripts,
  sourceLinesOf,
  withoutInlineMap
} from '../../../../kernel/execution/cell-scripts';
import { tslabTypeScriptPath } from '../../../../kernel/execution/tslab-typescript';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- tslab's own TypeScript, by path
const ts = require(tslabTypeScriptPath()) as typeof TS;

afterEach(resetCellScripts);

test('a source map gives the source line of the first mapped segment of each generated line', () => {
  // Line 0: nothing; line 1 from source line 2 (then a segment of line 3); line 2 back to line 1.
  expect(sourceLinesOf(';AAEA,AACA;AAFA,IAAA;;A')).toEqual([-1, 2, 1, -1, -1]);
  expect(sourceLinesOf('AAAA;AAgBA')).toEqual([0, 16]); // multi-digit VLQ
});

test("TypeScript's inline source map is read and dropped", () => {
  const out = ts.transpileModule('interface A {}\n\nconst a: number = 1;\nlet b = a + 1;\n', {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      inlineSourceMap: true
    }
  }).outputText;
  const { code, sourceLines } = withoutInlineMap(out);
  expect(code).toBe('const a = 1;\nlet b = a + 1;\n');
  expect(sourceLines!.slice(0, 2)).toEqual([2, 3]);
  expect(withoutInlineMap('let x = 1;\n')).toEqual({ code: 'let x = 1;\n' });
});

test('the CommonJS pass says which input line each output line comes from', () => {
  const js =
    'import * as p from "path";\nlet a = 1;\nfunction f() {\n  return a;\n}\nexport { a, f };\n';
  const { text, lines } = toCommonJsWithLines(ts, js)!;
  const out = text.split('\n');
  expect(lines).toHaveLength(out.length);
  out.forEach((line, i) => {
    if (line === 'let a = 1;') expect(lines[i]).toBe(1);
    if (line === '  return a;') expect(lines[i]).toBe(3);
    if (line.startsWith('const p = ')) expect(lines[i]).toBe(0);
    if (line.startsWith('var __gaissa')) expect(lines[i]).toBe(-1);
  });
  expect(composeLines([2, -1, 0, 9], [5, 6, 7])).toEqual([7, -1, 5, -1]);
});

test('a claimed conversion is found by the script V8 ran, its lines counted in the body', () => {
  // Source-file lines: 0 is tslab's `export {};`, 1 the masked magic, 2.. the body.
  noteConversion('let a = 1;\nlet b = 2;\n', [2, 3, -1]);
  claimConversion(7, '//gaissa profile\nlet a = 1;\nlet b = 2;', 1);
  const script = cellScriptOf(
    '(function(exports, require) { let a = 1;\nlet b = 2;\n\n})(__tslab__.exports, __tslab__.require)'
  )!;
  expect(script.cell).toBe(7);
  expect(script.body).toEqual(['let a = 1;', 'let b = 2;']);
  expect([1, 2, 3, 99].map(script.lineOf)).toEqual([1, 2, undefined, undefined]);
  expect(
    cellScriptOf('(function(exports, require) { other\n})(__tslab__.exports, __tslab__.require)')
  ).toBeUndefined();
});

test('a run that converted nothing claims no older conversion', () => {
  noteConversion('let a = 1;\n', [1]);
  clearConversion();
  claimConversion(8, 'let a = 1;', 0);
  expect(
    cellScriptOf(
      '(function(exports, require) { let a = 1;\n\n})(__tslab__.exports, __tslab__.require)'
    )
  ).toBeUndefined();
});
