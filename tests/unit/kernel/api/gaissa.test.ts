/**
 * The kernel imports kernel/api/gaissa.ts at start, for every notebook: it must not load ONNX
 * Runtime, tfjs, ajv or the other heavy packages, and its members must still work once used,
 * loading them then. Checked in a child Node process (the sources compiled by a small `.ts` hook),
 * since jest's own module registry does not show what a real `require` loads.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../../..');
const HEAVY = [
  'onnxruntime-node',
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-core',
  'ajv',
  'onnx-proto',
  'protobufjs',
  'yaml',
  'csv-parse',
  'csv-stringify'
];

/** Runs `body` (JavaScript with `gaissa`, `loaded()` and `report(value)`) in a fresh Node. */
function inChild(body: string): Record<string, unknown> {
  const script = `
    const ts = require(${JSON.stringify(join(root, 'node_modules', 'typescript'))});
    const { readFileSync } = require('node:fs');
    require.extensions['.ts'] = (module, file) => module._compile(
      ts.transpileModule(readFileSync(file, 'utf8'), {
        fileName: file,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022,
          esModuleInterop: true, resolveJsonModule: true }
      }).outputText, file);
    const heavy = ${JSON.stringify(HEAVY)};
    const loaded = () => heavy.filter(name => Object.keys(require.cache).some(file =>
      file.includes('/node_modules/' + name + '/')));
    const out = {};
    const report = (key, value) => { out[key] = value; };
    const { gaissa } = require(${JSON.stringify(join(root, 'kernel', 'api', 'gaissa.ts'))});
    (async () => { ${body} })().then(
      () => process.stdout.write(JSON.stringify(out)),
      e => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
  `;
  const cwd = mkdtempSync(join(tmpdir(), 'gaissa-api-'));
  try {
    const child = spawnSync(process.execPath, ['-e', script], {
      cwd,
      encoding: 'utf8',
      env: process.env,
      timeout: 120_000
    });
    if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
    return JSON.parse(child.stdout) as Record<string, unknown>;
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

test('importing the API the kernel uses loads none of the heavy packages', () => {
  const out = inChild(`report('loaded', loaded());`);
  expect(out.loaded).toEqual([]);
});

test('the kernel module loads no meters, record sinks or carbon data until a cell measures', () => {
  const out = inChild(`
    require(${JSON.stringify(join(root, 'kernel', 'kernel.ts'))});
    report('loaded', Object.keys(require.cache)
      .filter(f => /node_modules\\/@tgwf\\/co2\\/|kernel\\/(meters|records|measure\\/session)\\b/.test(f)
        && !/records\\/(attribution|server-url|team-view-comm)/.test(f))
      .map(f => f.slice(${JSON.stringify(root)}.length)));
  `);
  expect(out.loaded).toEqual([]);
});

test('each lazily loaded member works on first use and loads what it needs then', () => {
  const out = inChild(`
    report('config', Object.keys(gaissa.config.get().settings).length > 0);
    report('afterConfig', loaded());
    const manual = gaissa.meter();
    report('meter', typeof manual.begin === 'function' && typeof manual.end === 'function');
    report('tactics', gaissa.tactics.list().map(t => t.id).includes('quantize-dynamic'));
    report('afterTactics', loaded().includes('onnxruntime-node'));
    report('model', typeof gaissa.model.load === 'function' && 'load' in gaissa.model);
    report('compare', await gaissa.compare([], { inputs: [] }).then(() => 'resolved', e => e.message));
    report('hf', typeof gaissa.hf.mine === 'function');
    report('shown', require('node:util').inspect(gaissa.tactics));
    const view = await gaissa.label({
      phase: 'inference', population: 'fixed', method: 'measured',
      metrics: { energyPerInferenceJ: 0.4, latencyMs: 12, accuracy: 0.8 },
      model: { name: 'm' }, issued: '2025-01-01T00:00:00.000Z'
    }, { record: false });
    report('label', view.record.rating);
    report('afterLabel', loaded().includes('ajv'));
    const m = await gaissa.measure(() => 42, { repeat: 1, warmup: 0, baseline: 0, log: false });
    report('measure', m.result);
  `);
  expect(out.config).toBe(true);
  // Reading the settings needs none of the heavy packages either.
  expect(out.afterConfig).toEqual([]);
  expect(out.meter).toBe(true);
  expect(out.tactics).toBe(true);
  expect(out.afterTactics).toBe(true);
  expect(out.model).toBe(true);
  // Forwarded to the tactics module's compare, which refuses an empty list of variants.
  expect(out.compare).toMatch(/variant/i);
  expect(out.hf).toBe(true);
  // A cell showing a lazy member sees the loaded object, not the stand-in.
  expect(out.shown).toMatch(/apply: \[(Async)?Function/);
  expect(out.label).toMatch(/^[A-E]$/);
  expect(out.afterLabel).toBe(true);
  expect(out.measure).toBe(42);
});
