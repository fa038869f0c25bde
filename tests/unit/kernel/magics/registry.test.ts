/** The registry of %gaissa commands: typed options, clear errors that list what is valid, help. */
import { MagicCall, MagicError } from '../../../../kernel/magics/parse';
import { MagicCommand, MagicRegistry, parseArgs } from '../../../../kernel/magics/registry';

const measure: MagicCommand = {
  name: 'measure',
  summary: 'measure the energy of the cell',
  options: [
    { name: 'repeat', type: 'integer', description: 'how many runs', default: 1, min: 1 },
    { name: 'interval', type: 'number', description: 'sampling period in seconds', min: 0.01 },
    { name: 'verbose', type: 'boolean', description: 'print each sample', default: false },
    { name: 'cache', type: 'boolean', description: 'reuse earlier samples', default: true },
    {
      name: 'meter',
      type: 'string',
      description: 'which meter to use',
      choices: ['rapl', 'nvidia', 'estimate']
    },
    { name: 'label', type: 'string', description: 'a name for the run' }
  ],
  line: () => undefined,
  cell: async (_a, _c, body) => body()
};

const compare: MagicCommand = {
  name: 'compare',
  summary: 'compare two runs',
  positionals: [
    { name: 'baseline', description: 'the run to compare against' },
    { name: 'mode', description: 'how to compare', choices: ['energy', 'time'], optional: true }
  ],
  line: () => undefined
};

const flagged: MagicCommand = {
  name: 'flagged',
  summary: 'a boolean and a positional',
  options: [{ name: 'dry', type: 'boolean', description: 'do nothing' }],
  positionals: [{ name: 'run', description: 'the run' }],
  line: () => undefined
};

const tag: MagicCommand = {
  name: 'tag',
  summary: 'tag runs',
  positionals: [{ name: 'names', description: 'tags to add', variadic: true }],
  line: () => undefined
};

const time: MagicCommand = {
  name: 'time',
  summary: 'time the cell',
  cell: async (_a, _c, body) => body()
};

function registry(): MagicRegistry {
  const r = new MagicRegistry();
  for (const c of [time, measure, compare, tag]) r.register(c);
  return r;
}

const line = (...tokens: string[]): MagicCall => ({
  kind: 'line',
  line: 0,
  tokens,
  source: ['%gaissa', ...tokens].join(' ')
});
const cell = (...tokens: string[]): MagicCall => ({ ...line(...tokens), kind: 'cell' });

