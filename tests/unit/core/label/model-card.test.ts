import { parse } from 'yaml';
import { buildLabelRecord } from '../../../../core/label/record';
import { co2EqEmissions, mergeModelCard } from '../../../../core/label/model-card';

const SHA = 'b'.repeat(64);
/** A training label derived from a fully counter-measured record (its content as evidence). */
const training = buildLabelRecord(
  {
    phase: 'training',
    metrics: { accuracy: 0.9 },
    measurements: [{ path: 'run.json', sha256: SHA }],
    derive: { measurement: 0 },
    model: { name: 'net' },
    context: { location: 'Spain', hardware: '1 x Intel Xeon (CPU)', trainingType: 'fine-tuning' },
    issued: '2025-06-01T00:00:00Z'
  },
  new Date(),
  [{ energyJ: 7.2e6, co2eG: 149.2, coverage: 1 }]
);
const block = co2EqEmissions(training);

describe('Hugging Face co2_eq_emissions', () => {
  test('emissions in grams, with source, training type, location and hardware', () => {
    expect(block).toEqual({
      emissions: 149.2,
      source:
        'GAISSA for JupyterLab (measured, label A on basis gaissa-training-v1, issued 2025-06-01)',
      training_type: 'fine-tuning',
      geographical_location: 'Spain',
      hardware_used: '1 x Intel Xeon (CPU)'
    });
    expect(co2EqEmissions(training, { location: 'FR', source: 'CodeCarbon' })).toMatchObject({
      geographical_location: 'FR',
      source: 'CodeCarbon'
    });
  });

  test('the source says the derived method, and a custom basis as such', () => {
    const typed = buildLabelRecord({
      phase: 'training',
      method: 'measured',
      metrics: { trainingCo2eKg: 0.1492 },
      reference: { trainingCo2eKg: 10 },
      issued: '2025-06-01T00:00:00Z'
    });
    expect(co2EqEmissions(typed).source).toBe(
      'GAISSA for JupyterLab (declared, label A on custom basis, issued 2025-06-01)'
    );
    const partly = buildLabelRecord(
      {
        phase: 'training',
        measurements: [{ path: 'run.json', sha256: SHA }],
        derive: {},
        issued: '2025-06-01T00:00:00Z'
      },
      new Date(),
      [{ energyJ: 7.2e6, co2eG: 149.2, coverage: 0.4 }]
    );
    expect(co2EqEmissions(partly).source).toMatch(
      /^GAISSA for JupyterLab \(partly measured \(40 % counter\),/
    );
  });

  test('an inference label is refused: the card field is about training', () => {
    const inference = buildLabelRecord({ phase: 'inference', metrics: { latencyMs: 1 } });
    expect(() => co2EqEmissions(inference)).toThrow(/metrics\.trainingCo2eKg/);
  });
});

describe('mergeModelCard keeps everything else', () => {
  const card = [
    '---',
    '# card metadata',
    'license: apache-2.0 # keep this comment',
    'tags:',
    '  - image-classification',
    'co2_eq_emissions:',
    '  emissions: 1',
    '  hardware_used: stale GPU',
    'model-index:',
    '  - name: net',
    '---',
    '# net',
    '',
    'A model. A line with --- inside.',
    '---',
    'trailing rule'
  ].join('\n');

  test('replaces the block, keeps other keys, comments and the body byte for byte', () => {
    const merged = mergeModelCard(card, block);
    const [, front, ...rest] = merged.split(/^---$/m);
    expect(rest.join('---')).toBe(card.split(/^---$/m).slice(2).join('---'));
    expect(front).toContain('# card metadata');
    expect(front).toContain('license: apache-2.0 # keep this comment');
    const meta = parse(front);
    expect(meta.tags).toEqual(['image-classification']);
    expect(meta['model-index']).toEqual([{ name: 'net' }]);
    expect(meta.co2_eq_emissions).toEqual(block);
    expect(meta.co2_eq_emissions.hardware_used).toBe('1 x Intel Xeon (CPU)');
  });

  test('is idempotent', () => {
    const once = mergeModelCard(card, block);
    expect(mergeModelCard(once, block)).toBe(once);
  });

  test('adds front matter to a card without one, body unchanged after it', () => {
    const merged = mergeModelCard('# Title\n\nBody\n', block);
    expect(merged.startsWith('---\nco2_eq_emissions:\n')).toBe(true);
    expect(merged.endsWith('---\n\n# Title\n\nBody\n')).toBe(true);
    expect(mergeModelCard('', block)).toMatch(/^---\nco2_eq_emissions:[\s\S]*---\n$/);
  });

  test('keeps CRLF line endings and a byte-order mark', () => {
    const merged = mergeModelCard('\uFEFF---\r\nlicense: mit\r\n---\r\nbody\r\n', block);
    expect(merged.startsWith('\uFEFF---\r\nlicense: mit\r\nco2_eq_emissions:\r\n')).toBe(true);
    expect(merged.endsWith('---\r\nbody\r\n')).toBe(true);
    expect(merged.replace(/\r\n/g, '')).not.toContain('\n');
  });

  test('refuses broken front matter rather than overwrite it', () => {
    expect(() => mergeModelCard('---\nlicense: mit\n', block)).toThrow(/no closing/);
    expect(() => mergeModelCard('---\na: [\n---\n', block)).toThrow(/not valid YAML/);
    expect(() => mergeModelCard('---\n- a\n---\n', block)).toThrow(/mapping/);
  });
});
