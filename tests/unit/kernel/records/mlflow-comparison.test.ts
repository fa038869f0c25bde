// A comparison (tactics or training) as MLflow logs it: variant names made valid, unique metric keys, the figures of
// each variant at the comparison's step, and the table as CSV.
import {
  COMPARE_FIGURES,
  comparisonCsv,
  comparisonMetrics,
  comparisonTags,
  tacticsTable,
  trainingTable,
  variantKey,
  variantKeys
} from '../../../../kernel/records/mlflow-comparison';
import { comparisonPayload } from './fixtures/tactics-payload';
import { trainingComparison } from './fixtures/training-payload';

/** What MLflow's own check accepts in a key, on every platform (no colon on Windows). */
const MLFLOW_KEY = /^[/\w.\- ]*$/;

describe('variantKey', () => {
  it('keeps letters, digits, _ and -, and makes anything else one _', () => {
    expect(variantKey('prune-structured:0.5')).toBe('prune-structured_0_5');
    expect(variantKey('a b/c.d')).toBe('a_b_c_d');
    expect(variantKey('../etc/passwd')).toBe('etc_passwd');
    expect(variantKey('模型 "x"\n')).toBe('x');
    expect(variantKey('::')).toBe('variant');
    expect(variantKey('x'.repeat(400))).toHaveLength(200);
  });

  it('gives variants whose names sanitize alike keys of their own', () => {
    const keys = variantKeys(['int8', 'int8 ', 'int8/', 'fp16']);
    expect([...keys.values()]).toEqual(['int8', 'int8_2', 'int8_3', 'fp16']);
  });
});

describe('comparisonMetrics', () => {
  it("logs each variant's figures at the comparison's step under valid keys", () => {
    const payload = comparisonPayload();
    const metrics = comparisonMetrics(tacticsTable(payload), 3);
    for (const m of metrics) {
      expect(m.key).toMatch(MLFLOW_KEY);
      expect(m.key.length).toBeLessThanOrEqual(250);
      expect(m.step).toBe(3);
      expect(m.timestamp).toBe(Date.parse(payload.createdAt));
    }
    const byKey = new Map(metrics.map(m => [m.key, m.value]));
    const pruned = payload.variants.find(v => v.name === 'prune-structured:0.5')!;
    expect(byKey.get('gaissa.compare.prune-structured_0_5.energy_per_inference_J')).toBe(
      pruned.energyPerInferenceJ
    );
    expect(byKey.get('gaissa.compare.prune-structured_0_5.latency_ms')).toBe(pruned.latencyMs);
    expect(byKey.get('gaissa.compare.fp16.model_size_MB')).toBe(
      payload.variants.find(v => v.name === 'fp16')!.modelSizeMB
    );
    // Every variant, every figure it has.
    const expected = payload.variants.reduce(
      (n, v) => n + COMPARE_FIGURES.filter(([f]) => typeof v[f] === 'number').length,
      0
    );
    expect(metrics).toHaveLength(expected);
  });

  it('leaves out a figure that is not a finite number', () => {
    const payload = comparisonPayload();
    payload.variants[0].latencyMs = Number.NaN;
    (payload.variants[0] as unknown as Record<string, unknown>).energyPerInferenceJ = '1';
    const keys = comparisonMetrics(tacticsTable(payload), 1).map(m => m.key);
    const base = `gaissa.compare.${variantKey(payload.variants[0].name)}`;
    expect(keys).not.toContain(`${base}.latency_ms`);
    expect(keys).not.toContain(`${base}.energy_per_inference_J`);
    expect(keys).toContain(`${base}.co2e_per_inference_g`);
  });

  it('tags the baseline and the recommended variant by key, under the comparison number', () => {
    expect(comparisonTags(tacticsTable(comparisonPayload()), 2)).toEqual([
      { key: 'gaissa.compare.2.baseline', value: 'mlp-784-256-128-10' },
      { key: 'gaissa.compare.2.recommended', value: 'quantize-dynamic' }
    ]);
  });
});

