/** `gaissa roi --json FILE|-`: the CLI contract of issue 6, item 2. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGaissa as gaissa } from '../fixtures/run-cli';

const scenario = {
  baselineEnergyJ: 1000,
  optimizedEnergyJ: 400,
  pricePerKWh: 0.36,
  implementationCost: 300,
  inferences: 1e7,
  carbonIntensity: 250
};

const RESULT_FIELDS = [
  'costPerInferenceBaseline',
  'costPerInferenceOptimized',
  'breakEvenInferences',
  'roi',
  'roiUnlimited',
  'savings',
  'energySavedKWh',
  'co2SavedKg'
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gaissa-roi-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('reads a scenario from standard input and prints the result JSON', async () => {
  const run = await gaissa(['roi', '--json', '-'], JSON.stringify(scenario));
  expect(run).toMatchObject({ code: 0, stderr: '' });
  const result = JSON.parse(run.stdout);
  for (const field of RESULT_FIELDS) expect(result).toHaveProperty(field);
  expect(result.roi).toBeCloseTo(300 / 700, 12);
  expect(result.breakEvenInferences).toBeCloseTo(5e6, 3);
  expect(result.co2SavedKg).toBeCloseTo(((600 * 1e7) / 3.6e6) * 0.25, 9);
  expect(result).not.toHaveProperty('npv');
});

test('reads a file; a time scenario adds npv, paybackDays and the yearly series', async () => {
  const file = join(dir, 'timed.json');
  writeFileSync(
    file,
    JSON.stringify({ ...scenario, inferencesPerDay: 10000, horizonYears: 3, discountRate: 0.1 })
  );
  const run = await gaissa(['roi', '--json', file]);
  expect(run.code).toBe(0);
  const result = JSON.parse(run.stdout);
  expect(result.npv).toBeCloseTo(244.6205, 3);
  expect(result.paybackDays).toBeCloseTo(500, 9);
  expect(result.yearly).toHaveLength(3);
});

test('no saving: breakEvenInferences is null, never NaN or Infinity', async () => {
  const run = await gaissa(
    ['roi', '--json', '-'],
    JSON.stringify({ ...scenario, optimizedEnergyJ: 1000, implementationCost: 0, inferences: 0 })
  );
  expect(run.code).toBe(0);
  expect(run.stdout).not.toMatch(/NaN|Infinity/);
  const result = JSON.parse(run.stdout);
  expect(result.breakEvenInferences).toBeNull();
  expect(result.roi).toBeNull();
  expect(result.explanations.breakEvenInferences).toMatch(/no saving/);
});

test('invalid input exits 2 and names every offending field on stderr', async () => {
  const run = await gaissa(
    ['roi', '--json', '-'],
    JSON.stringify({
      baselineEnergyJ: -5,
      optimizedEnergyJ: 'x',
      pricePerKWh: 0,
      inferences: 10,
      pue: 0.5
    })
  );
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  for (const field of [
    'baselineEnergyJ',
    'optimizedEnergyJ',
    'pricePerKWh',
    'implementationCost',
    'pue'
  ]) {
    expect(run.stderr).toMatch(new RegExp(`^  ${field}: `, 'm'));
  }
  expect(run.stderr).toMatch(/^gaissa roi: invalid scenario:/);
  expect(run.stderr).not.toMatch(/NaN/);
});

test.each([
  ['not an object', '[1, 2]', /\(scenario\): must be a JSON object/],
  ['not JSON', '{ nope', /standard input is not valid JSON/],
  ['empty input', '', /not valid JSON/]
])('%s exits 2', async (_name, stdin, message) => {
  const run = await gaissa(['roi', '--json', '-'], stdin);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(message);
});

test('usage errors exit 2', async () => {
  expect((await gaissa(['roi'])).stderr).toMatch(/--json FILE\|- is required/);
  const unknown = await gaissa(['roi', '--jsn', 'x']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/Unknown option '--jsn'/);
  expect((await gaissa(['roi', '--json', 'a', 'extra'])).code).toBe(2);
  const missing = await gaissa(['roi', '--json', join(dir, 'missing.json')]);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/cannot read/);
});

test('--text prints the readable summary', async () => {
  const run = await gaissa(['roi', '--json', '-', '--text'], JSON.stringify(scenario));
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^GAISSA ROI\n/);
  expect(run.stdout).toMatch(/Break-even\s+5,000,000 inferences/);
});

test('--help and the command list', async () => {
  const help = await gaissa(['roi', '--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/Usage: gaissa roi --json FILE\|-/);
  expect(help.stdout).toMatch(/Required fields: baselineEnergyJ, optimizedEnergyJ, pricePerKWh/);
  expect((await gaissa(['--help'])).stdout).toMatch(/^\s+roi\s+ROI, break-even/m);
});

/**
 * The real process boundary (stdin, stdout, stderr, exit code) from the current sources, so no
 * build of lib/ is needed: what bin/gaissa.js does, with .ts modules transpiled on require.
 */
const root = join(__dirname, '../../../..');
const FROM_SOURCES = `
const ts = require('typescript');
const fs = require('node:fs');
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true }
  });
  module._compile(outputText, filename);
};
const { main, processIO } = require(${JSON.stringify(join(root, 'kernel/cli/main.ts'))});
main(process.argv.slice(1), processIO).then(code => { process.exitCode = code; });
`;
const cli = (input: string) =>
  spawnSync(process.execPath, ['-e', FROM_SOURCES, 'roi', '--json', '-'], {
    cwd: root,
    input,
    encoding: 'utf8'
  });

test('as a process: the result on stdout and exit 0; invalid input on stderr and exit 2', () => {
  const ok = cli(JSON.stringify(scenario));
  expect(ok.stderr).toBe('');
  expect(ok.status).toBe(0);
  expect(JSON.parse(ok.stdout).roi).toBeCloseTo(300 / 700, 12);
  const bad = cli(JSON.stringify({ ...scenario, pricePerKWh: 0, inferences: -1 }));
  expect(bad.status).toBe(2);
  expect(bad.stdout).toBe('');
  expect(bad.stderr).toMatch(/pricePerKWh: must be greater than 0/);
  expect(bad.stderr).toMatch(/inferences: must be at least 0/);
});
