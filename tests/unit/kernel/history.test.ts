/** history_request: tail, range and search (SQLite GLOB semantics, as IPython), with outputs. */
import { globToRegExp, History } from '../../../kernel/history';

function filled(): History {
  const h = new History();
  const cells = [
    'const a = 1;', // 1
    'a + 1', // 2
    'console.log(a)', // 3
    'a + 1', // 4
    'let b = [a];', // 5
    'b.length', // 6
    'a + 2' // 7
  ];
  cells.forEach((code, i) => h.add(i + 1, code));
  h.setOutput(2, '2');
  h.setOutput(4, '2');
  h.setOutput(6, '1');
  h.setOutput(7, '3');
  return h;
}

const inputs = (entries: unknown[][]) => entries.map(e => e[2]);
const lines = (entries: unknown[][]) => entries.map(e => e[1]);

describe('globToRegExp', () => {
  const matches = (pattern: string, text: string) => globToRegExp(pattern).test(text);

  test('* matches any run, including newlines and nothing', () => {
    expect(matches('*', '')).toBe(true);
    expect(matches('a*', 'a + 1')).toBe(true);
    expect(matches('*log*', 'x\nconsole.log(1)\ny')).toBe(true);
    expect(matches('a*', 'ba')).toBe(false);
  });

  test('? matches exactly one character', () => {
    expect(matches('a + ?', 'a + 1')).toBe(true);
    expect(matches('a + ?', 'a + 12')).toBe(false);
    expect(matches('a?b', 'a\nb')).toBe(true);
    expect(matches('?', '')).toBe(false);
  });

  test('[...] classes, ranges and [^...] negation', () => {
    expect(matches('a + [12]', 'a + 2')).toBe(true);
    expect(matches('a + [12]', 'a + 3')).toBe(false);
    expect(matches('[a-c]x', 'bx')).toBe(true);
    expect(matches('[a-c]x', 'dx')).toBe(false);
    expect(matches('a + [^1]', 'a + 2')).toBe(true);
    expect(matches('a + [^1]', 'a + 1')).toBe(false);
  });

  test('a ] right after [ or [^ is a member of the class, as in SQLite', () => {
    expect(matches('[]]', ']')).toBe(true);
    expect(matches('[]a]', 'a')).toBe(true);
    expect(matches('[]a]', 'b')).toBe(false);
    expect(matches('[^]]', ']')).toBe(false);
    expect(matches('[^]]', 'x')).toBe(true);
    expect(matches('[^]a]x', 'bx')).toBe(true);
    expect(matches('[^]a]x', 'ax')).toBe(false);
  });

  test('an unclosed [ is a literal', () => {
    expect(matches('a[b', 'a[b')).toBe(true);
    expect(matches('a[', 'a[')).toBe(true);
  });

  test('regular-expression characters are literals; matching is case-sensitive', () => {
    expect(matches('a.b', 'a.b')).toBe(true);
    expect(matches('a.b', 'axb')).toBe(false);
    expect(matches('f(x) + $y ^ {z} | w \\ v', 'f(x) + $y ^ {z} | w \\ v')).toBe(true);
    expect(matches('a+', 'aa')).toBe(false);
    expect(matches('[\\]', '\\')).toBe(true);
    expect(matches('A*', 'a')).toBe(false);
  });
});

