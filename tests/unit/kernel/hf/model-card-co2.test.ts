/** Reading co2_eq_emissions from a model card's front matter: the forms accepted and the nonsense refused. */
import { frontMatter, MAX_EMISSIONS_G, readCardCo2 } from '../../../../kernel/hf/model-card-co2';

const card = (yaml: string, body = '# Model\n') => `---\n${yaml}\n---\n${body}`;

function grams(readme: string): number {
  const reading = readCardCo2(readme);
  if (reading.kind !== 'reports') throw new Error(`not reported: ${JSON.stringify(reading)}`);
  return reading.co2.emissionsG;
}

function reason(readme: string): string {
  const reading = readCardCo2(readme);
  if (reading.kind !== 'malformed') throw new Error(`not malformed: ${JSON.stringify(reading)}`);
  return reading.reason;
}

describe('readCardCo2', () => {
  test('a bare number is grams', () => {
    expect(grams(card('license: mit\nco2_eq_emissions: 149200'))).toBe(149200);
    expect(grams(card('co2_eq_emissions: 0.25'))).toBe(0.25);
  });

  test('the documented mapping, with its fields, the datasets and the library', () => {
    const reading = readCardCo2(
      card(
        [
          'datasets: [squad, glue]',
          'library_name: transformers',
          'co2_eq_emissions:',
          '  emissions: 7.5',
          '  source: AutoTrain',
          '  training_type: fine-tuning',
          '  geographical_location: Quebec, Canada',
          '  hardware_used: 1 x A100'
        ].join('\n')
      )
    );
    expect(reading).toEqual({
      kind: 'reports',
      co2: {
        emissionsG: 7.5,
        source: 'AutoTrain',
        trainingType: 'fine-tuning',
        location: 'Quebec, Canada',
        hardware: '1 x A100',
        datasets: ['squad', 'glue'],
        libraryName: 'transformers'
      }
    });
  });

  test.each([
    ['co2_eq_emissions: "1.2 kg"', 1200],
    ['co2_eq_emissions: "1.2kg CO2eq"', 1200],
    ['co2_eq_emissions: "0.5 t"', 500000],
    ['co2_eq_emissions: "250 g"', 250],
    ['co2_eq_emissions:\n  emissions: 3\n  emissions_unit: kg', 3000],
    ['co2_eq_emissions:\n  emissions: 3\n  unit: KG', 3000],
    ['co2_eq_emissions:\n  emissions: "2 kilograms"', 2000],
    ['co2_eq_emissions:\n  emissions: "2 kg"\n  emissions_unit: kilograms', 2000],
    ['co2_eq_emissions:\n  emissions: "12.5"', 12.5]
  ])('units are normalised to grams: %s', (yaml, expected) => {
    expect(grams(card(yaml))).toBeCloseTo(expected, 9);
  });

  test('a card without the key, or without front matter, says nothing', () => {
    expect(readCardCo2(card('license: mit')).kind).toBe('silent');
    expect(readCardCo2('# Just a README\n').kind).toBe('silent');
    expect(readCardCo2('').kind).toBe('silent');
    expect(readCardCo2('---\n---\n# empty front matter\n').kind).toBe('silent');
  });

  test.each([
    ['co2_eq_emissions: -5', /negative/],
    ['co2_eq_emissions:\n  emissions: -0.1', /negative/],
    ['co2_eq_emissions: abc', /"abc" is not a number/],
    ['co2_eq_emissions:\n  emissions: "lots"', /not a number/],
    ['co2_eq_emissions: .nan', /not a finite number/],
    ['co2_eq_emissions: .inf', /not a finite number/],
    [`co2_eq_emissions: ${MAX_EMISSIONS_G * 10}`, /beyond any training run/],
    ['co2_eq_emissions: "1e300 kg"', /not a finite number|beyond any/],
    ['co2_eq_emissions:\n  source: AutoTrain', /gives no emissions/],
    ['co2_eq_emissions:', /gives no emissions/],
    ['co2_eq_emissions: true', /not a number/],
    ['co2_eq_emissions: [1, 2]', /is a list/],
    ['co2_eq_emissions:\n  emissions: 3\n  emissions_unit: lb', /unknown emissions unit "lb"/],
    ['co2_eq_emissions: "3 lb"', /unknown emissions unit "lb"/],
    ['co2_eq_emissions:\n  emissions: 3\n  emissions_unit: [kg]', /unit is not text/],
    [
      'co2_eq_emissions:\n  emissions: "3 g"\n  emissions_unit: kg',
      /say "g" but the unit field says "kg"/
    ]
  ])('nonsense is malformed, never imported: %s', (yaml, why) => {
    expect(reason(card(yaml))).toMatch(why);
  });

  test('broken front matter is malformed with its reason', () => {
    expect(reason('---\nco2_eq_emissions: 5\n# no closing fence\n')).toMatch(/never closes/);
    expect(reason(card('co2_eq_emissions: [1, 2\nlicense: mit'))).toMatch(/not valid YAML/);
    expect(reason(card('- a list\n- not a mapping'))).toMatch(/not a mapping/);
    expect(reason(card('co2_eq_emissions: 1\nco2_eq_emissions: 2'))).toMatch(/not valid YAML/);
  });

  test('aliases cannot expand without bound (a "billion laughs" card)', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    lines.push('co2_eq_emissions: 5');
    expect(reason(card(lines.join('\n')))).toMatch(/cannot be read/);
  });

  test('front matter with CRLF line ends and a byte-order mark', () => {
    expect(grams('\uFEFF---\r\nco2_eq_emissions: 42\r\n---\r\nbody\r\n')).toBe(42);
    expect(frontMatter('---\r\na: 1\r\n---\r\n')).toEqual({ yaml: 'a: 1' });
  });
});
