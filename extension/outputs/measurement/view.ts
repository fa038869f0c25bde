/**
 * A measurement payload to DOM: validation, then the card or a short, safe error. This module and
 * what it imports (ajv, the schema) form the chunk loaded with the first card.
 */
import type { TimelinePoint } from '../../../core/measurement';
import { invalidCard, measurementCard } from './card';
import { validateMeasurement } from './validation';

export interface MeasurementView {
  node: HTMLElement;
  /** Present when the card has a chart to draw into. */
  chart: { host: HTMLElement; timeline: TimelinePoint[] } | null;
}

export function renderMeasurement(payload: unknown): MeasurementView {
  const result = validateMeasurement(payload);
  if (!result.ok) return { node: invalidCard(result.errors), chart: null };
  const card = measurementCard(result.record);
  return {
    node: card.node,
    chart: card.chartHost ? { host: card.chartHost, timeline: result.record.timeline } : null
  };
}
