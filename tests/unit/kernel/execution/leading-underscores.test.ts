import { unescapeExportList } from '../../../../kernel/execution/leading-underscores';

describe('unescapeExportList', () => {
  test("unescapes TypeScript's escaped names in tslab's closing export list", () => {
    expect(unescapeExportList('const __x = 1; __x + 1\nexport {___x, y, ____z}')).toBe(
      'const __x = 1; __x + 1\nexport {__x, y, ___z}'
    );
  });

  test('leaves the cell itself and names without the escape alone', () => {
    const cell = 'const ___a = "___b";\nexport {_c, d}';
    expect(unescapeExportList(cell)).toBe(cell);
  });

  test('only the last line is the export list', () => {
    const cell = 'export {___x}\nconst y = 1;';
    expect(unescapeExportList(cell)).toBe(cell);
  });
});
