/** %gaissa roi and %gaissa label: typed options through the registry, same output as the API. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectOutput, gaissa } from '../../../../kernel/api';
import { CommManager } from '../../../../kernel/comms';
import { allMagics } from '../../../../kernel/magics/all';
import { MagicContext } from '../../../../kernel/magics/context';
import { MagicError, tokenize } from '../../../../kernel/magics/parse';
import { MagicRegistry } from '../../../../kernel/magics/registry';
import { requestFromOptions } from '../../../../kernel/magics/label';
import { scenarioFromOptions } from '../../../../kernel/magics/roi';
import { computeRoi } from '../../../../core/roi';
import { ROI_CATALOGUE } from '../../../../core/roi-catalogue';
import {
  expectValid,
  fakeSink,
  validateLabel,
  validateLabelMetadata,
  validateRoi
} from '../../fixtures/api-outputs';
import { LABEL_MIME, ROI_MIME } from '../../../../core/mime-types';

const registry = new MagicRegistry<MagicContext>();
for (const magic of allMagics) registry.register(magic);

function resolve(line: string) {
  return registry.resolve({ kind: 'line', line: 0, tokens: tokenize(line), source: line });
}

/** Runs a line magic with the real API and a fake output; returns what it showed and printed. */
async function run(line: string) {
  const sink = fakeSink();
  connectOutput(sink);
  const printed: string[] = [];
  const ctx: MagicContext = {
    api: gaissa,
    comms: undefined as unknown as CommManager,
    registry,
    print: text => printed.push(text)
  };
  const { command, args } = resolve(line);
  try {
    await command.line!(args, ctx);
    return { shown: sink.shown, printed: printed.join(''), error: undefined };
  } catch (error) {
    return { shown: sink.shown, printed: printed.join(''), error: error as Error };
  }
}

afterEach(() => connectOutput(undefined));

const ROI_LINE =
  'roi --baseline-energy 0.8 --optimized-energy 0.2 --price 0.25 --implementation-cost 2000 ' +
  '--inferences 1e9 --currency EUR';

describe('%gaissa roi', () => {
  test('options parse to typed numbers and map onto the scenario fields', () => {
    const { args } = resolve(
      `${ROI_LINE} --carbon-intensity 300 --pue 1.2 --inferences-per-day 1e6 --horizon-years 3 ` +
        '--discount-rate 0.05 --annual-growth 0.1 --carbon-price 80 --hardware-savings 100'
    );
    expect(scenarioFromOptions(args.options)).toEqual({
      baselineEnergyJ: 0.8,
      optimizedEnergyJ: 0.2,
      pricePerKWh: 0.25,
      implementationCost: 2000,
      inferences: 1e9,
      carbonIntensity: 300,
      pue: 1.2,
      inferencesPerDay: 1e6,
      horizonYears: 3,
      discountRate: 0.05,
      annualGrowth: 0.1,
      carbonPricePerTonne: 80,
      hardwareSavingsPerYear: 100,
      currency: 'EUR'
    });
    expect(() => resolve('roi --price cheap')).toThrow(/--price expects a number/);
    expect(() => resolve('roi --prize 1')).toThrow(/unknown option --prize.*--price/);
    expect(() => resolve('roi sometimes')).toThrow(/whatif, catalogue/);
  });

  test('displays the same bundle as gaissa.roi', async () => {
    const { shown, error } = await run(ROI_LINE);
    expect(error).toBeUndefined();
    expect(shown).toHaveLength(1);
    const payload = shown[0].data[ROI_MIME] as { result: unknown };
    expectValid(validateRoi, payload);
    expect(payload.result).toEqual(
      computeRoi({
        baselineEnergyJ: 0.8,
        optimizedEnergyJ: 0.2,
        pricePerKWh: 0.25,
        implementationCost: 2000,
        inferences: 1e9,
        currency: 'EUR'
      })
    );
    expect(shown[0].data['text/html']).toContain('<table>');
  });

  test('every offending option is named in the magic’s own words', async () => {
    const { error, shown } = await run('roi --baseline-energy -1 --price 0 --pue 0.5');
    expect(error).toBeInstanceOf(MagicError);
    for (const option of [
      '--baseline-energy',
      '--price',
      '--pue',
      '--optimized-energy',
      '--inferences'
    ]) {
      expect(error!.message).toContain(`  ${option}: `);
    }
    expect(shown).toHaveLength(0);
    expect((await run(`${ROI_LINE} --tactic deep-compression`)).error?.message).toMatch(
      /--tactic belongs to %gaissa roi whatif/
    );
  });

  test('whatif takes the optimized energy from the catalogue and says so', async () => {
    const tactic = ROI_CATALOGUE[0].id;
    const { shown, error } = await run(
      `roi whatif --tactic ${tactic} --baseline-energy 0.8 --price 0.25 --implementation-cost 0 --inferences 1e6`
    );
    expect(error).toBeUndefined();
    const payload = shown[0].data[ROI_MIME] as { expected: { tactic: string } };
    expectValid(validateRoi, payload);
    expect(payload.expected.tactic).toBe(tactic);
    expect(shown[0].data['text/plain']).toContain('Expected, not measured');
    const bad = await run('roi whatif --tactic nope --baseline-energy 1 --optimized-energy 1');
    expect(bad.error?.message).toMatch(/--tactic: unknown tactic "nope"/);
    expect(bad.error?.message).toMatch(/--optimized-energy: comes from the tactic/);
  });

  test('catalogue lists every tactic with its source', async () => {
    const { printed } = await run('roi catalogue');
    for (const entry of ROI_CATALOGUE) {
      expect(printed).toContain(entry.id);
      expect(printed).toContain(entry.source.url);
    }
  });
});

describe('%gaissa label', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gaissa-label-magic-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('options parse into a label request, SCI from --carbon-intensity', () => {
    const { args } = resolve(
      'label --energy-per-inference-j 0.36 --latency-ms 12 --accuracy 0.9 --model "MLP v2" ' +
        '--method measured --carbon-intensity 100'
    );
    expect(requestFromOptions(args.options)).toEqual({
      phase: 'inference',
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
      `label --energy-per-inference-j 0.2 --latency-ms 5 --model mlp --out ${out}`
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
    const failing = await run('label --energy-per-inference-j 40 --min b --no-record');
    expect(failing.shown).toHaveLength(1);
    expect(failing.shown[0].metadata[LABEL_MIME]).toMatchObject({ record: false });
    expect(failing.error).toBeInstanceOf(MagicError);
    expect(failing.error?.message).toBe('label rating E is worse than the minimum B');
    const passing = await run('label --energy-per-inference-j 0.1 --min B');
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
