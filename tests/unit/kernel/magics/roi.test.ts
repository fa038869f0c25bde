/** %gaissa roi: typed options through the registry, same output as the API. */
import { connectOutput } from '../../../../kernel/api';
import { MagicError } from '../../../../kernel/magics/parse';
import { scenarioFromOptions } from '../../../../kernel/magics/roi';
import { computeRoi } from '../../../../core/roi';
import { ROI_CATALOGUE } from '../../../../core/roi-catalogue';
import { ROI_MIME } from '../../../../core/mime-types';
import { expectValid, validateRoi } from '../../fixtures/api-outputs';
import { resolve, run } from './fixtures/run-magic';

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
