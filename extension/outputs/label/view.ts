/**
 * A label payload to DOM: validation against schema/label.schema.json, then the card or a short,
 * safe error. This module and what it imports (the compiled validator, the drawing) form the chunk
 * fetched with the first label.
 */
import type { LabelRecord } from '../../../core/label/record';
import { readOutputMetadata, validateLabel } from './validation';
import { LABEL_CLASS, LabelCard } from './label-card';
import { el } from '../../shared/safe-dom';

export interface LabelView {
  node: HTMLElement;
  /** The notebook's label records changed (phase switch); a no-op for an invalid payload. */
  setNotebookLabels(records: readonly LabelRecord[]): void;
  dispose(): void;
}

/** What an invalid payload shows: short, and it says why. */
export function invalidLabel(errors: readonly string[]): HTMLElement {
  return el(
    'div',
    { className: `${LABEL_CLASS} gaissa-label-invalid`, attrs: { role: 'alert' } },
    el('strong', {}, 'Invalid GAISSA label: '),
    'this output does not match the label schema (v1), so it is not shown.',
    el('ul', {}, ...errors.map(e => el('li', {}, e)))
  );
}

export function renderLabel(payload: unknown, outputMetadata?: unknown): LabelView {
  const result = validateLabel(payload);
  if (!result.ok) {
    return {
      node: invalidLabel(result.errors),
      setNotebookLabels: () => undefined,
      dispose: () => undefined
    };
  }
  const card = new LabelCard(result.record, readOutputMetadata(outputMetadata));
  return {
    node: card.node,
    setNotebookLabels: records => card.setNotebookLabels(records),
    dispose: () => card.dispose()
  };
}