describe('History', () => {
  test('tail: the last n entries as [session, line, input]', () => {
    const h = filled();
    expect(h.query({ hist_access_type: 'tail', n: 3 })).toEqual([
      [1, 5, 'let b = [a];'],
      [1, 6, 'b.length'],
      [1, 7, 'a + 2']
    ]);
    expect(h.query({ hist_access_type: 'tail', n: 100 })).toHaveLength(7);
    expect(lines(h.query({ hist_access_type: 'tail' }))).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  test('tail with n = 0 (or negative) gives nothing', () => {
    const h = filled();
    expect(h.query({ hist_access_type: 'tail', n: 0 })).toEqual([]);
    expect(h.query({ hist_access_type: 'tail', n: -2 })).toEqual([]);
  });

  test('tail defaults to 10 entries', () => {
    const h = new History();
    for (let i = 1; i <= 15; i++) h.add(i, `x${i}`);
    expect(lines(h.query({ hist_access_type: 'tail' }))).toEqual([
      6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    ]);
    // An unknown access type is treated as tail.
    expect(h.query({})).toHaveLength(10);
  });

  test('output=true pairs every input with its output, null when none', () => {
    const h = filled();
    expect(h.query({ hist_access_type: 'tail', n: 4, output: true })).toEqual([
      [1, 4, ['a + 1', '2']],
      [1, 5, ['let b = [a];', null]],
      [1, 6, ['b.length', '1']],
      [1, 7, ['a + 2', '3']]
    ]);
  });

  test('range: start inclusive, stop exclusive, defaults to everything', () => {
    const h = filled();
    expect(h.query({ hist_access_type: 'range', start: 2, stop: 4 })).toEqual([
      [1, 2, 'a + 1'],
      [1, 3, 'console.log(a)']
    ]);
    expect(lines(h.query({ hist_access_type: 'range', start: 6 }))).toEqual([6, 7]);
    expect(lines(h.query({ hist_access_type: 'range', stop: 3 }))).toEqual([1, 2]);
    expect(lines(h.query({ hist_access_type: 'range', start: 3, stop: 4, output: true }))).toEqual([
      3
    ]);
    expect(h.query({ hist_access_type: 'range', start: 4, stop: 5, output: true })).toEqual([
      [1, 4, ['a + 1', '2']]
    ]);
  });

  test('range: the current session by number or 0; other sessions are not kept', () => {
    const h = filled();
    expect(h.session).toBe(1);
    expect(h.query({ hist_access_type: 'range', session: 1, start: 1, stop: 2 })).toEqual([
      [1, 1, 'const a = 1;']
    ]);
    expect(h.query({ hist_access_type: 'range', session: 0, start: 1, stop: 2 })).toHaveLength(1);
    expect(h.query({ hist_access_type: 'range', session: 2 })).toEqual([]);
    // Negative sessions count back from the current one (IPython): -1 is the previous run.
    expect(h.query({ hist_access_type: 'range', session: -1 })).toEqual([]);
  });

  test('range without stop reaches the last line even when lines have gaps', () => {
    const h = new History();
    h.add(1, 'one');
    h.add(5, 'five');
    h.add(9, 'nine');
    expect(lines(h.query({ hist_access_type: 'range' }))).toEqual([1, 5, 9]);
    expect(lines(h.query({ hist_access_type: 'range', start: 2 }))).toEqual([5, 9]);
    expect(lines(h.query({ hist_access_type: 'tail', n: 2 }))).toEqual([5, 9]);
  });

  test('search: glob over the whole input', () => {
    const h = filled();
    expect(inputs(h.query({ hist_access_type: 'search', pattern: 'a + *' }))).toEqual([
      'a + 1',
      'a + 1',
      'a + 2'
    ]);
    expect(lines(h.query({ hist_access_type: 'search', pattern: 'a + ?' }))).toEqual([2, 4, 7]);
    expect(lines(h.query({ hist_access_type: 'search', pattern: 'a + [2-9]' }))).toEqual([7]);
    expect(lines(h.query({ hist_access_type: 'search', pattern: '*log*' }))).toEqual([3]);
    expect(h.query({ hist_access_type: 'search', pattern: 'log' })).toEqual([]);
    expect(h.query({ hist_access_type: 'search' })).toHaveLength(7);
  });

  test('search unique keeps the latest of identical inputs, in order', () => {
    const h = filled();
    expect(h.query({ hist_access_type: 'search', pattern: 'a + *', unique: true })).toEqual([
      [1, 4, 'a + 1'],
      [1, 7, 'a + 2']
    ]);
  });

  test('search n keeps the latest n matches', () => {
    const h = filled();
    expect(lines(h.query({ hist_access_type: 'search', pattern: '*', n: 2 }))).toEqual([6, 7]);
    expect(lines(h.query({ hist_access_type: 'search', pattern: 'a*', n: 2 }))).toEqual([4, 7]);
    expect(
      lines(h.query({ hist_access_type: 'search', pattern: 'a + *', n: 1, unique: true }))
    ).toEqual([7]);
    expect(h.query({ hist_access_type: 'search', pattern: '*', n: 0 })).toHaveLength(7);
  });

  test('search with output=true', () => {
    const h = filled();
    expect(h.query({ hist_access_type: 'search', pattern: 'b*', output: true })).toEqual([
      [1, 6, ['b.length', '1']]
    ]);
  });

  test('re-adding a line replaces it; outputs are kept per line', () => {
    const h = new History();
    h.add(1, 'x');
    h.add(1, 'y');
    h.setOutput(1, 'Y');
    expect(h.query({ hist_access_type: 'tail', n: 5, output: true })).toEqual([[1, 1, ['y', 'Y']]]);
  });
});
