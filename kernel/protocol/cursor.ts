/**
 * Since protocol 5.2 cursor positions count Unicode code points; JavaScript strings index UTF-16
 * code units. Converting both ways keeps completion right after an emoji or a CJK extension char.
 */
export function codePointToIndex(text: string, codePoints: number): number {
  let index = 0;
  for (let n = 0; n < codePoints && index < text.length; n++) {
    index += (text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
  }
  return index;
}

export function indexToCodePoint(text: string, index: number): number {
  let n = 0;
  for (let i = 0; i < index && i < text.length; n++) {
    i += (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
  }
  return n;
}
