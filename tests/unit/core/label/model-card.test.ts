import { parse } from 'yaml';
import { buildLabelRecord } from '../../../../core/label/record';
import {
  AI_ACT_BEGIN,
  AI_ACT_END,
  aiActCard,
  co2EqEmissions,
  mergeModelCard
} from '../../../../core/label/model-card';

const SHA = 'b'.repeat(64);
/** A training label derived from a fully counter-measured record (its content as evidence). */
const training = buildLabelRecord(
  {
    phase: 'training',
    population: 'fixed',
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
        'GAISSA for JupyterLab (measured, label A, rated against fixed reference gaissa-training-v1: ' +
        'distilgpt2 (403.2 kWh, 149.2 kg CO2e), issued 2025-06-01)',
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
      population: 'fixed',
      method: 'measured',
      metrics: { trainingCo2eKg: 0.1492 },
      reference: { trainingCo2eKg: 10 },
      issued: '2025-06-01T00:00:00Z'
    });
    expect(co2EqEmissions(typed).source).toBe(
      "GAISSA for JupyterLab (declared, label A, rated against a custom basis (gaissa-training-v1 with the issuer's own reference, boundaries or weights), issued 2025-06-01)"
    );
    const partly = buildLabelRecord(
      {
        phase: 'training',
        population: 'fixed',
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
    const inference = buildLabelRecord({
      phase: 'inference',
      population: 'fixed',
      metrics: { latencyMs: 1 }
    });
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

describe('EU AI Act Annex XI energy section in the card', () => {
  const withAct = buildLabelRecord(
    {
      phase: 'training',
      population: 'fixed',
      metrics: { accuracy: 0.9 },
      measurements: [{ path: 'run.json', sha256: SHA }],
      derive: { measurement: 0 },
      model: { name: 'net' },
      context: { location: 'Spain', hardware: '1 x Intel Xeon (CPU)' },
      aiAct: { trainingComputeFlops: 3.2e18, trainingTimeHours: 1.5 },
      issued: '2025-06-01T00:00:00Z'
    },
    new Date(),
    [{ energyJ: 7.2e6, co2eG: 149.2, coverage: 1 }]
  );
  const act = aiActCard(withAct);

  test('front matter fields: FLOPs, time, energy with its method and Annex XI word, context', () => {
    // 7.2e6 J / 3.6e6 J per kWh = 2 kWh, every joule counter-measured: "known".
    expect(act.front).toEqual({
      reference: 'Regulation (EU) 2024/1689 (AI Act), Annex XI, Section 1, point 2(d) and (e)',
      training_compute_flops: 3.2e18,
      training_time_hours: 1.5,
      energy_consumption_kwh: 2,
      energy_method: 'measured',
      energy_status: 'known (measured)',
      hardware_used: '1 x Intel Xeon (CPU)',
      geographical_location: 'Spain',
      source: expect.stringContaining('issued 2025-06-01')
    });
    expect(act.markdown).toContain(
      '| 2(d) Computational resources used for training | 3.2 × 10^18 FLOPs |'
    );
    expect(act.markdown).toContain('| 2(d) Training time | 1.5 h |');
    expect(act.markdown).toContain('| 2(e) Energy consumption | 2 kWh, known (measured) |');
  });

  test('rebuilt from the label: an edited section claims no more than its method', () => {
    const edited = {
      ...withAct,
      method: 'estimated' as const,
      aiAct: { ...withAct.aiAct!, energyMethod: 'measured' as const, energyKWh: 0.001 }
    };
    const front = aiActCard(edited).front;
    expect(front.energy_method).toBe('estimated');
    expect(front.energy_consumption_kwh).toBe(2);
    expect(front.energy_status).toBe('estimated (estimated)');
  });

  test('absent fields read "not reported"; label text is escaped, never markup', () => {
    const bare = buildLabelRecord({
      phase: 'training',
      population: 'fixed',
      metrics: { trainingCo2eKg: 0.1 },
      reference: { trainingCo2eKg: 1 },
      context: { hardware: '<img src=x onerror=alert(1)> | 2 GPUs\nnext' }
    });
    const card = aiActCard(bare);
    expect(card.front).not.toHaveProperty('energy_consumption_kwh');
    expect(card.markdown).toContain('| 2(d) Training time | not reported |');
    expect(card.markdown).toContain('| 2(e) Energy consumption | not reported |');
    expect(card.markdown).toContain(
      '| Hardware | &lt;img src=x onerror=alert(1)&gt; \\| 2 GPUs next |'
    );
    expect(card.markdown).not.toContain('<img');
  });

  test('both forms merge in; a rerun replaces them whole and keeps the rest', () => {
    const readme = '---\nlicense: mit\n---\n# net\n\nText.\n';
    const once = mergeModelCard(readme, block, act);
    const [, front, body] = once.split(/^---$/m);
    expect(parse(front)).toEqual({
      license: 'mit',
      co2_eq_emissions: block,
      eu_ai_act_annex_xi: act.front
    });
    expect(body).toBe('\n# net\n\nText.\n\n' + act.markdown);
    expect(mergeModelCard(once, block, act)).toBe(once);
    const later = aiActCard({ ...withAct, aiAct: { ...withAct.aiAct!, trainingTimeHours: 4 } });
    const twice = mergeModelCard(once + 'Appendix.\n', block, later);
    expect(twice.split(AI_ACT_BEGIN)).toHaveLength(2);
    expect(twice).toContain('| 2(d) Training time | 4 h |');
    expect(twice).not.toContain('1.5 h');
    expect(twice.endsWith(AI_ACT_END + '\nAppendix.\n')).toBe(true);
    expect(parse(twice.split(/^---$/m)[1]).eu_ai_act_annex_xi.training_time_hours).toBe(4);
  });

  test('keeps CRLF line ends; a broken marker pair is refused, not overwritten', () => {
    const crlf = mergeModelCard('---\r\nlicense: mit\r\n---\r\nbody\r\n', block, act);
    expect(crlf.replace(/\r\n/g, '')).not.toContain('\n');
    expect(() => mergeModelCard(`# x\n${AI_ACT_BEGIN}\nstuff\n`, block, act)).toThrow(/marker/);
    expect(() => mergeModelCard(`# x\n${AI_ACT_END}\n${AI_ACT_BEGIN}\n`, block, act)).toThrow(
      /marker/
    );
  });

  test('an inference label is refused, naming why', () => {
    const inference = buildLabelRecord({
      phase: 'inference',
      population: 'fixed',
      metrics: { latencyMs: 1 },
      reference: { latencyMs: 2 }
    });
    expect(() => aiActCard(inference)).toThrow(/^phase: Annex XI documents the training/);
  });
});