describe('parseArgs: typed options', () => {
  test('defaults are filled in; unset options without default stay absent', () => {
    const a = parseArgs(measure, []);
    expect(a.options).toEqual({ repeat: 1, verbose: false, cache: true });
    expect(a.positionals).toEqual([]);
  });

  test('number and integer, separate or with =', () => {
    expect(parseArgs(measure, ['--repeat', '5', '--interval=0.25']).options).toMatchObject({
      repeat: 5,
      interval: 0.25
    });
    expect(parseArgs(measure, ['--interval', '1e-1']).options.interval).toBeCloseTo(0.1, 12);
    expect(() => parseArgs(measure, ['--repeat', '2.5'])).toThrow(
      "%gaissa measure --repeat expects a whole number, got '2.5'"
    );
    for (const bad of ['abc', '', ' ', 'Infinity', 'NaN']) {
      expect(() => parseArgs(measure, ['--interval', bad])).toThrow(
        `%gaissa measure --interval expects a number, got '${bad}'`
      );
    }
  });

  test('min is enforced for numbers', () => {
    expect(() => parseArgs(measure, ['--repeat', '0'])).toThrow(
      '%gaissa measure --repeat must be at least 1, got 0'
    );
    expect(() => parseArgs(measure, ['--interval=0.001'])).toThrow(/must be at least 0.01/);
    expect(parseArgs(measure, ['--interval=0.01']).options.interval).toBe(0.01);
  });

  test('booleans: --x, --no-x, --x=true/false', () => {
    expect(parseArgs(measure, ['--verbose']).options.verbose).toBe(true);
    expect(parseArgs(measure, ['--no-cache']).options.cache).toBe(false);
    expect(parseArgs(measure, ['--verbose=false']).options.verbose).toBe(false);
    expect(parseArgs(measure, ['--cache=true', '--no-cache']).options.cache).toBe(false);
    expect(() => parseArgs(measure, ['--verbose=yes'])).toThrow(
      "%gaissa measure --verbose expects true or false, got 'yes'"
    );
    // A bare boolean flag does not swallow the next token.
    const a = parseArgs(flagged, ['--dry', 'run1', '--no-dry']);
    expect(a).toEqual({ options: { dry: false }, positionals: ['run1'] });
  });

  test('--no-x with a value is refused rather than silently inverted', () => {
    expect(() => parseArgs(measure, ['--no-cache=true'])).toThrow(MagicError);
    expect(() => parseArgs(measure, ['--no-cache=false'])).toThrow(/--no-cache takes no value/);
  });

  test('--no-x only exists for booleans', () => {
    expect(() => parseArgs(measure, ['--no-label'])).toThrow(/unknown option --no-label/);
  });

  test('choices', () => {
    expect(parseArgs(measure, ['--meter', 'nvidia']).options.meter).toBe('nvidia');
    expect(() => parseArgs(measure, ['--meter=gpu'])).toThrow(
      "%gaissa measure --meter must be one of rapl, nvidia, estimate, got 'gpu'"
    );
  });

  test('strings keep = and spaces after the first =', () => {
    expect(parseArgs(measure, ['--label=a=b c']).options.label).toBe('a=b c');
    expect(parseArgs(measure, ['--label=']).options.label).toBe('');
  });

  test('an option without its value', () => {
    expect(() => parseArgs(measure, ['--repeat'])).toThrow(
      '%gaissa measure --repeat needs a value'
    );
  });

  test('unknown option: a MagicError that lists every valid option', () => {
    let err: unknown;
    try {
      parseArgs(measure, ['--repaet', '3']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MagicError);
    expect((err as Error).message).toBe(
      'unknown option --repaet for %gaissa measure; valid options: --repeat, --interval, --verbose, --cache, --meter, --label'
    );
    expect(() => parseArgs(compare, ['x', '--fast'])).toThrow(
      'unknown option --fast for %gaissa compare; it takes no options'
    );
  });

  test('positionals: required, optional with choices, too many', () => {
    expect(parseArgs(compare, ['run1']).positionals).toEqual(['run1']);
    expect(parseArgs(compare, ['run1', 'time']).positionals).toEqual(['run1', 'time']);
    expect(() => parseArgs(compare, [])).toThrow(
      '%gaissa compare needs <baseline>: the run to compare against'
    );
    expect(() => parseArgs(compare, ['run1', 'carbon'])).toThrow(
      "%gaissa compare <mode> must be one of energy, time, got 'carbon'"
    );
    expect(() => parseArgs(compare, ['a', 'time', 'c'])).toThrow(
      "too many arguments for %gaissa compare: expected baseline mode, got 'a time c'"
    );
    expect(() => parseArgs(time, ['extra'])).toThrow(
      "too many arguments for %gaissa time: expected no arguments, got 'extra'"
    );
  });

  test('options and positionals mix in any order; a lone -- or -x is a positional', () => {
    const a = parseArgs(compare, ['--', 'energy']);
    expect(a.positionals).toEqual(['--', 'energy']);
    expect(parseArgs(tag, ['-x', 'b']).positionals).toEqual(['-x', 'b']);
  });

  test('variadic positionals take every remaining token', () => {
    expect(parseArgs(tag, []).positionals).toEqual([]);
    expect(parseArgs(tag, ['a', 'b', 'c', 'd']).positionals).toEqual(['a', 'b', 'c', 'd']);
  });

  test('a variadic positional with choices checks every value it takes', () => {
    const kinds: MagicCommand = {
      name: 'kinds',
      summary: 'kinds',
      positionals: [
        { name: 'first', description: 'first' },
        { name: 'kind', description: 'kinds', choices: ['cpu', 'gpu'], variadic: true }
      ],
      line: () => undefined
    };
    expect(parseArgs(kinds, ['x', 'cpu', 'gpu', 'cpu']).positionals).toEqual([
      'x',
      'cpu',
      'gpu',
      'cpu'
    ]);
    expect(() => parseArgs(kinds, ['x', 'cpu', 'tpu'])).toThrow(
      "%gaissa kinds <kind> must be one of cpu, gpu, got 'tpu'"
    );
  });
});

describe('MagicRegistry', () => {
  test('register refuses duplicates; list is sorted by name', () => {
    const r = registry();
    expect(() => r.register(time)).toThrow('magic time is registered twice');
    expect(r.list().map(c => c.name)).toEqual(['compare', 'measure', 'tag', 'time']);
    expect(r.get('time')).toBe(time);
    expect(r.get('nope')).toBeUndefined();
  });

  test('resolve finds the command and parses its arguments', () => {
    const { command, args } = registry().resolve(line('measure', '--repeat', '3', '--no-cache'));
    expect(command).toBe(measure);
    expect(args.options).toEqual({ repeat: 3, verbose: false, cache: false });
    const c = registry().resolve(cell('time'));
    expect(c.command).toBe(time);
  });

  test('unknown line command: lists the valid line magics only', () => {
    expect(() => registry().resolve(line('mesure'))).toThrow(MagicError);
    expect(() => registry().resolve(line('mesure'))).toThrow(
      "unknown line magic '%gaissa mesure'; valid line magics: compare, measure, tag"
    );
  });

  test('unknown cell command (or a line-only one as cell): lists the valid cell magics', () => {
    expect(() => registry().resolve(cell('compare', 'x'))).toThrow(
      "unknown cell magic '%%gaissa compare'; valid cell magics: measure, time"
    );
    // time is cell-only.
    expect(() => registry().resolve(line('time'))).toThrow(/unknown line magic '%gaissa time'/);
  });

  test('a magic without a command', () => {
    expect(() => registry().resolve(line())).toThrow(
      '%gaissa needs a command; one of: compare, measure, tag'
    );
    expect(() => registry().resolve(cell())).toThrow(
      '%%gaissa needs a command; one of: measure, time'
    );
  });

  test('help without a command lists every magic with its forms', () => {
    const text = registry().help();
    expect(text.split('\n')).toEqual([
      'GAISSA magics (line: %gaissa CMD ..., cell: %%gaissa CMD ... as the first line):',
      '  compare  [line] compare two runs',
      '  measure  [line+cell] measure the energy of the cell',
      '  tag      [line] tag runs',
      '  time     [cell] time the cell',
      '',
      'Use %gaissa help CMD for the options of one command.'
    ]);
  });

  test('help for a command mentions every option, its type or choices, and defaults', () => {
    const text = registry().help('measure');
    const lines = text.split('\n');
    expect(lines[0]).toBe('%gaissa measure | %%gaissa measure [options]');
    expect(text).toContain('measure the energy of the cell');
    for (const o of measure.options!) {
      expect(text).toContain(`--${o.name}`);
      expect(text).toContain(o.description);
    }
    expect(lines).toContain('  --repeat <integer>  how many runs (default 1)');
    expect(lines).toContain('  --interval <number>  sampling period in seconds');
    expect(lines).toContain('  --verbose  print each sample (default false)');
    expect(lines).toContain('  --meter <rapl|nvidia|estimate>  which meter to use');
  });

  test('help shows positionals: required, optional, variadic', () => {
    const r = registry();
    expect(r.help('compare').split('\n')[0]).toBe('%gaissa compare <baseline> [mode] [options]');
    expect(r.help('compare')).toContain('  mode: how to compare (energy|time)');
    expect(r.help('tag').split('\n')[0]).toBe('%gaissa tag [names...] [options]');
    expect(r.help('time')).not.toContain('Options:');
  });

  test('help for an unknown command lists the magics', () => {
    expect(() => registry().help('nope')).toThrow(
      "no magic named 'nope'; magics: compare, measure, tag, time"
    );
  });
});
