import { wrap } from '../../../../core/label/svg-primitives';

describe('wrap', () => {
  test('breaks between words, keeps every word, and truncates past the last line', () => {
    expect(wrap('one two three four', 9, 3)).toEqual(['one two', 'three', 'four']);
    expect(wrap('one two three four', 9, 2)).toEqual(['one two', 'three fo…']);
    expect(wrap('a-very-long-word x', 5, 2)).toEqual(['a-ve…', 'x']);
    expect(wrap('  spaced \n out ', 20, 1)).toEqual(['spaced out']);
    expect(wrap('', 10, 2)).toEqual([]);
  });
});
