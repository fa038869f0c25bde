/**
 * The ROI widget's slider state as it is saved in the notebook: the output's metadata, under the
 * ROI mime type, holds the values of the widget's inputs:
 *
 *   "metadata": { "application/vnd.gaissa.roi.v1+json": { "version": 1,
 *                 "scenario": { "inferencesPerDay": 250000, "carbonIntensity": null, ... } } }
 *
 * The output's data stays what the kernel computed, so "reset" needs nothing else, viewers without
 * the extension still show the kernel's figures, and a re-run of the cell starts afresh. A number
 * is a value; null is a field switched off; a missing field keeps the kernel's value. The
 * energies and every field without an input always come from the kernel's payload.
 *
 * Saved state is as untrusted as the payload (anyone can edit a notebook): it is read field by
 * field, and the scenario it gives is validated by core before use. Pure: no DOM.
 */
import { isPlainObject } from '../../../core/field-error';
import { validateScenario, type RoiScenario } from '../../../core/roi';
import { CONTROL_FIELDS, GROUP_FIELDS, type RoiControlField } from './controls';
import { ROI_MIME } from '../../../core/mime-types';

export const ROI_STATE_VERSION = 1;

export type ControlValues = Record<RoiControlField, number | null>;

export type SavedState =
  | { kind: 'none' }
  | { kind: 'ok'; values: Partial<ControlValues> }
  | { kind: 'invalid'; reason: string };

/** The kernel scenario's values of the widget's inputs (null: not in the scenario). */
export function controlValues(scenario: RoiScenario): ControlValues {
  const values = {} as ControlValues;
  for (const field of CONTROL_FIELDS) {
    const v = scenario[field];
    values[field] = typeof v === 'number' ? v : null;
  }
  return values;
}

/** The kernel's scenario with the inputs' values in place (not validated: see `checkedScenario`). */
export function mergeScenario(
  kernel: RoiScenario,
  values: Partial<ControlValues>
): Record<string, unknown> {
  const scenario: Record<string, unknown> = { ...kernel };
  for (const field of CONTROL_FIELDS) {
    if (!(field in values)) continue;
    const v = values[field];
    if (v === null || v === undefined) delete scenario[field];
    else scenario[field] = v;
  }
  // Fields without an input that need a switched-off group go with it.
  if (scenario.inferencesPerDay === undefined) {
    for (const field of GROUP_FIELDS.time) delete scenario[field];
  }
  if (scenario.carbonIntensity === undefined) {
    for (const field of GROUP_FIELDS.carbon) delete scenario[field];
  }
  return scenario;
}

export type CheckedScenario =
  { ok: true; scenario: RoiScenario } | { ok: false; messages: string[] };

/** Core's validation of a merged scenario, as messages for the widget. */
export function checkedScenario(
  kernel: RoiScenario,
  values: Partial<ControlValues>
): CheckedScenario {
  const checked = validateScenario(mergeScenario(kernel, values));
  return checked.ok
    ? { ok: true, scenario: checked.scenario }
    : { ok: false, messages: checked.errors.map(e => `${e.field}: ${e.message}`) };
}

/** Reads the saved slider state from an output's metadata; never throws. */
export function readSavedState(metadata: unknown): SavedState {
  if (!isPlainObject(metadata)) return { kind: 'none' };
  const entry = metadata[ROI_MIME];
  if (entry === undefined) return { kind: 'none' };
  if (!isPlainObject(entry) || !isPlainObject(entry.scenario)) {
    return { kind: 'invalid', reason: 'it is not an object with a scenario' };
  }
  if (entry.version !== ROI_STATE_VERSION) {
    return { kind: 'invalid', reason: `its version is not ${ROI_STATE_VERSION}` };
  }
  const values: Partial<ControlValues> = {};
  for (const [key, value] of Object.entries(entry.scenario)) {
    if (!(CONTROL_FIELDS as readonly string[]).includes(key)) {
      return { kind: 'invalid', reason: `${key.slice(0, 40)} is not a slider of this widget` };
    }
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
      return { kind: 'invalid', reason: `${key} is not a finite number or null` };
    }
    values[key as RoiControlField] = value;
  }
  return { kind: 'ok', values };
}

/** The output metadata with the state written (or removed, for null), other keys untouched. */
export function withSavedState(
  metadata: unknown,
  values: ControlValues | null
): Record<string, unknown> {
  const next: Record<string, unknown> = isPlainObject(metadata) ? { ...metadata } : {};
  if (values === null) delete next[ROI_MIME];
  else next[ROI_MIME] = { version: ROI_STATE_VERSION, scenario: { ...values } };
  return next;
}

export function sameValues(a: Partial<ControlValues>, b: Partial<ControlValues>): boolean {
  return CONTROL_FIELDS.every(f => (a[f] ?? null) === (b[f] ?? null));
}
