/**
 * The training emissions a Hugging Face model card reports: the `co2_eq_emissions` key of the
 * README's YAML front matter, in grams, with the fields the Hub documents beside it (source,
 * training_type, geographical_location, hardware_used).
 *
 * Forms accepted (the Hub's model-card docs say grams; cards in the wild also say kg):
 *   co2_eq_emissions: 12.5                   grams
 *   co2_eq_emissions: "12.5 g" | "1.2 kg" | "0.3 t"   a number with a unit (g, kg, t; "gram",
 *                                              "kilograms", "tonnes"... and a trailing "CO2", "CO2e"
 *                                              or "CO2eq" are allowed)
 *   co2_eq_emissions:
 *     emissions: 12.5 | "1.2 kg"             as above
 *     emissions_unit: kg                     optional (also `unit`), for a bare number
 *     source, training_type, geographical_location, hardware_used   optional strings
 * Cards are written by strangers: anything else (a negative, non-finite or absurdly large figure,
 * text that is not a number, an unknown or conflicting unit, broken front matter) is malformed,
 * reported with its reason and never imported.
 */
import { isMap, parseDocument } from 'yaml';

/** The most a card may claim, 10^11 g (100,000 t CO2e): far above any reported training run. */
export const MAX_EMISSIONS_G = 1e11;

export interface CardCo2 {
  /** Training emissions in grams CO2e. */
  emissionsG: number;
  source?: string;
  trainingType?: string;
  location?: string;
  hardware?: string;
  /** The card's `datasets` (names) and `library_name`, study columns a card can give. */
  datasets?: string[];
  libraryName?: string;
}

export type CardReading =
  { kind: 'reports'; co2: CardCo2 } | { kind: 'silent' } | { kind: 'malformed'; reason: string };

const GRAMS_PER_UNIT: Record<string, number> = {
  g: 1,
  gram: 1,
  grams: 1,
  kg: 1e3,
  kilogram: 1e3,
  kilograms: 1e3,
  t: 1e6,
  tonne: 1e6,
  tonnes: 1e6
};

const NUMBER_WITH_UNIT =
  /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*([a-z]*)\s*(?:co2(?:e|-?eq)?)?$/i;

/** Grams from one emissions value and the unit named beside it; a string saying why, if not. */
function toGrams(value: unknown, unitField: unknown): number | string {
  let unitName: string | undefined;
  if (unitField !== undefined && unitField !== null) {
    if (typeof unitField !== 'string') return 'the emissions unit is not text';
    unitName = unitField.trim().toLowerCase();
  }
  let amount: number;
  if (typeof value === 'number') {
    amount = value;
  } else if (typeof value === 'string') {
    const match = NUMBER_WITH_UNIT.exec(value.trim());
    if (!match) return `emissions ${JSON.stringify(value.slice(0, 40))} is not a number`;
    amount = Number(match[1]);
    const written = match[2].toLowerCase();
    if (written) {
      if (unitName !== undefined && GRAMS_PER_UNIT[unitName] !== GRAMS_PER_UNIT[written]) {
        return `emissions say "${written}" but the unit field says "${unitName}"`;
      }
      unitName = written;
    }
  } else if (value === undefined || value === null) {
    return 'co2_eq_emissions gives no emissions';
  } else {
    return 'emissions is not a number';
  }
  const scale = unitName === undefined ? 1 : GRAMS_PER_UNIT[unitName];
  if (scale === undefined) return `unknown emissions unit "${unitName!.slice(0, 20)}"`;
  const grams = amount * scale;
  if (!Number.isFinite(grams)) return 'emissions is not a finite number';
  if (grams < 0) return `emissions ${amount} is negative`;
  if (grams > MAX_EMISSIONS_G) return `emissions ${grams} g is beyond any training run`;
  return grams;
}

/** A string field as given (trimmed), or undefined for anything that is not text. */
function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** The YAML between the opening and closing `---` lines, '' for none, or why it is broken. */
export function frontMatter(readme: string): { yaml: string } | { error: string } {
  const lines = readme.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trimEnd() !== '---') return { yaml: '' };
  const close = lines.findIndex((line, i) => i > 0 && line.trimEnd() === '---');
  if (close === -1) return { error: 'front matter opens with --- but never closes' };
  return { yaml: lines.slice(1, close).join('\n') };
}

/** What a card's README says about its training emissions. */
export function readCardCo2(readme: string): CardReading {
  const front = frontMatter(readme);
  if ('error' in front) return { kind: 'malformed', reason: front.error };
  if (!front.yaml.trim()) return { kind: 'silent' };
  const doc = parseDocument(front.yaml);
  if (doc.errors.length > 0) {
    return {
      kind: 'malformed',
      reason: `front matter is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`
    };
  }
  if (!isMap(doc.contents)) return { kind: 'malformed', reason: 'front matter is not a mapping' };
  // Plain data only: aliases are resolved with a bound, so a "billion laughs" card cannot blow up.
  let meta: Record<string, unknown>;
  try {
    meta = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  } catch (e) {
    return { kind: 'malformed', reason: `front matter cannot be read: ${(e as Error).message}` };
  }
  if (!Object.hasOwn(meta, 'co2_eq_emissions')) return { kind: 'silent' };
  const field = meta.co2_eq_emissions;
  const block =
    field !== null && typeof field === 'object' && !Array.isArray(field)
      ? (field as Record<string, unknown>)
      : undefined;
  if (Array.isArray(field)) {
    return { kind: 'malformed', reason: 'co2_eq_emissions is a list, not a number or mapping' };
  }
  const grams = block
    ? toGrams(block.emissions, block.emissions_unit ?? block.unit)
    : toGrams(field, undefined);
  if (typeof grams === 'string') return { kind: 'malformed', reason: grams };
  const co2: CardCo2 = { emissionsG: grams };
  const fields: Array<[keyof CardCo2, unknown]> = block
    ? [
        ['source', block.source],
        ['trainingType', block.training_type],
        ['location', block.geographical_location],
        ['hardware', block.hardware_used]
      ]
    : [];
  fields.push(['libraryName', meta.library_name]);
  for (const [key, value] of fields) {
    const t = text(value);
    if (t !== undefined) (co2[key] as string) = t;
  }
  const datasets = typeof meta.datasets === 'string' ? [meta.datasets] : meta.datasets;
  if (Array.isArray(datasets)) {
    const names = datasets.map(text).filter((d): d is string => d !== undefined);
    if (names.length > 0) co2.datasets = names;
  }
  return { kind: 'reports', co2 };
}
