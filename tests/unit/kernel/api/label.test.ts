/** gaissa.label from a request, a measurement record or a comparison: bundle, metadata, files. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gaissa } from '../../../../kernel/api';
import { LabelBelowMinimumError, LabelView } from '../../../../kernel/api/label';
import { bundleOf, metadataOf } from '../../../../kernel/display';
import { sha256Text } from '../../../../kernel/label/sha256';
import { verifyLabel } from '../../../../kernel/label/verify-label';
import { FieldError } from '../../../../core/field-error';
import { LabelRequest } from '../../../../core/label/record';
import { parseXml } from '../../fixtures/xml-wellformed';
import {
  comparison,
  expectValid,
  measurement,
  validateLabel,
  validateLabelMetadata,
  validateNotebookLabels
} from '../../fixtures/api-outputs';
import { LABEL_MIME } from '../../../../core/mime-types';

const request: LabelRequest = {
  phase: 'inference',
  population: 'fixed',
  metrics: { energyPerInferenceJ: 0.4, latencyMs: 12, accuracy: 0.8 },
  model: { name: 'mnist-mlp <fp32>' },
  method: 'measured',
  issued: '2025-01-01T00:00:00.000Z'
};

let dir: string;
const cwd = process.cwd();
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gaissa-label-'));
});
afterEach(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

describe('gaissa.label(request)', () => {
  test('displays the label mime (schema-valid), a well-formed SVG and text', async () => {
    const view = await gaissa.label(request);
    expect(view).toBeInstanceOf(LabelView);
    const bundle = bundleOf(view);
    expect(Object.keys(bundle).sort()).toEqual([LABEL_MIME, 'image/svg+xml', 'text/plain'].sort());
    expectValid(validateLabel, bundle[LABEL_MIME]);
    expect(parseXml(bundle['image/svg+xml'] as string).name).toBe('svg');
    expect(bundle['image/svg+xml']).toContain('mnist-mlp &lt;fp32&gt;');
    expect(bundle['text/plain']).toMatch(/^GAISSA energy label [A-E] — mnist-mlp <fp32>/);
    expect(view.rating).toBe(view.record.rating);
    // Typed figures with no measurement record: declared, whatever the request asked.
    expect(view.record.method).toBe('declared');
  });

  test('output metadata asks the frontend to record the label, keyed by its hash', async () => {
    const view = await gaissa.label(request);
    const metadata = metadataOf(view);
    const meta = metadata[LABEL_MIME] as { record: boolean; key: string };
    expectValid(validateLabelMetadata, meta);
    expect(meta).toEqual({ record: true, key: sha256Text(JSON.stringify(view.record)) });
    // What the frontend then stores is valid against the notebook-level contract.
    expectValid(validateNotebookLabels, [{ key: meta.key, cellId: 'label', record: view.record }]);
    const quiet = await gaissa.label(request, { record: false });
    expect((quiet.toMimeMetadata()[LABEL_MIME] as { record: boolean }).record).toBe(false);
  });

  test('out writes a LABEL.json that verifies against the model file it hashed', async () => {
    const model = join(dir, 'model.onnx');
    writeFileSync(model, 'not really onnx');
    const out = join(dir, 'labels', 'LABEL.json');
    const svg = join(dir, 'label.svg');
    const view = await gaissa.label(
      { ...request, model: { name: 'm', path: model } },
      { out, svg }
    );
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect(written).toEqual(view.record);
    expect(written.model.path).toBe('../model.onnx');
    expect(readFileSync(svg, 'utf8')).toBe(view.svg);
    const meta = view.toMimeMetadata()[LABEL_MIME] as { file: string };
    expect(meta.file).toBe(out);
    const report = await verifyLabel(written, { labelDir: join(dir, 'labels') });
    expect(report.ok).toBe(true);
  });

  test('min gates: the error carries the label, and the file is still written', async () => {
    const out = join(dir, 'LABEL.json');
    const poor = { ...request, metrics: { energyPerInferenceJ: 50 } };
    const error = await gaissa.label(poor, { min: 'b' as 'B', out }).catch(e => e);
    expect(error).toBeInstanceOf(LabelBelowMinimumError);
    expect(error.message).toMatch(/rating E is worse than the minimum B/);
    expect((error as LabelBelowMinimumError).label.rating).toBe('E');
    expect(JSON.parse(readFileSync(out, 'utf8')).rating).toBe('E');
    await expect(gaissa.label(request, { min: 'E' })).resolves.toBeInstanceOf(LabelView);
  });

  test('invalid requests and options name the field', async () => {
    await expect(gaissa.label({ ...request, metrics: { latencyMs: -1 } })).rejects.toThrow(
      'metrics.latencyMs'
    );
    await expect(gaissa.label(request, { min: 'F' as 'A' })).rejects.toThrow('options.min');
    await expect(gaissa.label(request, { inferences: 10 })).rejects.toThrow(
      /options.inferences: applies to a measurement or a comparison/
    );
    await expect(gaissa.label(request, { colour: 'red' } as never)).rejects.toBeInstanceOf(
      FieldError
    );
  });
});

describe('gaissa.label(measurement)', () => {
  const record = measurement(36, { id: 'm-1', label: 'mnist fp32' });

  test('energy and CO2e per inference, measured method, SCI and context from the record', async () => {
    process.chdir(dir);
    const view = await gaissa.label(record, {
      inferences: 1000,
      population: 'fixed',
      metrics: { accuracy: 0.97 }
    });
    expectValid(validateLabel, view.record);
    expect(view.record.metrics.energyPerInferenceJ?.value).toBeCloseTo(0.036, 12);
    expect(view.record.metrics.co2ePerInferenceG?.value).toBeCloseTo(record.co2eG / 1000, 15);
    expect(view.record.metrics.accuracy?.value).toBe(0.97);
    expect(view.record.method).toBe('measured');
    expect(view.record.model.name).toBe('mnist fp32');
    // SCI per inference equals the record's CO2e per inference (facility energy x intensity).
    expect(view.record.sci?.sciG).toBeCloseTo(record.co2eG / 1000, 15);
    expect(view.record.sci?.disclosure.functionalUnit).toBe('inference');
    expect(view.record.context).toEqual({
      location: 'France',
      hardware: '2 x Test CPU (logical CPUs)'
    });
    // No records file here: the record's JSON is hashed as the measure magic would append it.
    expect(view.record.measurements).toEqual([
      { id: 'm-1', sha256: sha256Text(JSON.stringify(record)) }
    ]);
  });

  test('rests on gaissa-emissions.jsonl when the record is there, and then verifies', async () => {
    process.chdir(dir);
    const other = measurement(10, { id: 'm-0' });
    writeFileSync(
      'gaissa-emissions.jsonl',
      `${JSON.stringify(other)}\n${JSON.stringify(record)}\n`
    );
    const view = await gaissa.label(record, {
      inferences: 1000,
      population: 'fixed',
      out: 'LABEL.json'
    });
    expect(view.record.measurements).toEqual([
      { path: 'gaissa-emissions.jsonl', id: 'm-1', sha256: sha256Text(JSON.stringify(record)) }
    ]);
    expect((await verifyLabel(view.record, { labelDir: dir })).ok).toBe(true);
    // The same check from the label itself, from another folder: paths resolve from LABEL.json's.
    process.chdir(cwd);
    const fromFile = new LabelView(view.record, { file: join(dir, 'LABEL.json') });
    expect((await fromFile.verify()).ok).toBe(true);
    writeFileSync(join(dir, 'gaissa-emissions.jsonl'), `${JSON.stringify(other)}\n`);
    const report = await fromFile.verify();
    expect(report.ok).toBe(false);
    expect(report.checks.find(c => c.kind === 'measurement')?.status).toBe('missing');
  });

  test('a training label writes its emissions into a model card, keeping the card', async () => {
    process.chdir(dir);
    const training = await gaissa.label(measurement(7.2e6, { id: 'm-3' }), {
      phase: 'training',
      population: 'fixed',
      model: 'tiny'
    });
    writeFileSync('MODEL_CARD.md', '---\nlicense: mit\n---\n# tiny\n');
    const block = await training.writeModelCard('MODEL_CARD.md', { trainingType: 'fine-tuning' });
    expect(block.emissions).toBeCloseTo(training.record.metrics.trainingCo2eKg!.value * 1000, 9);
    const card = readFileSync('MODEL_CARD.md', 'utf8');
    expect(card).toMatch(/^---\nlicense: mit\n/);
    expect(card).toContain('co2_eq_emissions:');
    expect(card).toContain('training_type: fine-tuning');
    expect(card).toMatch(/# tiny\n$/);
    // An inference label has no training emissions to report.
    const inference = await gaissa.label(record, { inferences: 1000, population: 'fixed' });
    await expect(inference.writeModelCard('MODEL_CARD.md')).rejects.toThrow(
      /metrics.trainingCo2eKg/
    );
  });

  test('an estimated record gives an estimated label; training phase uses kWh and kg', async () => {
    process.chdir(dir);
    const estimated = measurement(7.2e6, { id: 'm-2', method: 'estimate' });
    const view = await gaissa.label(estimated, {
      phase: 'training',
      population: 'fixed',
      model: 'tiny'
    });
    expect(view.record.method).toBe('estimated');
    expect(view.record.phase).toBe('training');
    expect(view.record.metrics.trainingEnergyKWh?.value).toBeCloseTo(2, 12);
    expect(view.record.metrics.trainingCo2eKg?.value).toBeCloseTo(estimated.co2eG / 1000, 12);
    expect(view.record.sci?.disclosure.functionalUnit).toBe('training run');
    expect(view.record.model.name).toBe('tiny');
  });

  test('a missing count or a failed run is refused with the field named', async () => {
    await expect(gaissa.label(record)).rejects.toThrow(/options.inferences: is required/);
    await expect(
      gaissa.label({ ...record, status: 'interrupted' }, { inferences: 1 })
    ).rejects.toThrow('measurement.status');
  });
});

describe('gaissa.label(comparison)', () => {
  test('labels the recommended variant with its metrics', async () => {
    const view = await gaissa.label(comparison);
    expectValid(validateLabel, view.record);
    expect(view.record.model.name).toBe('quantize-dynamic');
    expect(view.record.metrics.energyPerInferenceJ?.value).toBe(0.2);
    expect(view.record.metrics.modelSizeMB?.value).toBe(0.85);
    // A comparison hands over figures, not the records behind them: declared.
    expect(view.record.method).toBe('declared');
    // Rated against the comparison's own baseline by default, and the label says so.
    expect(view.record.basis.against).toEqual({
      kind: 'baseline',
      title:
        'the baseline fp32 of this comparison, before any tactic (reference values given by the issuer)'
    });
    expect(view.record.basis.reference.energyPerInferenceJ).toBe(0.8);
    expect(view.svg).toContain('the baseline fp32 of this comparison');
  });

  test('a comparison rated against the fixed reference only when asked, and named', async () => {
    const view = await gaissa.label(comparison, { population: 'fixed' });
    expect(view.record.basis.name).toBe('gaissa-inference-v1');
    expect(view.record.basis.against?.kind).toBe('fixed');
    expect(view.record.basis.reference.energyPerInferenceJ).toBe(1);
  });

  test("reference 'baseline' rates against the baseline variant; a variant by name", async () => {
    const view = await gaissa.label(comparison, { reference: 'baseline' });
    expect(view.record.basis.reference.energyPerInferenceJ).toBe(0.8);
    expect(view.record.metrics.energyPerInferenceJ?.index).toBe(4);
    expect(view.record.metrics.energyPerInferenceJ?.rating).toBe('A');
    const baseline = await gaissa.label(comparison, { variant: 'fp32', reference: 'baseline' });
    expect(baseline.rating).toBe('C');
  });

  test('options that belong to measurements are refused', async () => {
    await expect(gaissa.label(comparison, { inferences: 3 })).rejects.toThrow('options.inferences');
    await expect(gaissa.label(comparison, { variant: 'int2' })).rejects.toThrow('variant');
  });
});

describe('gaissa.label of a training comparison', () => {
  test('labels the training phase with the request the comparison builds', async () => {
    const asked: (string | undefined)[] = [];
    const comparison = {
      phase: 'training',
      population: 'fixed',
      labelRequest(variant?: string) {
        asked.push(variant);
        return {
          phase: 'training',
          population: 'fixed',
          metrics: { trainingEnergyKWh: 0.002, accuracy: 0.95 },
          reference: { trainingEnergyKWh: 0.004, accuracy: 0.96 },
          model: { name: 'mnist-mlp early-stop' },
          method: 'estimated'
        };
      }
    };
    const view = await gaissa.label(comparison as never, { variant: 'early-stop', record: false });
    expect(asked).toEqual(['early-stop']);
    expect(view.record.phase).toBe('training');
    expect(view.record.metrics.trainingEnergyKWh?.value).toBe(0.002);
    expect(view.record.model.name).toBe('mnist-mlp early-stop');
  });
});
