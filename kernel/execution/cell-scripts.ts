/**
 * Which cell each script V8 runs came from, and the cell line of each of its lines: what a CPU
 * profile of the run code needs to point at the cells' own lines. TypeScript emits each cell with
 * an inline source map (its lines against tslab's source file, which puts one line before the
 * cell), the CommonJS pass says which of its lines each line of its output comes from, and the
 * runner names the cell (its execution count) once the conversion ran.
 */

/** A cell as it ran: its number and the text of its lines, to show beside their energy. */
export interface CellScript {
  cell: number;
  /** The cell's body lines (after a cell magic), for display. */
  body: string[];
  /** Body line (1-based) of a script line (1-based); undefined for lines the kernel added. */
  lineOf(scriptLine: number): number | undefined;
}

/** Lines tslab puts before the cell in the file TypeScript compiles (`export {};`). */
const SOURCE_PREFIX_LINES = 1;
/** How tslab's executor wraps a cell's CommonJS. */
const WRAPPERS = ['(function(exports, require) { ', '(async function(exports, require) { '];
const WRAPPER_END = '\n})(__tslab__.exports, __tslab__.require)';
/** Kept for the cells run last: older ones fall out of profiles' reach. */
const MAX_CELLS = 1000;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * For each generated line of a source map's `mappings`, the source line (0-based) of its first
 * segment that has one, or -1.
 */
export function sourceLinesOf(mappings: string): number[] {
  const lines: number[] = [];
  let sourceLine = 0;
  for (const generated of mappings.split(';')) {
    let first = -1;
    for (const segment of generated.split(',')) {
      if (segment === '') continue;
      const fields = decodeVlq(segment);
      // [column, source, source line, source column, name]; lines are deltas across the map.
      if (fields.length >= 4) {
        sourceLine += fields[2];
        if (first < 0) first = sourceLine;
      }
    }
    lines.push(first);
  }
  return lines;
}

function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = BASE64.indexOf(ch);
    if (digit < 0) throw new SyntaxError(`not a source map segment: ${segment}`);
    value += (digit & 31) * 2 ** shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -Math.floor(value / 2) : Math.floor(value / 2));
    value = 0;
    shift = 0;
  }
  return values;
}

const INLINE_MAP = /\n?\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;
const FILE_MAP = /\n?\/\/# sourceMappingURL=\S+\s*$/;

/** The code without its trailing inline source map, and the source line of each of its lines. */
export function withoutInlineMap(js: string): { code: string; sourceLines?: number[] } {
  const m = INLINE_MAP.exec(js);
  if (!m) return { code: js };
  const code = js.slice(0, m.index) + (js.slice(0, m.index).endsWith('\n') ? '' : '\n');
  try {
    const map = JSON.parse(Buffer.from(m[1], 'base64').toString('utf8')) as { mappings?: unknown };
    if (typeof map.mappings !== 'string') return { code };
    return { code, sourceLines: sourceLinesOf(map.mappings) };
  } catch {
    return { code };
  }
}

/** The code without a trailing `//# sourceMappingURL=file` line (TypeScript's `sourceMap`). */
export function withoutMapComment(js: string): string {
  return js.replace(FILE_MAP, '\n');
}

/** `a[b[i]]` for each line of the output: two line maps, one after the other. */
export function composeLines(outer: readonly number[], inner: readonly number[]): number[] {
  return outer.map(line => (line >= 0 && line < inner.length ? inner[line] : -1));
}

interface Conversion {
  code: string;
  /** Source-file line (0-based) of each line of `code`, -1 where none. */
  sourceLines: number[];
}

let pending: Conversion | undefined;
const scripts = new Map<string, CellScript>();

/** The CommonJS the converter made last, with its lines against tslab's source file. */
export function noteConversion(code: string, sourceLines: number[]): void {
  pending = { code, sourceLines };
}

/** Forgets the last conversion: a run that converts nothing must not claim an older one. */
export function clearConversion(): void {
  pending = undefined;
}

/**
 * The conversion since clearConversion() was cell `cell`, whose code (magic lines masked, same
 * line count) had its body start at line `bodyStart` (0-based: 1 after a cell magic).
 */
export function claimConversion(cell: number, code: string, bodyStart: number): void {
  const conversion = pending;
  pending = undefined;
  if (!conversion) return;
  const body = code.split('\n').slice(bodyStart);
  const { sourceLines } = conversion;
  scripts.delete(conversion.code);
  scripts.set(conversion.code, {
    cell,
    body,
    lineOf: scriptLine => {
      const source = sourceLines[scriptLine - 1];
      if (source === undefined || source < 0) return undefined;
      const line = source - SOURCE_PREFIX_LINES - bodyStart + 1;
      return line >= 1 && line <= body.length ? line : undefined;
    }
  });
  if (scripts.size > MAX_CELLS) scripts.delete(scripts.keys().next().value!);
}

/** The cell a script V8 ran came from, by the script's source text. */
export function cellScriptOf(scriptSource: string): CellScript | undefined {
  if (!scriptSource.endsWith(WRAPPER_END)) return undefined;
  const wrapper = WRAPPERS.find(w => scriptSource.startsWith(w));
  if (!wrapper) return undefined;
  return scripts.get(scriptSource.slice(wrapper.length, -WRAPPER_END.length));
}

/** Forgets every cell (tests). */
export function resetCellScripts(): void {
  pending = undefined;
  scripts.clear();
}
