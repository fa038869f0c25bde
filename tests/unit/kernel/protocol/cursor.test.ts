/** Protocol cursor positions count code points; JavaScript strings count UTF-16 units. */
import fc from 'fast-check';
import { codePointToIndex, indexToCodePoint } from '../../../../kernel/protocol/cursor';

describe('cursor conversion', () => {
  test('ASCII: code points and indices coincide', () => {
    const s = 'const x = 1;';
    for (let i = 0; i <= s.length; i++) {
      expect(codePointToIndex(s, i)).toBe(i);
      expect(indexToCodePoint(s, i)).toBe(i);
    }
  });

  test('BMP characters outside ASCII (é, CJK) are one unit each', () => {
    const s = 'é中x';
    expect(codePointToIndex(s, 2)).toBe(2);
    expect(indexToCodePoint(s, 3)).toBe(3);
  });

  test('an emoji counts one code point and two UTF-16 units', () => {
    const s = 'a😀b';
    expect(s.length).toBe(4);
    expect(codePointToIndex(s, 0)).toBe(0);
    expect(codePointToIndex(s, 1)).toBe(1);
    expect(codePointToIndex(s, 2)).toBe(3); // after the emoji
    expect(codePointToIndex(s, 3)).toBe(4);
    expect(indexToCodePoint(s, 0)).toBe(0);
    expect(indexToCodePoint(s, 1)).toBe(1);
    expect(indexToCodePoint(s, 3)).toBe(2);
    expect(indexToCodePoint(s, 4)).toBe(3);
  });

  test('completion right after several astral characters lands on the right unit', () => {
    const s = '😀😀𝒳 = 1; con';
    // Protocol cursor at the end: code point count.
    const cp = [...s].length;
    expect(cp).toBe(s.length - 3);
    expect(codePointToIndex(s, cp)).toBe(s.length);
    expect(indexToCodePoint(s, s.length)).toBe(cp);
    const at = s.indexOf('con');
    expect(s.slice(codePointToIndex(s, indexToCodePoint(s, at)))).toBe('con');
  });

  test('positions beyond the text are clamped to its end', () => {
    expect(codePointToIndex('a😀', 99)).toBe(3);
    expect(indexToCodePoint('a😀', 99)).toBe(2);
    expect(codePointToIndex('', 5)).toBe(0);
    expect(indexToCodePoint('', 5)).toBe(0);
  });

  test('a lone surrogate counts as one code point', () => {
    const s = 'a\ud83db';
    expect(codePointToIndex(s, 2)).toBe(2);
    expect(indexToCodePoint(s, 3)).toBe(3);
  });

  test('property: the two conversions are inverse on code point boundaries', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), s => {
        const points = [...s];
        let index = 0;
        for (let cp = 0; cp <= points.length; cp++) {
          expect(codePointToIndex(s, cp)).toBe(index);
          expect(indexToCodePoint(s, index)).toBe(cp);
          index += points[cp]?.length ?? 0;
        }
      })
    );
  });
});
