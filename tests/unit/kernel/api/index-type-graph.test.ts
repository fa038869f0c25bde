/**
 * Every notebook cell is type-checked with `gaissa` declared as `typeof import('gaissa').gaissa`
 * (kernel.ts), so every file the API's declarations reach is loaded into every cell's program
 * (issue #2: tfjs's ~600 .d.ts files made each kernel parse them before its first cell). This emits the declarations of
 * kernel/api/index.ts in memory from the sources, as `npm run build` would, then builds the
 * program a cell sees from them and checks which packages it holds.
 */
import * as ts from 'typescript';
import { join, resolve, sep } from 'node:path';

const root = resolve(__dirname, '../../../..');
/** Where the in-memory declarations live: not on disk, so no stale build can stand in. */
const outDir = join(root, '__api_dts__');

function emitApiDeclarations(): Map<string, string> {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: d => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      }
    }
  )!;
  const options = { ...config.options, outDir, emitDeclarationOnly: true, sourceMap: false };
  const program = ts.createProgram([join(root, 'kernel', 'api', 'index.ts')], options);
  const files = new Map<string, string>();
  const result = program.emit(undefined, (name, text) => files.set(resolve(name), text));
  const errors = result.diagnostics.filter(d => d.category === ts.DiagnosticCategory.Error);
  expect(errors.map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  return files;
}

/** The files of a program like a cell's: one file importing the API's declarations. */
function cellProgramFiles(declarations: Map<string, string>): string[] {
  const cell = join(outDir, '__cell__.ts');
  const sources = new Map(declarations);
  sources.set(cell, "import { gaissa } from './kernel/api/index';\nexport const g = gaissa;\n");
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    typeRoots: [join(root, 'node_modules', '@types')],
    esModuleInterop: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    noEmit: true
  };
  const host = ts.createCompilerHost(options);
  const inMemory = (name: string) => sources.get(resolve(name));
  const underOut = (name: string) => resolve(name).startsWith(outDir + sep);
  host.fileExists = name =>
    inMemory(name) !== undefined || (!underOut(name) && ts.sys.fileExists(name));
  host.directoryExists = dir =>
    underOut(dir)
      ? [...sources.keys()].some(f => f.startsWith(resolve(dir) + sep))
      : ts.sys.directoryExists(dir);
  host.readFile = name => inMemory(name) ?? (underOut(name) ? undefined : ts.sys.readFile(name));
  const original = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError, shouldCreate) => {
    const text = inMemory(name);
    return text !== undefined
      ? ts.createSourceFile(name, text, version)
      : original(name, version, onError, shouldCreate);
  };
  const program = ts.createProgram([cell], options, host);
  const problems = ts
    .getPreEmitDiagnostics(program)
    .map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(problems).toEqual([]);
  return program.getSourceFiles().map(f => f.fileName);
}

describe('the declarations a cell loads for the `gaissa` binding', () => {
  let files: string[];
  beforeAll(() => {
    files = cellProgramFiles(emitApiDeclarations());
  }, 180_000);

  test('hold the gaissa API and its training types', () => {
    const ours = files.filter(f => f.startsWith(outDir)).map(f => f.slice(outDir.length + 1));
    expect(ours).toEqual(
      expect.arrayContaining([
        join('kernel', 'api', 'index.d.ts'),
        join('kernel', 'api', 'train.d.ts'),
        join('kernel', 'training', 'tfjs-shapes.d.ts')
      ])
    );
  });

  test('hold no TensorFlow.js declarations', () => {
    expect(files.filter(f => f.includes('@tensorflow'))).toEqual([]);
  });
});
