// A registered model version named for a label: the accepted forms, a clear error for anything
// MLflow would refuse, and the tags the version gets.
import type { LabelRecord } from '../../../../core/label/record';
import { sha256Text } from '../../../../kernel/label/sha256';
import {
  modelVersionTags,
  parseModelVersion
} from '../../../../kernel/records/mlflow-model-version';

describe('parseModelVersion', () => {
  it('takes { name, version }, NAME/VERSION and models:/NAME/VERSION', () => {
    const want = { name: 'mnist classifier', version: '3' };
    expect(parseModelVersion({ name: 'mnist classifier', version: 3 }, 'f')).toEqual(want);
    expect(parseModelVersion({ name: 'mnist classifier', version: '3' }, 'f')).toEqual(want);
    expect(parseModelVersion('mnist classifier/3', 'f')).toEqual(want);
    expect(parseModelVersion('models:/mnist classifier/3', 'f')).toEqual(want);
  });

  it.each([
    [
      'mnist',
      'f: must be { name, version }, "NAME/VERSION" or "models:/NAME/VERSION", got "mnist" (no version)'
    ],
    ['mnist/', 'f.version: must be a model version number (1, 2, ...), got ""'],
    ['mnist/0', 'f.version: must be a model version number (1, 2, ...), got "0"'],
    ['mnist/1.5', 'f.version: must be a model version number (1, 2, ...), got "1.5"'],
    ['mnist/latest', 'f.version: must be a model version number (1, 2, ...), got "latest"'],
    ['/2', 'f.name: must be a registered model\'s name, got ""'],
    ['a/b/2', "f.name: MLflow model names hold no '/', ':' or control characters"],
    ['a:b/2', "f.name: MLflow model names hold no '/', ':' or control characters"],
    ['a\nb/2', "f.name: MLflow model names hold no '/', ':' or control characters"],
    [{ name: 'm', version: -1 }, 'f.version: must be a model version number (1, 2, ...), got -1'],
    [{ name: 'm', version: 2, stage: 'x' }, 'f.stage: unknown field (fields: name, version)'],
    [{ version: 2 }, "f.name: must be a registered model's name, got undefined"],
    [42, 'f: must be { name, version }, "NAME/VERSION" or "models:/NAME/VERSION", got 42']
  ])('refuses %p, naming the field', (value, message) => {
    expect(() => parseModelVersion(value, 'f')).toThrow(message);
  });
});

describe('modelVersionTags', () => {
  it("sets the rating and the label's key fields, the run that holds LABEL.json included", () => {
    const label = {
      rating: 'B',
      score: 1.25,
      phase: 'inference',
      method: 'measured',
      basis: { name: 'gaissa-inference-v1' },
      issued: '2026-12-05T21:00:00.000Z',
      model: { name: 'mnist', sha256: 'ab'.repeat(32) },
      metrics: { energyPerInferenceJ: { value: 0.002, index: 0.5, rating: 'B' } }
    } as unknown as LabelRecord;
    const tags = Object.fromEntries(modelVersionTags(label, 'run-1').map(t => [t.key, t.value]));
    expect(tags).toEqual({
      'gaissa.label': 'B',
      'gaissa.label.score': '1.25',
      'gaissa.label.phase': 'inference',
      'gaissa.label.method': 'measured',
      'gaissa.label.basis': 'gaissa-inference-v1',
      'gaissa.label.issued': '2026-12-05T21:00:00.000Z',
      'gaissa.label.model': 'mnist',
      'gaissa.label.model_sha256': 'ab'.repeat(32),
      'gaissa.label.sha256': sha256Text(JSON.stringify(label)),
      'gaissa.label.run_id': 'run-1',
      'gaissa.label.metric.energyPerInferenceJ': 'B (0.002)'
    });
  });

  it('leaves out what the label does not have, and names a custom basis', () => {
    const label = {
      rating: 'D',
      score: 3,
      basis: {},
      model: { name: 'm' }
    } as unknown as LabelRecord;
    const keys = modelVersionTags(label, null).map(t => t.key);
    expect(keys).not.toContain('gaissa.label.run_id');
    expect(keys).not.toContain('gaissa.label.model_sha256');
    expect(modelVersionTags(label, null).find(t => t.key === 'gaissa.label.basis')!.value).toBe(
      'custom'
    );
  });
});
