/**
 * What the ROI and label functions need from a tactics comparison (`gaissa.compare`, issue 5).
 * The type is structural on purpose: any object with per-variant energy per inference and a
 * baseline/recommended marker works, so these features do not wait on the tactics code and a user
 * can type a comparison by hand.
 */
import { FieldError, describe, isPlainObject } from '../../core/field-error';

export interface ComparedVariant {
  /** Unique within the comparison, e.g. "fp32" or "quantize-dynamic". */
  name: string;
  /** Measured joules per inference. */
  energyPerInferenceJ: number;
  co2ePerInferenceG?: number;
  latencyMs?: number;
  modelSizeMB?: number;
  /** Fraction 0..1. */
  accuracy?: number;
  /** Model file of the variant, hashed into a label. */
  modelPath?: string;
  /** How the energy was obtained; a label says "estimated" unless this says "measured". */
  method?: 'measured' | 'partly-measured' | 'estimated';
  /** Share of the energy a hardware counter measured, 0..1. */
  coverage?: number;
  baseline?: boolean;
  recommended?: boolean;
}

export interface TacticsComparisonLike {
  variants: readonly ComparedVariant[];
  /** Name of the baseline variant, when the variants carry no `baseline: true`. */
  baseline?: string;
  /** Name of the recommended variant, when the variants carry no `recommended: true`. */
  recommended?: string;
}

/** True for anything shaped like a comparison (the variants are checked by `checkComparison`). */
export function isTacticsComparison(value: unknown): value is TacticsComparisonLike {
  // isPlainObject accepts class instances too: a comparison may well be a displayable class.
  return isPlainObject(value) && Array.isArray(value.variants);
}

/** Every problem of a comparison, as `variants[i].field: message` entries. */
export function comparisonProblems(value: TacticsComparisonLike): FieldError[] {
  const problems: FieldError[] = [];
  if (value.variants.length === 0) {
    problems.push(new FieldError('variants', 'is empty: a comparison needs at least one variant'));
  }
  const names = new Set<string>();
  value.variants.forEach((variant: unknown, i) => {
    const at = `variants[${i}]`;
    if (!isPlainObject(variant)) {
      problems.push(new FieldError(at, `must be an object, got ${describe(variant)}`));
      return;
    }
    if (typeof variant.name !== 'string' || variant.name === '') {
      problems.push(new FieldError(`${at}.name`, `must be a non-empty string`));
    } else if (names.has(variant.name)) {
      problems.push(new FieldError(`${at}.name`, `'${variant.name}' appears twice`));
    } else {
      names.add(variant.name);
    }
    const energy = variant.energyPerInferenceJ;
    if (typeof energy !== 'number' || !Number.isFinite(energy) || energy <= 0) {
      problems.push(
        new FieldError(`${at}.energyPerInferenceJ`, `must be a number > 0, got ${describe(energy)}`)
      );
    }
  });
  for (const key of ['baseline', 'recommended'] as const) {
    const name = value[key];
    if (name !== undefined && !names.has(name)) {
      problems.push(new FieldError(key, `names no variant: ${describe(name)}`));
    }
  }
  return problems;
}

function marked(
  comparison: TacticsComparisonLike,
  key: 'baseline' | 'recommended'
): ComparedVariant | undefined {
  const flagged = comparison.variants.filter(v => v[key] === true);
  if (flagged.length > 1) {
    throw new FieldError('variants', `${flagged.length} variants are marked ${key}; mark one`);
  }
  return flagged[0] ?? comparison.variants.find(v => v.name === comparison[key]);
}

/** The variant marked baseline (flag or name), else the first one. */
export function baselineVariant(comparison: TacticsComparisonLike): ComparedVariant {
  return marked(comparison, 'baseline') ?? comparison.variants[0];
}

/**
 * The variant to report: the one named, else the recommended one, else the non-baseline variant
 * with the least energy per inference (a comparison without a recommendation still has a winner
 * on energy; accuracy budgets are the comparison's business).
 */
export function chosenVariant(comparison: TacticsComparisonLike, name?: string): ComparedVariant {
  if (name !== undefined) {
    const named = comparison.variants.find(v => v.name === name);
    if (!named) {
      const known = comparison.variants.map(v => v.name).join(', ');
      throw new FieldError('variant', `no variant named ${describe(name)} (variants: ${known})`);
    }
    return named;
  }
  const recommended = marked(comparison, 'recommended');
  if (recommended) return recommended;
  const baseline = baselineVariant(comparison);
  const others = comparison.variants.filter(v => v !== baseline);
  if (others.length === 0) return baseline;
  return others.reduce((best, v) => (v.energyPerInferenceJ < best.energyPerInferenceJ ? v : best));
}

/** Throws one FieldError listing every problem (the message names each field). */
export function checkComparison(value: TacticsComparisonLike): void {
  const problems = comparisonProblems(value);
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) {
    throw new FieldError(
      'comparison',
      'invalid:\n' + problems.map(p => `  ${p.message}`).join('\n')
    );
  }
}
