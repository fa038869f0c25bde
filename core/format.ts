/**
 * How figures are written for people, in one place for the kernel's views, the labels and the
 * extension: number formats, SI prefixes, energy, power and CO2e, and the escapers. Isomorphic:
 * no Node imports, no locale data (conversions between units are core/units.ts).
 *
 * Views format payloads from notebooks written by strangers, so the number formats take
 * `unknown` where they can and never throw on odd input.
 */

/** The value if it is a finite number, else null (strings, NaN, Infinity and null included). */
export function finiteNumber(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** Thousands separated by commas, done by hand so the output does not depend on ICU data. */
function groupThousands(integer: number): string {
  const digits = String(Math.abs(integer)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return integer < 0 ? `-${digits}` : digits;
}

/**
 * Compact, locale-independent number: three significant digits, thousands grouped, an exponent
 * only for tiny or huge magnitudes; "n/a" for anything that is not a finite number.
 * Integers stay exact below 1e15 (under 2^53), which is why the exponent starts there.
 */
export function formatNumber(x: unknown): string {
  const v = finiteNumber(x);
  if (v === null) return 'n/a';
  if (v === 0) return '0';
  if (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e15) return v.toExponential(2);
  // Round first, so 999.96 reads "1,000" like any other four-digit figure.
  const rounded = Number(v.toPrecision(3));
  if (Math.abs(rounded) >= 1000) return groupThousands(Math.round(v));
  return String(rounded);
}

/**
 * Three significant digits written out as a decimal down to 1e-6, where formatNumber already
 * switches to an exponent below 1e-3: a cell's energy cost is often a fraction of a cent
 * ("0.000123"), and the extension's cards show it so. Thousands grouped, "n/a" for non-finite.
 */
export function formatDecimal(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs < 1e-6) return value.toExponential(2);
  return String(Number(value.toPrecision(3)));
}

/** A value with the SI prefix that keeps it readable: 0.0123 J -> "12.3 mJ", 45600 J -> "45.6 kJ". */
export function formatSI(value: number, unit: string, significant = 3): string {
  if (!Number.isFinite(value)) return `- ${unit}`;
  if (value === 0) return `0 ${unit}`;
  const prefixes: ReadonlyArray<readonly [number, string]> = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
    [1, ''],
    [1e-3, 'm'],
    [1e-6, 'µ'],
    [1e-9, 'n']
  ];
  const magnitude = Math.abs(value);
  const [scale, prefix] = prefixes.find(([s]) => magnitude >= s) ?? prefixes[prefixes.length - 1];
  return `${Number((value / scale).toPrecision(significant))} ${prefix}${unit}`;
}

/** Energy in J with its SI prefix ("12.3 mJ", "45.6 kJ"); "n/a" for a non-finite value. */
export function formatEnergy(joules: number): string {
  return Number.isFinite(joules) ? formatSI(joules, 'J') : 'n/a';
}

export function formatPower(watts: number): string {
  return Number.isFinite(watts) ? formatSI(watts, 'W') : 'n/a';
}

export function formatCo2e(grams: number): string {
  return Number.isFinite(grams) ? `${formatSI(grams, 'g')} CO2e` : 'n/a';
}

/**
 * Text made safe for HTML and XML character data and quoted attribute values.
 *
 * Dropped first: characters XML 1.0 forbids (they make an SVG ill-formed), C1 controls, lone
 * surrogates, and bidirectional overrides/isolates (they can make a name read as something else).
 * Then the five markup characters become entities. The apostrophe defaults to `&#39;`, valid in
 * HTML 4, HTML5 and XML alike; `&apos;` is accepted for callers whose output pinned that spelling.
 */
export function escapeMarkup(text: string, apostrophe: '&#39;' | '&apos;' = '&#39;'): string {
  return String(text)
    .replace(
      // eslint-disable-next-line no-control-regex
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      ''
    )
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, apostrophe);
}

// eslint-disable-next-line no-control-regex
const NOT_PLAIN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Text made safe for text/plain: control characters (except tab and newline) and bidirectional
 * overrides are dropped, so a payload cannot drive a terminal or reorder what a reader sees.
 */
export function plainText(text: string): string {
  return String(text).replace(NOT_PLAIN, '');
}
