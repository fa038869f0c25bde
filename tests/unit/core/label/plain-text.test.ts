import { buildLabelRecord, LabelRecord } from '../../../../core/label/record';
import { labelText } from '../../../../core/label/plain-text';

function record(extra: (r: Record<string, any>) => void = () => undefined): LabelRecord {
  const r = buildLabelRecord(
    {
      phase: 'training',
      population: 'fixed',
      metrics: { trainingCo2eKg: 0.5, accuracy: 0.9 },
      model: { name: 'tfjs-cnn' },
      issued: '2025-03-04T00:00:00.000Z'
    },
    new Date('2025-03-05T00:00:00Z')
  ) as unknown as Record<string, any>;
  // As a label issued before labels said what they were rated against.
  delete r.basis.against;
  extra(r);
  return r as unknown as LabelRecord;
}

const POPULATION = (r: Record<string, any>) => {
  r.basis.against = {
    kind: 'population',
    title: '1,417 Hugging Face models reporting training CO2e (Castaño et al., ESEM 2023)',
    name: 'hf-co2',
    source: 'HFCO2.csv (arXiv 2305.11164)'
  };
  r.metrics.trainingCo2eKg.percentile = 0.734;
  r.unrated = { trainingEnergyKWh: 12.5 };
};

describe('labelText', () => {
  test('an old label keeps its basis wording and lines', () => {
    expect(labelText(record()).split('\n')).toEqual([
      'GAISSA energy label A — tfjs-cnn (training, declared, basis gaissa-training-v1)',
      expect.stringMatching(/^ {2}A {2}Training carbon {2}500 g CO2e {2}\(index [\d.]+\)$/),
      expect.stringMatching(/^ {2}[A-E] {2}Accuracy {9}90 % {2}\(index [\d.]+\)$/),
      '  issued 2025-03-04T00:00:00.000Z'
    ]);
  });

  test('says what the label was rated against, where the model stands, and what was not rated', () => {
    const lines = labelText(record(POPULATION)).split('\n');
    expect(lines[0]).toBe('GAISSA energy label A — tfjs-cnn (training, declared)');
    expect(lines[1]).toBe(
      '  Rated against: 1,417 Hugging Face models reporting training CO2e (Castaño et al., ESEM 2023)'
    );
    expect(lines[2]).toBe('  Source: HFCO2.csv (arXiv 2305.11164)');
    expect(lines[3]).toMatch(/Training carbon .*, at least as good as 73 % of the population\)$/);
    // No percentile recorded: none claimed.
    expect(lines[4]).toMatch(/Accuracy .*\(index [\d.]+\)$/);
    expect(lines[5]).toBe('  -  Training energy  12.5 kWh  (not rated)');
  });

  test('unknown metric names show raw; malformed fields are left out', () => {
    const text = labelText(
      record(r => {
        POPULATION(r);
        r.metrics.trainingCo2eKg.percentile = 7;
        r.unrated = JSON.parse(
          '{"futureMetric": 3, "trainingEnergyKWh": "x", "<b>": 1, "__proto__": 2}'
        );
        r.basis.against.source = 42;
      })
    );
    expect(text).toContain('  -  futureMetric     3  (not rated)');
    expect(text).not.toContain('population)');
    expect(text).not.toContain('Training energy');
    expect(text).not.toContain('<b>');
    expect(text).not.toContain('__proto__');
    expect(text).not.toContain('Source:');
  });

  test('an against without a title is no against: the old wording stays', () => {
    const text = labelText(record(r => (r.basis.against = { kind: 'population', title: ' ' })));
    expect(text).toContain('(training, declared, basis gaissa-training-v1)');
    expect(text).not.toContain('Rated against');
  });
});
