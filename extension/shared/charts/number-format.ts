/**
 * The number formats our Vega-Lite specs name (d3-format strings such as '.3~s', '.1~%', ',d'),
 * for the SVG charts that draw the same specs: one string says how an axis or tooltip reads in
 * both. Only the subset the specs use: optional ',' grouping, '.precision', '~' (trim zeros) and
 * the types s (SI prefix), % , g, d, or none.
 */

const SI = ['y', 'z', 'a', 'f', 'p', 'n', 'µ', 'm', '', 'k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
const PATTERN = /^(,)?(?:\.(\d+))?(~)?([s%gd])?$/;

/** Drops a decimal tail of zeros: '1.50' → '1.5', '2.00' → '2'; exponents stay. */
function trim(text: string): string {
  return text.replace(/(\.\d*?)0+(?=$|e)/, '$1').replace(/\.(?=$|e)/, '');
}

function group(text: string): string {
  const [whole, fraction] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** A formatter for `spec`; an unknown spec formats like the default (shortest plain number). */
export function numberFormat(spec: string): (value: number) => string {
  const match = PATTERN.exec(spec) ?? [];
  const comma = match[1] === ',';
  const precision = match[2] === undefined ? undefined : Number(match[2]);
  const tilde = match[3] === '~';
  const type = match[4] ?? '';
  const body = (v: number): string => {
    switch (type) {
      case 's': {
        const p = Math.max(1, precision ?? 6);
        if (v === 0) return '0';
        // Rounded first, so 999.96 reads 1.00k, not 1000.
        const rounded = Number(v.toPrecision(p));
        const index = Math.max(-8, Math.min(8, Math.floor(Math.log10(rounded) / 3)));
        const text = (rounded / 10 ** (3 * index)).toPrecision(p);
        return (tilde ? trim(text) : text) + SI[index + 8];
      }
      case '%': {
        const text = (v * 100).toFixed(precision ?? 6);
        return `${tilde ? trim(text) : text}%`;
      }
      case 'g': {
        const text = v.toPrecision(Math.max(1, precision ?? 6));
        return tilde ? trim(text) : text;
      }
      case 'd':
        return String(Math.round(v));
      default:
        return String(Number(v.toPrecision(precision ?? 12)));
    }
  };
  return value => {
    if (!Number.isFinite(value)) return String(value);
    const text = body(Math.abs(value));
    const signed = comma ? group(text) : text;
    // d3's minus sign; no '-0' for a value that rounds to zero.
    return value < 0 && /[1-9]/.test(signed) ? `−${signed}` : signed;
  };
}
