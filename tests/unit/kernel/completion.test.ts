import { completeReply } from '../../../kernel/completion';

/** What tslab hands back for `Math.P|`: prefix matches first, then names that merely contain P. */
const mathP = {
  matches: ['PI', 'pow', 'exp', 'expm1', 'hypot', 'log1p'],
  start: 5,
  end: 6,
  kinds: new Map([
    ['PI', 'property'],
    ['pow', 'method'],
    ['exp', 'method'],
    ['expm1', 'method'],
    ['hypot', 'method'],
    ['log1p', 'method']
  ])
};

describe('completeReply', () => {
  test('keeps only the matches that start with what was typed, in any case', () => {
    const reply = completeReply('Math.P', 6, mathP);
    expect(reply.matches).toEqual(['PI', 'pow']);
    for (const m of reply.matches) expect(m.toLowerCase().startsWith('p')).toBe(true);
  });

  test('gives each match its kind in _jupyter_types_experimental', () => {
    expect(completeReply('Math.P', 6, mathP).metadata._jupyter_types_experimental).toEqual([
      { start: 5, end: 6, text: 'PI', type: 'property', signature: '' },
      { start: 5, end: 6, text: 'pow', type: 'method', signature: '' }
    ]);
  });

  test('with nothing typed yet every match stays', () => {
    const reply = completeReply('Math.', 5, { ...mathP, start: 5, end: 5 });
    expect(reply.matches).toEqual(mathP.matches);
  });

  test('the prefix is what precedes the cursor, not the rest of the name', () => {
    const found = { matches: ['toFixed', 'toString'], start: 8, end: 13, kinds: new Map() };
    expect(completeReply('Math.PI.toFix', 10, found).matches).toEqual(['toFixed', 'toString']);
    expect(completeReply('Math.PI.toFix', 13, found).matches).toEqual(['toFixed']);
  });

  test('cursor positions count code points, as the protocol does', () => {
    // '🙂' is two UTF-16 units but one code point.
    const reply = completeReply('🙂; Math.P', 10, { ...mathP, start: 9, end: 10 });
    expect(reply.cursor_start).toBe(8);
    expect(reply.cursor_end).toBe(9);
    expect(reply.matches).toEqual(['PI', 'pow']);
  });
});
