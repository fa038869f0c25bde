/**
 * A label on an MLflow registered model version: `{ name, version }`, `NAME/VERSION` or MLflow's
 * own `models:/NAME/VERSION`, checked as MLflow checks them (a name is not empty and holds no `/`
 * or `:`; a version is a whole number from 1), and the tags the version gets: the rating under
 * `gaissa.label`, as on the run, and the record's key fields under `gaissa.label.*`.
 */
import { FieldError, describe, isPlainObject } from '../../core/field-error';
import type { LabelRecord } from '../../core/label/record';
import { sha256Text } from '../label/sha256';
import type { KeyValue } from './mlflow-client';

export interface ModelVersionRef {
  name: string;
  /** A whole number from 1, as MLflow numbers a model's versions. */
  version: string;
}

/** MLflow's limit on a registered model's name (its tag keys have the same). */
const MAX_NAME = 250;

const FORMS = `{ name, version }, "NAME/VERSION" or "models:/NAME/VERSION"`;

/** The model version `value` names; a FieldError naming `field` says what is wrong. */
export function parseModelVersion(value: unknown, field: string): ModelVersionRef {
  let name: unknown;
  let version: unknown;
  if (typeof value === 'string') {
    const text = value.startsWith('models:/') ? value.slice('models:/'.length) : value;
    const slash = text.lastIndexOf('/');
    if (slash < 0) {
      throw new FieldError(field, `must be ${FORMS}, got ${describe(value)} (no version)`);
    }
    name = text.slice(0, slash);
    version = text.slice(slash + 1);
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      if (key !== 'name' && key !== 'version')
        throw new FieldError(`${field}.${key}`, 'unknown field (fields: name, version)');
    }
    ({ name, version } = value);
  } else {
    throw new FieldError(field, `must be ${FORMS}, got ${describe(value)}`);
  }
  if (typeof name !== 'string' || name.trim() === '') {
    throw new FieldError(
      `${field}.name`,
      `must be a registered model's name, got ${describe(name)}`
    );
  }
  const control = [...name].some(c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
  if (/[/:]/.test(name) || name.length > MAX_NAME || control) {
    throw new FieldError(
      `${field}.name`,
      `MLflow model names hold no '/', ':' or control characters and at most ${MAX_NAME} characters, got ${describe(name)}`
    );
  }
  const text = typeof version === 'number' ? String(version) : version;
  if (typeof text !== 'string' || !/^[1-9][0-9]{0,17}$/.test(text)) {
    throw new FieldError(
      `${field}.version`,
      `must be a model version number (1, 2, ...), got ${describe(version)}`
    );
  }
  return { name, version: text };
}

/** How a model version is shown: MLflow's model URI. */
export const modelVersionUri = (ref: ModelVersionRef) => `models:/${ref.name}/${ref.version}`;

/** The tags a labelled model version gets; `runId` is the run holding LABEL.json. */
export function modelVersionTags(label: LabelRecord, runId: string | null): KeyValue[] {
  const tags: Array<[string, string | number | undefined | null]> = [
    ['gaissa.label', label.rating],
    ['gaissa.label.score', label.score],
    ['gaissa.label.phase', label.phase],
    ['gaissa.label.method', label.method],
    ['gaissa.label.basis', label.basis?.name ?? 'custom'],
    ['gaissa.label.issued', label.issued],
    ['gaissa.label.model', label.model?.name],
    ['gaissa.label.model_sha256', label.model?.sha256],
    ['gaissa.label.sha256', sha256Text(JSON.stringify(label))],
    ['gaissa.label.run_id', runId]
  ];
  for (const [metric, rated] of Object.entries(label.metrics ?? {})) {
    if (rated) tags.push([`gaissa.label.metric.${metric}`, `${rated.rating} (${rated.value})`]);
  }
  return tags
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([key, v]) => ({ key, value: String(v).slice(0, 5000) }));
}
