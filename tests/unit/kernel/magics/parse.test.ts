/**
 * Magic parsing: `%gaissa` line magics anywhere, `%%gaissa` only as the first line, masked by
 * same-length comments so every offset in the cell still points at the user's character.
 */
import fc from 'fast-check';
import { MagicError, parseCell, tokenize } from '../../../../kernel/magics/parse';

/** Every index differs only where a magic's first two characters were masked. */
function expectOffsetsKept(source: string, code: string, maskedAt: number[]): void {
  expect(code).toHaveLength(source.length);
  const masked = new Set(maskedAt.flatMap(i => [i, i + 1]));
  for (let i = 0; i < source.length; i++) {
    if (masked.has(i)) expect(code[i]).toBe('/');
    else expect(code[i]).toBe(source[i]);
  }
}

describe('tokenize', () => {
  test('splits on any whitespace run', () => {
    expect(tokenize('  time  --n 3\t--verbose ')).toEqual(['time', '--n', '3', '--verbose']);
    expect(tokenize('')).toEqual([]);
    expect(tokenize('   ')).toEqual([]);
  });

  test('double and single quotes group words and vanish', () => {
    expect(tokenize('label --name "my model" --note \'a b\'')).toEqual([
      'label',
      '--name',
      'my model',
      '--note',
      'a b'
    ]);
    expect(tokenize('pre"mid dle"post')).toEqual(['premid dlepost']);
    expect(tokenize('"" \'\'')).toEqual(['', '']);
    expect(tokenize('"it\'s"')).toEqual(["it's"]);
    expect(tokenize('\'say "hi"\'')).toEqual(['say "hi"']);
  });

  test('backslash escapes outside quotes and inside double quotes, not inside single', () => {
    expect(tokenize('a\\ b c')).toEqual(['a b', 'c']);
    expect(tokenize('"a \\"q\\" b"')).toEqual(['a "q" b']);
    expect(tokenize("'a\\b'")).toEqual(['a\\b']);
    expect(tokenize('\\"x')).toEqual(['"x']);
    expect(tokenize('--path=C:\\\\tmp')).toEqual(['--path=C:\\tmp']);
  });

  test('an unterminated quote is a MagicError naming the quote', () => {
    expect(() => tokenize('label --name "my model')).toThrow(MagicError);
    expect(() => tokenize('label --name "my model')).toThrow(/unterminated " quote/);
    expect(() => tokenize("x 'y")).toThrow(/unterminated ' quote in: x 'y/);
    // An escaped quote does not open anything.
    expect(tokenize('x \\"y')).toEqual(['x', '"y']);
  });
});

describe('parseCell', () => {
  test('a cell without magics is returned unchanged', () => {
    const src = 'const a = 1;\n// %gaissa in a comment is not at line start\nconsole.log(a % 2)';
    const p = parseCell(src);
    expect(p.cell).toBeUndefined();
    expect(p.lines).toEqual([]);
    expect(p.code).toBe(src);
  });

  test('a cell magic on the first line: tokens, source, masked with //', () => {
    const src = '%%gaissa time --repeat 3\nconst x = 1;\nx + 1';
    const p = parseCell(src);
    expect(p.cell).toEqual({
      kind: 'cell',
      line: 0,
      tokens: ['time', '--repeat', '3'],
      source: '%%gaissa time --repeat 3'
    });
    expect(p.lines).toEqual([]);
    expect(p.code).toBe('//gaissa time --repeat 3\nconst x = 1;\nx + 1');
    expectOffsetsKept(src, p.code, [0]);
  });

  test('line magics anywhere, indented or not, in order', () => {
    const src = 'let a = 1;\n%gaissa version\n  %gaissa help time\nlet b = 2;\n\t%gaissa';
    const p = parseCell(src);
    expect(p.cell).toBeUndefined();
    expect(p.lines).toEqual([
      { kind: 'line', line: 1, tokens: ['version'], source: '%gaissa version' },
      { kind: 'line', line: 2, tokens: ['help', 'time'], source: '%gaissa help time' },
      { kind: 'line', line: 4, tokens: [], source: '%gaissa' }
    ]);
    expect(p.code).toBe('let a = 1;\n//aissa version\n  //aissa help time\nlet b = 2;\n\t//aissa');
    const starts = [
      src.indexOf('%gaissa version'),
      src.indexOf('%gaissa help'),
      src.lastIndexOf('%')
    ];
    expectOffsetsKept(src, p.code, starts);
  });

  test('cell magic and line magics together', () => {
    const src = '%%gaissa time\n%gaissa version\n1';
    const p = parseCell(src);
    expect(p.cell?.tokens).toEqual(['time']);
    expect(p.lines.map(l => [l.line, l.tokens])).toEqual([[1, ['version']]]);
    expect(p.code).toBe('//gaissa time\n//aissa version\n1');
  });

  test('only whole words: %gaissax, %%gaissax and x%gaissa are not magics', () => {
    for (const src of ['%gaissax', '%%gaissax time', 'x %gaissa', 'a\n%gaissa-help', '%gaissa_']) {
      const p = parseCell(src);
      expect(p.cell).toBeUndefined();
      expect(p.lines).toEqual([]);
      expect(p.code).toBe(src);
    }
  });

  test('%%gaissa anywhere but the first line is an error naming the line', () => {
    expect(() => parseCell('const a = 1;\n%%gaissa time\n')).toThrow(MagicError);
    expect(() => parseCell('const a = 1;\n%%gaissa time\n')).toThrow(
      /%%gaissa must be the first line of the cell \(found on line 2\)/
    );
    expect(() => parseCell('%%gaissa time\nx\n  %%gaissa time')).toThrow(/found on line 3/);
    expect(() => parseCell('\n%%gaissa time')).toThrow(/found on line 2/);
  });

  test('the magic arguments are tokenized, and bad quoting is an error', () => {
    const p = parseCell('%gaissa label --name "my model" --note \'x y\'');
    expect(p.lines[0].tokens).toEqual(['label', '--name', 'my model', '--note', 'x y']);
    expect(() => parseCell('1\n%gaissa label --name "oops')).toThrow(/unterminated " quote/);
  });

  test('CRLF lines: the \\r is neither a token nor lost from the code', () => {
    const src = '%%gaissa time\r\nconst a = 1;\r\n%gaissa version\r\n%gaissa\r\na';
    const p = parseCell(src);
    expect(p.cell).toEqual({ kind: 'cell', line: 0, tokens: ['time'], source: '%%gaissa time' });
    expect(p.lines).toEqual([
      { kind: 'line', line: 2, tokens: ['version'], source: '%gaissa version' },
      { kind: 'line', line: 3, tokens: [], source: '%gaissa' }
    ]);
    expect(p.code).toBe('//gaissa time\r\nconst a = 1;\r\n//aissa version\r\n//aissa\r\na');
    expectOffsetsKept(src, p.code, [0, src.indexOf('%gaissa v'), src.lastIndexOf('%')]);
    expect(() => parseCell('x\r\n%%gaissa time\r\n')).toThrow(/found on line 2/);
  });

  test('astral characters before and after magics keep their offsets', () => {
    const src = 'const s = "😀";\n  %gaissa help  \nconst t = "𝒳";';
    const p = parseCell(src);
    expectOffsetsKept(src, p.code, [src.indexOf('%')]);
    expect(p.code.indexOf('𝒳')).toBe(src.indexOf('𝒳'));
  });

  test('property: masking keeps the length and every non-magic character in place', () => {
    const codeLine = fc
      .string({ unit: 'grapheme', maxLength: 20 })
      .filter(s => !s.includes('\n') && !/^\s*%/.test(s));
    const magicLine = fc
      .tuple(
        fc.constantFrom('', ' ', '\t', '   '),
        fc.array(fc.constantFrom('help', 'version', '--n', '3', '"a b"', "'c'", '--x=1'))
      )
      .map(([indent, args]) => `${indent}%gaissa${args.map(a => ' ' + a).join('')}`);
    const line = fc.oneof(codeLine, magicLine);
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(line, { maxLength: 8 }),
        fc.boolean(),
        (withCell, lines, crlf) => {
          const all = withCell ? ['%%gaissa time --n 2', ...lines] : lines;
          const src = all.join(crlf ? '\r\n' : '\n');
          const p = parseCell(src);
          // Where each magic starts in the source.
          const starts: number[] = [];
          let offset = 0;
          all.forEach((text, i) => {
            const m = /^(\s*)%/.exec(text);
            if (m && (text.startsWith('%%') ? i === 0 : true)) starts.push(offset + m[1].length);
            offset += text.length + (crlf ? 2 : 1);
          });
          expectOffsetsKept(src, p.code, starts);
          expect(Boolean(p.cell)).toBe(withCell);
          expect(p.lines).toHaveLength(starts.length - (withCell ? 1 : 0));
        }
      )
    );
  });
});
