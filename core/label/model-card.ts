/**
 * Hugging Face model-card export: the `co2_eq_emissions` block of the card's YAML front matter
 * (emissions in grams, source, training_type, geographical_location, hardware_used), merged into
 * an existing README without touching its other keys, comments or body.
 */
import { isMap, parseDocument } from 'yaml';
import { FieldError } from '../field-error';
import { labelMethodText } from './provenance';
import { LabelRecord } from './record';
import { basisTitle } from './svg';

export interface Co2EqEmissions {
  /** Training emissions in grams CO2e (the card's unit). */
  emissions: number;
  source: string;
  training_type?: string;
  geographical_location?: string;
  hardware_used?: string;
}

export interface CardOverrides {
  source?: string;
  trainingType?: string;
  location?: string;
  hardware?: string;
}

/**
 * The block for a training label. The card's field is about training emissions, so an inference
 * label (which has no training CO2e) is refused rather than reported under the wrong meaning.
 */
export function co2EqEmissions(record: LabelRecord, overrides: CardOverrides = {}): Co2EqEmissions {
  const kg = record.metrics?.trainingCo2eKg?.value;
  if (record.phase !== 'training' || typeof kg !== 'number' || !Number.isFinite(kg)) {
    throw new FieldError(
      'metrics.trainingCo2eKg',
      'the model card reports training emissions: give a training label with trainingCo2eKg'
    );
  }
  const block: Co2EqEmissions = {
    emissions: Number((kg * 1000).toPrecision(12)),
    source:
      overrides.source ??
      `GAISSA for JupyterLab (${labelMethodText(record)}, label ${record.rating} on ` +
        `${basisTitle(record)}, issued ${record.issued.slice(0, 10)})`
  };
  const trainingType = overrides.trainingType ?? record.context?.trainingType;
  const location = overrides.location ?? record.context?.location;
  const hardware = overrides.hardware ?? record.context?.hardware;
  if (trainingType) block.training_type = trainingType;
  if (location) block.geographical_location = location;
  if (hardware) block.hardware_used = hardware;
  return block;
}

/**
 * Sets `co2_eq_emissions` in a README's front matter (creating the front matter when there is
 * none) and returns the new text. The block is replaced whole, so no stale field of an earlier run
 * survives next to new emissions; every other key, comment and the body stay as they were.
 */
export function mergeModelCard(readme: string, block: Co2EqEmissions): string {
  const bom = readme.startsWith('\uFEFF') ? '\uFEFF' : '';
  const text = readme.slice(bom.length);
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const lines = text.split(/(?<=\n)/);
  const isFence = (line: string | undefined) => line !== undefined && line.trimEnd() === '---';
  let yamlText = '';
  let body = text;
  if (isFence(lines[0])) {
    const close = lines.findIndex((line, i) => i > 0 && isFence(line));
    if (close === -1) throw new FieldError('front matter', 'opening --- has no closing ---');
    yamlText = lines.slice(1, close).join('');
    body = lines.slice(close + 1).join('');
  } else if (text.length > 0) {
    body = eol + text;
  }
  const doc = parseDocument(yamlText);
  if (doc.errors.length > 0) {
    throw new FieldError(
      'front matter',
      `is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`
    );
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new FieldError('front matter', 'must be a YAML mapping');
  }
  doc.set('co2_eq_emissions', doc.createNode(block));
  const front = doc.toString({ lineWidth: 0 }).replace(/\r?\n/g, eol);
  return `${bom}---${eol}${front}---${eol}${body}`;
}