describe('comparisonCsv', () => {
  it('has a header and one row per variant, with its key and figures', () => {
    const payload = comparisonPayload();
    const lines = comparisonCsv(tacticsTable(payload)).trimEnd().split('\n');
    expect(lines).toHaveLength(1 + payload.variants.length);
    const header = lines[0].split(',');
    expect(header.slice(0, 3)).toEqual(['variant', 'mlflow_key', 'tactics']);
    const row = lines[4].split(',');
    const pruned = payload.variants[3];
    expect(row[0]).toBe(pruned.name);
    expect(row[1]).toBe('prune-structured_0_5');
    expect(Number(row[header.indexOf('energy_per_inference_J')])).toBe(pruned.energyPerInferenceJ);
    expect(Number(row[header.indexOf('energy_delta_pct')])).toBe(pruned.deltas!.energyPct);
  });

  it('quotes a name holding a comma or a quote', () => {
    const payload = comparisonPayload();
    payload.variants[1].name = 'a, "b"';
    expect(comparisonCsv(tacticsTable(payload)).split('\n')[2]).toMatch(/^"a, ""b""",a_b,/);
  });
});

describe('a training comparison', () => {
  it('logs energy, duration, final accuracy and loss of each variant under gaissa.train_compare', () => {
    const { payload, training } = trainingComparison();
    const metrics = comparisonMetrics(trainingTable(payload, training), 2);
    for (const m of metrics) {
      expect(m.key).toMatch(MLFLOW_KEY);
      expect(m.step).toBe(2);
      expect(m.timestamp).toBe(Date.parse(payload.createdAt));
    }
    const byKey = new Map(metrics.map(m => [m.key, m.value]));
    const early = payload.variants[1];
    const key = 'gaissa.train_compare.early_stop_val_acc';
    expect(byKey.get(`${key}.energy_J`)).toBe(early.energyJ);
    expect(byKey.get(`${key}.co2e_g`)).toBe(early.co2ePerInferenceG);
    expect(byKey.get(`${key}.duration_s`)).toBe(early.durationS);
    expect(byKey.get(`${key}.accuracy`)).toBe(early.accuracy);
    expect(byKey.get(`${key}.loss`)).toBe(0.33);
    expect(byKey.get(`${key}.train_loss`)).toBe(0.29);
    expect(byKey.get(`${key}.epochs`)).toBe(6);
    expect(byKey.get('gaissa.train_compare.freeze_2.energy_J')).toBe(700);
    // Nothing under the tactics comparisons' names.
    expect(metrics.every(m => m.key.startsWith('gaissa.train_compare.'))).toBe(true);
    expect(byKey.has(`${key}.energy_per_inference_J`)).toBe(false);
  });

  it('leaves out what a variant does not have: no accuracy, no training figures', () => {
    const { payload, training } = trainingComparison();
    delete payload.variants[2].accuracy;
    training.baseline.loss = null;
    delete (training as Record<string, unknown>)['freeze:2'];
    const keys = comparisonMetrics(trainingTable(payload, training), 1).map(m => m.key);
    expect(keys).not.toContain('gaissa.train_compare.freeze_2.accuracy');
    expect(keys).not.toContain('gaissa.train_compare.freeze_2.loss');
    expect(keys).toContain('gaissa.train_compare.freeze_2.energy_J');
    expect(keys).not.toContain('gaissa.train_compare.baseline.loss');
    expect(keys).toContain('gaissa.train_compare.baseline.train_loss');
  });

  it('tags its baseline and recommendation, and keeps the payload as its JSON', () => {
    const { payload, training } = trainingComparison();
    const table = trainingTable(payload, training);
    expect(comparisonTags(table, 1)).toEqual([
      { key: 'gaissa.train_compare.1.baseline', value: 'baseline' },
      { key: 'gaissa.train_compare.1.recommended', value: 'early_stop_val_acc' }
    ]);
    expect(table.json).toEqual(trainingComparison().payload);
    expect(table.stem).toBe('TRAINING-COMPARISON');
  });

  it('has a CSV row per variant with its figures and deltas', () => {
    const { payload, training } = trainingComparison();
    const lines = comparisonCsv(trainingTable(payload, training)).trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    const header = lines[0].split(',');
    expect(header).toEqual(expect.arrayContaining(['energy_J', 'duration_s', 'accuracy', 'loss']));
    const row = lines[3].split(',');
    expect(row.slice(0, 3)).toEqual(['freeze:2', 'freeze_2', 'freeze(2)']);
    expect(row[header.indexOf('within_budget')]).toBe('false');
    expect(Number(row[header.indexOf('loss')])).toBe(0.45);
    expect(Number(row[header.indexOf('energy_delta_pct')])).toBe(-30);
    expect(Number(row[header.indexOf('quality_delta_points')])).toBe(-5);
  });
});
