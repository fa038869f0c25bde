/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// %gaissa optimize: typed options through the registry, the same output as the API.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { connectOutput, gaissa } from '../../../../kernel/api';
import { CommManager } from '../../../../kernel/comms';
import { allMagics } from '../../../../kernel/magics/all';
import { MagicContext } from '../../../../kernel/magics/context';
import { tokenize } from '../../../../kernel/magics/parse';
import { MagicRegistry } from '../../../../kernel/magics/registry';
import { closeMeasureSession } from '../../../../kernel/measure/current';
import { mlpModel } from '../../../../kernel/onnx/synthetic-models';
import { expectUnchanged, expectValid, inputs, modelFile, tempDir } from '../fixtures/tactics';
import { TACTICS_MIME } from '../../../../core/mime-types';

const registry = new MagicRegistry<MagicContext>();
for (const magic of allMagics) registry.register(magic);

async function run(line: string) {
  const shown: Array<Record<string, unknown>> = [];
  connectOutput({
    display: data => shown.push(data),
    updateDisplay: () => undefined,
    clearOutput: () => undefined,
    page: () => undefined
  });
  const printed: string[] = [];
  const ctx: MagicContext = {
    api: gaissa,
    comms: undefined as unknown as CommManager,
    registry,
    print: t => printed.push(t)
  };
  const { command, args } = registry.resolve({
    kind: 'line',
    line: 0,
    tokens: tokenize(line),
    source: line
  });
  try {
    await command.line!(args, ctx);
    return { shown, printed: printed.join(''), error: undefined };
  } catch (error) {
    return { shown, printed: printed.join(''), error: error as Error };
  }
}

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir()));
afterEach(() => {
  tmp.remove();
  connectOutput(undefined);
});
afterAll(() => closeMeasureSession());

test('help lists the magic and its options; --tactics help lists the tactics', async () => {
  expect(registry.help()).toMatch(/optimize +\[line\] apply green tactics/);
  expect(registry.help('optimize')).toMatch(/--tactics <string>/);
  const r = await run('optimize model.onnx --tactics help');
  expect(r.printed).toMatch(
    /quantize-dynamic\[:per-channel\|per-tensor\|reduce-range\|full-range\|conv\]/
  );
});

test('applies each tactic, shows the reports, saves the variants, leaves the model alone', async () => {
  const file = await modelFile(tmp.dir, 'mlp.onnx', mlpModel({ sizes: [784, 32, 10] }));
  const out = join(tmp.dir, 'variants');
  const r = await run(
    `optimize ${file.path} --tactics quantize-dynamic,prune-magnitude:0.5,prune-structured:0.5+fp16 --save-dir ${out}`
  );
  expect(r.error).toBeUndefined();
  expect(r.shown.map(b => (b['text/plain'] as string).split('\n')[0])).toEqual([
    expect.stringMatching(/^ONNX model mlp/),
    expect.stringMatching(/^Variant quantize-dynamic of mlp/),
    expect.stringMatching(/^Variant prune-magnitude:0.5 of mlp/),
    expect.stringMatching(/^Variant prune-structured:0.5\+fp16 of mlp/)
  ]);
  expect(readdirSync(out).sort()).toEqual([
    'mlp-prune-magnitude_0.5.onnx',
    'mlp-prune-structured_0.5_fp16.onnx',
    'mlp-quantize-dynamic.onnx'
  ]);
  expectUnchanged(file);
});

test('--eval compares on a registered dataset; errors name the option', async () => {
  const file = await modelFile(tmp.dir, 'mlp.onnx', mlpModel({ sizes: [784, 16, 10] }));
  gaissa.tactics.dataset('digits', {
    inputs: inputs(32),
    labels: Array.from({ length: 32 }, (_, i) => i % 10)
  });
  const r = await run(`optimize ${file.path} --tactics quantize-dynamic --eval digits --repeat 1`);
  expect(r.error).toBeUndefined();
  const comparison = r.shown.find(b => TACTICS_MIME in b)!;
  expectValid(comparison[TACTICS_MIME]);
  expect((comparison[TACTICS_MIME] as { metric: string }).metric).toBe('accuracy');
  expect((await run(`optimize ${file.path}`)).error?.message).toMatch(/needs --tactics/);
  expect((await run(`optimize ${file.path} --tactics squash`)).error?.message).toMatch(
    /--tactics: squash: unknown tactic/
  );
  expect(
    (await run(`optimize ${file.path} --tactics fp16 --eval nothing-here`)).error?.message
  ).toMatch(/--eval\/--calibration nothing-here: cannot read data file/);
  expect((await run(`optimize ${file.path} --tactics quantize-static`)).error?.message).toMatch(
    /needs calibration data/
  );
});
