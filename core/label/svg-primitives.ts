/**
 * What the label drawing and its "where you stand" charts share: the escaper, the colours and the
 * text and attribute writers. Every string a record carries reaches the SVG through `escapeXml`.
 */
import { escapeMarkup } from '../format';
import { Rating } from './metrics';

/** Fill and letter colour per rating: dark green to red, letters chosen for contrast. */
export const RATING_COLOURS: Record<Rating, { fill: string; text: string }> = {
  A: { fill: '#00843d', text: '#ffffff' },
  B: { fill: '#5cb531', text: '#000000' },
  C: { fill: '#ffd500', text: '#000000' },
  D: { fill: '#f39200', text: '#000000' },
  E: { fill: '#d7191c', text: '#ffffff' }
};

export const WIDTH = 360;
export const INK = '#1a1a1a';
export const MUTED = '#404040';
export const FONT = 'DejaVu Sans, Verdana, Arial, Helvetica, sans-serif';

/**
 * The shared escaper (core/format.ts). `&apos;` keeps the label SVG byte-identical to what earlier
 * versions drew.
 */
export function escapeXml(text: string): string {
  return escapeMarkup(text, '&apos;');
}

/** At most `max` characters (code points, so no surrogate pair is split), with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(String(text));
  return chars.length <= max ? chars.join('') : chars.slice(0, max - 1).join('') + '…';
}

/** Words into lines of at most `max` characters, at most `lines` of them (the last truncated). */
export function wrap(text: string, max: number, lines: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of String(text).split(/\s+/).filter(Boolean)) {
    const joined = line ? `${line} ${word}` : word;
    if (Array.from(joined).length <= max || !line) {
      line = joined;
      continue;
    }
    out.push(line);
    line = word;
  }
  if (line) out.push(line);
  if (out.length <= lines) return out.map(l => truncate(l, max));
  return [...out.slice(0, lines - 1), truncate(out.slice(lines - 1).join(' '), max)];
}

export type Attrs = Record<string, string | number>;

export function attrs(a: Attrs): string {
  return Object.entries(a)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

export function text(x: number, y: number, content: string, a: Attrs = {}): string {
  return `<text${attrs({ x, y, fill: INK, 'font-size': 13, ...a })}>${escapeXml(content)}</text>`;
}
