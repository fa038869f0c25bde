/** Issues a label record from a request: hashes the files it rests on, rates, validates. */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { FieldError } from '../../core/field-error';
import { RecordEvidence } from '../../core/label/provenance';
import { LabelRecord, LabelRequest, buildLabelRecord } from '../../core/label/record';
import { validateLabelRecord } from './label-schema';
import { evidenceOf, measurementEvidence, readMeasurementRecord } from './measurement-records';
import { UnreadableFileError } from '../regular-file';
import { sha256File } from './sha256';
import { resolvePopulation } from './population-file';

export interface IssueOptions {
  /** Folder that relative paths in the request are resolved against. */
  cwd: string;
  /**
   * Folder the label file will live in: stored paths are made relative to it, so a label moved
   * together with its model still verifies. Absolute paths are stored when absent.
   */
  labelDir?: string;
  now?: Date;
  /**
   * Records the caller holds in memory, by position in `request.measurements` (a measurement
   * not yet in any file): their content stands in for a file to read.
   */
  records?: ReadonlyArray<unknown>;
}

export async function issueLabel(
  request: LabelRequest,
  options: IssueOptions
): Promise<LabelRecord> {
  const stored = (absolute: string) =>
    options.labelDir ? relative(options.labelDir, absolute) || '.' : absolute;
  const hashed: LabelRequest = { ...request };

  if (request.model?.path) {
    const absolute = resolve(options.cwd, request.model.path);
    const sha256 = await hashOrFail(absolute, 'model.path');
    if (request.model.sha256 && request.model.sha256 !== sha256) {
      throw new FieldError(
        'model.sha256',
        `does not match the file ${request.model.path} (${sha256})`
      );
    }
    hashed.model = { ...request.model, path: stored(absolute), sha256 };
  }

  const evidence: (RecordEvidence | undefined)[] = [];
  if (request.measurements) {
    hashed.measurements = [];
    for (const [i, m] of request.measurements.entries()) {
      const field = `measurements[${i}]`;
      if (!m.path) {
        const held = options.records?.[i];
        evidence.push(held === undefined ? undefined : measurementEvidence(held, field));
        hashed.measurements.push(m);
        continue;
      }
      const absolute = resolve(options.cwd, m.path);
      await ensureReadable(absolute, `${field}.path`);
      let read;
      try {
        read = await readMeasurementRecord(absolute, m.id);
      } catch (e) {
        throw new FieldError(
          m.id !== undefined && !(e instanceof UnreadableFileError)
            ? `${field}.id`
            : `${field}.path`,
          (e as Error).message
        );
      }
      if (!read) throw new FieldError(`${field}.id`, `no record with id ${m.id} in ${m.path}`);
      if (m.sha256 && m.sha256 !== read.sha256) {
        throw new FieldError(`${field}.sha256`, `does not match ${m.path} (${read.sha256})`);
      }
      evidence.push(evidenceOf(read, field, m.id));
      hashed.measurements.push({ ...m, path: stored(absolute), sha256: read.sha256 });
    }
  }

  const population = await resolvePopulation(request, options.cwd, stored);
  return validateLabelRecord(buildLabelRecord(hashed, options.now, evidence, population));
}

async function ensureReadable(path: string, field: string): Promise<void> {
  try {
    await access(path, constants.R_OK);
  } catch {
    throw new FieldError(field, `cannot read ${path}`);
  }
}

async function hashOrFail(path: string, field: string): Promise<string> {
  await ensureReadable(path, field);
  try {
    return await sha256File(path);
  } catch (e) {
    throw new FieldError(field, (e as Error).message);
  }
}

/** A stored path resolved against the label file's folder (absolute paths stay as they are). */
export function resolveStoredPath(path: string, labelDir: string): string {
  return isAbsolute(path) ? path : resolve(labelDir, path);
}

/** The files a request reads (model, measurement records): no output may replace one. */
export function inputsOf(request: LabelRequest, cwd: string): string[] {
  const paths = [request.model?.path, ...(request.measurements ?? []).map(m => m.path)];
  return paths.filter((p): p is string => p !== undefined).map(p => resolve(cwd, p));
}
