/** %gaissa label: typed options through the registry, same output as the API. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectOutput } from '../../../../kernel/api';
import { requestFromOptions } from '../../../../kernel/magics/label';
import { MagicError } from '../../../../kernel/magics/parse';
import { LABEL_MIME } from '../../../../core/mime-types';
import { expectValid, validateLabel, validateLabelMetadata } from '../../fixtures/api-outputs';
import { registry, resolve, run } from './fixtures/run-magic';

afterEach(() => connectOutput(undefined));

describe('%gaissa label', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gaissa-label-magic-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('options parse into a label request, SCI from --carbon-intensity', () => {
    const { args } = resolve(
      'label --energy-per-inference-j 0.36 --latency-ms 12 --accuracy 0.9 --model "MLP v2" ' +
        '--method measured --carbon-intensity 100 --population fixed'
    );
    expect(requestFromOptions(args.options)).toEqual({
      phase: 'inference',
      population: 'fixed',
      metrics: { energyPerInferenceJ: 0.36, latencyMs: 12, accuracy: 0.9 },
      model: { name: 'MLP v2' },
      method: 'measured',
      sci: {
        energyKWh: 1e-7,
        carbonIntensity: 100,
        functionalUnits: 1,
        functionalUnit: 'inference',
        boundary: expect.any(String)
      }
    });
    expect(() => resolve('label --phase deployment')).toThrow(/inference, training/);
    expect(() => resolve('label --method guessed')).toThrow(/measured, estimated/);
  });

  test('displays the label with the recording metadata and writes --out', async () => {
    const out = join(dir, 'LABEL.json');
    const { shown, printed, error } = await run(
      `label --population fixed --energy-per-inference-j 0.2 --latency-ms 5 --model mlp --out ${out}`
    );
    expect(error).toBeUndefined();
    expect(shown).toHaveLength(1);
    expectValid(validateLabel, shown[0].data[LABEL_MIME]);
    expect(shown[0].data['image/svg+xml']).toMatch(/^<svg/);
    const meta = shown[0].metadata[LABEL_MIME];
    expectValid(validateLabelMetadata, meta);
    expect(meta).toMatchObject({ record: true, file: out });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(shown[0].data[LABEL_MIME]);
    expect(printed).toContain(`label written to ${out}`);
  });

  test('--min fails the cell after showing the label; --no-record opts out', async () => {
    const failing = await run(
      'label --population fixed --energy-per-inference-j 40 --min b --no-record'
    );
    expect(failing.shown).toHaveLength(1);
    expect(failing.shown[0].metadata[LABEL_MIME]).toMatchObject({ record: false });
    expect(failing.error).toBeInstanceOf(MagicError);
    expect(failing.error?.message).toBe('label rating E is worse than the minimum B');
    const passing = await run('label --population fixed --energy-per-inference-j 0.1 --min B');
    expect(passing.error).toBeUndefined();
    expect((await run('label --energy-per-inference-j 1 --min Z')).error?.message).toMatch(
      /--min must be one of A, B, C, D, E/
    );
  });

  test('bad values name the option', async () => {
    const negative = await run('label --latency-ms -3');
    expect(negative.error).toBeInstanceOf(MagicError);
    expect(negative.error?.message).toMatch(/^%gaissa label --latency-ms: must not be negative/);
    const wrongPhase = await run('label --phase training --latency-ms 3');
    expect(wrongPhase.error?.message).toMatch(/--latency-ms: not a training metric/);
    const none = await run('label');
    expect(none.error?.message).toMatch(/metrics: no metrics given/);
    const sci = await run('label --latency-ms 3 --carbon-intensity 100');
    expect(sci.error?.message).toMatch(/--carbon-intensity .* needs --energy-per-inference-j/);
  });

  test('help lists both magics and their options', () => {
    expect(registry.help()).toMatch(/^ {2}roi +\[line\]/m);
    expect(registry.help()).toMatch(/^ {2}label +\[line\]/m);
    expect(registry.help('roi')).toContain('--baseline-energy <number>');
    expect(registry.help('label')).toContain('--energy-per-inference-j <number>');
  });
});
