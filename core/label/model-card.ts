/**
 * Hugging Face model-card export: the `co2_eq_emissions` block of the card's YAML front matter
 * (emissions in grams, source, training_type, geographical_location, hardware_used), merged into
 * an existing README without touching its other keys, comments or body. On request also the EU AI
 * Act Annex XI energy section: a front matter key for tools and a body section for readers.
 */
import { isMap, parseDocument } from 'yaml';
import { FieldError } from '../field-error';
import { AI_ACT_SOURCE, AiActSection, aiActSection, energyStatusText } from './ai-act';
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
      `GAISSA for JupyterLab (${labelMethodText(record)}, label ${record.rating}, ` +
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
export function mergeModelCard(readme: string, block: Co2EqEmissions, aiAct?: AiActCard): string {
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
  if (aiAct) {
    doc.set(AI_ACT_KEY, doc.createNode(aiAct.front));
    body = withBodySection(body, aiAct.markdown, eol);
  }
  const front = doc.toString({ lineWidth: 0 }).replace(/\r?\n/g, eol);
  return `${bom}---${eol}${front}---${eol}${body}`;
}

/** The front matter key of the Annex XI energy section. */
export const AI_ACT_KEY = 'eu_ai_act_annex_xi';
/** The body section sits between these lines; a rerun replaces it whole. */
export const AI_ACT_BEGIN =
  '<!-- gaissa: EU AI Act Annex XI energy (generated, replaced on rerun) -->';
export const AI_ACT_END = '<!-- /gaissa: EU AI Act Annex XI energy -->';

/** The Annex XI energy fields as the card's front matter holds them. */
export interface AiActFrontMatter {
  reference: typeof AI_ACT_SOURCE;
  training_compute_flops?: number;
  training_time_hours?: number;
  energy_consumption_kwh?: number;
  energy_method?: string;
  /** Annex XI's "known or estimated", with the label's method. */
  energy_status?: string;
  hardware_used?: string;
  geographical_location?: string;
  source: string;
}

export interface AiActCard {
  section: AiActSection;
  front: AiActFrontMatter;
  /** The body section, marker lines included, with \n line ends. */
  markdown: string;
}

/**
 * The Annex XI energy section of a training label for its model card. It is rebuilt from the
 * label's figures and method (FLOPs and time from its `aiAct`), so an edited section cannot claim
 * more than the label shows; an inference label is refused.
 */
export function aiActCard(record: LabelRecord, overrides: CardOverrides = {}): AiActCard {
  const context = {
    hardware: overrides.hardware ?? record.context?.hardware,
    location: overrides.location ?? record.context?.location
  };
  const given: AiActSection | undefined = record.aiAct;
  const section = aiActSection(
    { ...record, context },
    {
      trainingComputeFlops: given?.trainingComputeFlops,
      trainingTimeHours: given?.trainingTimeHours
    }
  );
  const energy = section.energyKWh;
  const status = energy !== undefined ? energyStatusText(record) : undefined;
  const source =
    `GAISSA for JupyterLab (label ${record.rating}, ${basisTitle(record)}, ` +
    `issued ${record.issued.slice(0, 10)})`;
  const front = Object.fromEntries(
    Object.entries({
      reference: AI_ACT_SOURCE,
      training_compute_flops: section.trainingComputeFlops,
      training_time_hours: section.trainingTimeHours,
      energy_consumption_kwh: energy,
      energy_method: section.energyMethod,
      energy_status: status,
      hardware_used: section.hardware,
      geographical_location: section.location,
      source
    }).filter(([, v]) => v !== undefined)
  ) as unknown as AiActFrontMatter;
  const cell = (value: string | undefined) =>
    value === undefined ? 'not reported' : escapeCell(value);
  const flops = section.trainingComputeFlops;
  const hours = section.trainingTimeHours;
  const rows: Array<[string, string]> = [
    [
      '2(d) Computational resources used for training',
      cell(flops === undefined ? undefined : `${scientific(flops)} FLOPs`)
    ],
    ['2(d) Training time', cell(hours === undefined ? undefined : `${plain(hours)} h`)],
    [
      '2(e) Energy consumption',
      cell(energy === undefined ? undefined : `${plain(energy)} kWh, ${status}`)
    ],
    ['Hardware', cell(section.hardware)],
    ['Location', cell(section.location)]
  ];
  const markdown = [
    AI_ACT_BEGIN,
    '## Energy (EU AI Act, Annex XI)',
    '',
    `Technical documentation of a general-purpose AI model: ${AI_ACT_SOURCE}.`,
    '',
    '| Annex XI, Section 1 | Value |',
    '|---|---|',
    ...rows.map(([name, value]) => `| ${name} | ${value} |`),
    '',
    `Source: ${escapeCell(source)}.`,
    AI_ACT_END,
    ''
  ].join('\n');
  return { section, front, markdown };
}

/** The body with its Annex XI section replaced whole, or appended when it has none. */
function withBodySection(body: string, markdown: string, eol: string): string {
  const section = markdown.replace(/\n/g, eol);
  const begin = body.indexOf(AI_ACT_BEGIN);
  const end = body.indexOf(AI_ACT_END);
  if (begin === -1 && end === -1) {
    const sep = body.length === 0 || body.endsWith('\n') ? '' : eol;
    return `${body}${sep}${body.trim() === '' ? '' : eol}${section}`;
  }
  if (begin === -1 || end < begin) {
    throw new FieldError(
      'readme',
      'the Annex XI section has a broken begin/end marker: fix it by hand'
    );
  }
  let after = end + AI_ACT_END.length;
  if (body.startsWith(eol, after)) after += eol.length;
  return body.slice(0, begin) + section + body.slice(after);
}

/** Card text from a label: no markup, no line breaks, no table pipes. */
function escapeCell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\s+/g, ' ');
}

function plain(n: number): string {
  return String(Number(n.toPrecision(6)));
}

function scientific(n: number): string {
  const [mantissa, exponent] = Number(n.toPrecision(6)).toExponential().split('e');
  return `${mantissa} × 10^${Number(exponent)}`;
}
