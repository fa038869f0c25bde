/** The built-in magics (help, version, time) through the registry, as the kernel runs them. */
import { gaissa } from '../../../../kernel/api';
import { CommManager } from '../../../../kernel/comms';
import { builtinMagics } from '../../../../kernel/magics/builtin';
import { MagicContext } from '../../../../kernel/magics/context';
import { MagicError, parseCell } from '../../../../kernel/magics/parse';
import { MagicRegistry } from '../../../../kernel/magics/registry';

function kernelLike() {
  const registry = new MagicRegistry<MagicContext>();
  for (const m of builtinMagics) registry.register(m);
  const printed: string[] = [];
  const ctx: MagicContext = {
    api: gaissa,
    comms: new CommManager(() => undefined),
    registry,
    print: text => printed.push(text)
  };
  /** Parses a cell and runs its line magics, as the kernel does before the TypeScript. */
  const runLines = async (cell: string) => {
    const parsed = parseCell(cell);
    for (const call of parsed.lines) {
      const { command, args } = registry.resolve(call);
      await command.line!(args, ctx);
    }
    return parsed;
  };
  return { registry, ctx, printed, runLines };
}

describe('built-in magics', () => {
  test('help, time and version are registered with the right forms', () => {
    const { registry } = kernelLike();
    expect(registry.list().map(c => [c.name, Boolean(c.line), Boolean(c.cell)])).toEqual([
      ['help', true, false],
      ['time', false, true],
      ['version', true, false]
    ]);
  });

  test('%gaissa help prints the list of magics', async () => {
    const { printed, runLines, registry } = kernelLike();
    const parsed = await runLines('%gaissa help\n1 + 1');
    expect(parsed.code).toBe('//aissa help\n1 + 1');
    expect(printed).toEqual([registry.help() + '\n']);
    expect(printed[0]).toContain('time     [cell] wall and CPU time of the cell');
  });

  test('%gaissa help time describes one magic; an unknown one lists the valid', async () => {
    const { printed, runLines } = kernelLike();
    await runLines('%gaissa help time');
    expect(printed[0].split('\n')[0]).toBe('%%gaissa time [options]');
    await expect(runLines('%gaissa help nope')).rejects.toThrow(
      "no magic named 'nope'; magics: help, time, version"
    );
  });

  test('%gaissa version prints the versions', async () => {
    const { printed, runLines } = kernelLike();
    await runLines('%gaissa version');
    const v = gaissa.version();
    expect(printed).toEqual([
      `gaissa ${v.gaissa} (tslab ${v.tslab}, TypeScript ${v.typescript}, Node.js ${v.node})\n`
    ]);
  });

  test('errors are MagicErrors that list what is valid', async () => {
    const { runLines } = kernelLike();
    await expect(runLines('%gaissa versoin')).rejects.toThrow(MagicError);
    await expect(runLines('%gaissa versoin')).rejects.toThrow(
      "unknown line magic '%gaissa versoin'; valid line magics: help, version"
    );
    await expect(runLines('%gaissa version --short')).rejects.toThrow(
      'unknown option --short for %gaissa version; it takes no options'
    );
    await expect(runLines('%gaissa help a b')).rejects.toThrow(
      "too many arguments for %gaissa help: expected command, got 'a b'"
    );
  });

  test('%%gaissa time runs the body once, returns its outcome and prints the times', async () => {
    const { registry, ctx, printed } = kernelLike();
    const parsed = parseCell('%%gaissa time\nlet x = 1;');
    const { command, args } = registry.resolve(parsed.cell!);
    const body = jest.fn(async () => {
      const end = Date.now() + 30;
      while (Date.now() < end) {
        // spin
      }
      return { status: 'ok' as const, value: 7 };
    });
    const outcome = await command.cell!(args, ctx, body);
    expect(body).toHaveBeenCalledTimes(1);
    expect(outcome).toEqual({ status: 'ok', value: 7 });
    expect(printed).toHaveLength(1);
    expect(printed[0]).toMatch(/^wall \d+(\.\d+)? ms, CPU .* \(user .*, sys .*\)\n$/);
    const wall = Number(/^wall (\d+(?:\.\d+)?) ms/.exec(printed[0])![1]);
    expect(wall).toBeGreaterThanOrEqual(29);
  });

  test('%%gaissa time passes an error outcome through and still prints', async () => {
    const { registry, ctx, printed } = kernelLike();
    const { command, args } = registry.resolve(parseCell('%%gaissa time\nthrow 1').cell!);
    const outcome = await command.cell!(args, ctx, async () => ({ status: 'error' }));
    expect(outcome).toEqual({ status: 'error' });
    expect(printed[0]).toMatch(/^wall /);
  });
});
