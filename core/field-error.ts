/**
 * Invalid input that names the offending field (dotted path such as `metrics.latencyMs`), so a
 * CLI, a magic or a widget can point the user at the exact value to fix.
 */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    detail: string
  ) {
    super(`${field}: ${detail}`);
    this.name = 'FieldError';
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A finite number >= 0 (or > 0 when `positive`), else a FieldError naming `field`. */
export function requireNumber(
  value: unknown,
  field: string,
  opts: { positive?: boolean; max?: number } = {}
): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new FieldError(field, `must be a finite number, got ${describe(value)}`);
  }
  if (value < 0) throw new FieldError(field, `must not be negative, got ${value}`);
  if (opts.positive && value === 0) throw new FieldError(field, 'must be greater than 0');
  if (opts.max !== undefined && value > opts.max) {
    throw new FieldError(field, `must be at most ${opts.max}, got ${value}`);
  }
  return value;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  return Array.isArray(value) ? 'an array' : typeof value;
}
