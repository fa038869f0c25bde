/**
 * Finds `%gaissa` line magics and a `%%gaissa` cell magic in a cell, and masks them with comments of
 * the same length so TypeScript sees valid code and every offset (completion, inspection,
 * diagnostics) still points at the same character of the user's cell.
 */

export interface MagicCall {
  kind: 'line' | 'cell';
  /** Zero-based line of the magic in the cell. */
  line: number;
  /** Tokens after `%gaissa` / `%%gaissa`: the command and its arguments. */
  tokens: string[];
  /** The magic's own text, for error messages. */
  source: string;
}

export interface ParsedCell {
  /** The cell magic when the first line is `%%gaissa ...`. */
  cell?: MagicCall;
  /** Line magics in order of appearance. */
  lines: MagicCall[];
  /** The cell with every magic line masked; same length as the input. */
  code: string;
}

export class MagicError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MagicError';
  }
}

const CELL_PREFIX = /^%%gaissa(?=\s|$)/;
const LINE_PREFIX = /^(\s*)%gaissa(?=\s|$)/;

/** Splits a magic's argument string like a POSIX shell: whitespace, single and double quotes, `\`. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) current += text[++i];
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inToken = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      current += text[++i];
      inToken = true;
    } else if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += ch;
      inToken = true;
    }
  }
  if (quote) throw new MagicError(`unterminated ${quote} quote in: ${text.trim()}`);
  if (inToken) tokens.push(current);
  return tokens;
}

/** Overwrites the first two characters of the magic with `//`, so lengths never change. */
function mask(line: string, at: number): string {
  return line.slice(0, at) + '//' + line.slice(at + 2);
}

export function parseCell(source: string): ParsedCell {
  const lines = source.split('\n');
  const result: ParsedCell = { lines: [], code: source };
  lines.forEach((text, index) => {
    const body = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (index === 0 && CELL_PREFIX.test(body)) {
      result.cell = {
        kind: 'cell',
        line: 0,
        tokens: tokenize(body.slice('%%gaissa'.length)),
        source: body
      };
      lines[0] = mask(text, 0);
      return;
    }
    const m = LINE_PREFIX.exec(body);
    if (m) {
      result.lines.push({
        kind: 'line',
        line: index,
        tokens: tokenize(body.slice(m[0].length)),
        source: body.trim()
      });
      lines[index] = mask(text, m[1].length);
    } else if (/^\s*%%gaissa(?=\s|$)/.test(body)) {
      throw new MagicError(
        `%%gaissa must be the first line of the cell (found on line ${index + 1})`
      );
    }
  });
  result.code = lines.join('\n');
  return result;
}
