/**
 * Cells through tslab's real converter and executor, profiled by V8 in process: the profile's
 * positions come back as the cells' own body lines, and an earlier cell's function keeps its cell.
 */
import { TypeScriptRunner } from '../../../../kernel/execution/typescript';
import { CpuProfiler } from '../../../../kernel/profile/cpu-profiler';
import type { CpuProfile, ProfiledScript } from '../../../../core/profile';

let runner: TypeScriptRunner;
beforeAll(() => {
  runner = new TypeScriptRunner(process.cwd());
});
afterAll(() => runner.close());

async function run(code: string, count: number, bodyStart = 0): Promise<void> {
  const outcome = await runner.execute(code, { count, bodyStart });
  if (outcome.status !== 'ok') throw new Error(`${code}: ${JSON.stringify(outcome.error)}`);
}

/** Ticks per cell line over the whole profile: `[cell] line` → ticks. */
function ticksByLine(
  profile: CpuProfile,
  scripts: Map<string, ProfiledScript>
): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const node of profile.nodes) {
    const script = scripts.get(node.callFrame.scriptId);
    if (!script) continue;
    for (const p of node.positionTicks ?? []) {
      const line = script.lineOf(p.line);
      const key = `[${script.cell}] ${line}`;
      ticks.set(key, (ticks.get(key) ?? 0) + p.ticks);
    }
  }
  return ticks;
}

test("a profile's positions map to the lines of the cells' bodies, types and magic lines included", async () => {
  await run(
    [
      'interface Point { x: number }',
      '',
      'function hot(n: number): number {',
      '  let s = 0;',
      '  for (let i = 0; i < n; i++) s += Math.sqrt(i) % 7;',
      '  return s;',
      '}'
    ].join('\n'),
    4
  );
  const profiler = new CpuProfiler();
  await profiler.start(100);
  // Line 0 is a masked cell magic: the body starts on line 1.
  await run(
    [
      '//gaissa profile',
      'type Name = string;',
      'let total: number = 0;',
      'for (let i = 0; i < 3e7; i++) total += i % 3;',
      'const viaHot = hot(2e7);',
      'import * as path from "path";',
      'path.sep + total + viaHot'
    ].join('\n'),
    5,
    1
  );
  const profile = await profiler.stop();
  const scripts = profiler.cellScripts(profile);
  profiler.close();
  const ticks = ticksByLine(profile, scripts);
  const hottest = [...ticks.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([k]) => k);
  // The loop is body line 3 of cell 5; hot()'s loop is line 5 of cell 4.
  expect(hottest.sort()).toEqual(['[4] 5', '[5] 3']);
  const cell5 = [...scripts.values()].find(s => s.cell === 5)!;
  expect(cell5.body[2]).toBe('for (let i = 0; i < 3e7; i++) total += i % 3;');
});

test('a cell TypeScript converts itself (not our CommonJS pass) maps too', async () => {
  const profiler = new CpuProfiler();
  await profiler.start(100);
  // `export default` leaves the cell to TypeScript's own CommonJS.
  await run(
    [
      'const unused = 1;',
      '',
      'let t = 0;',
      'for (let i = 0; i < 1e6; i++) t += i % 5;',
      'export default t;'
    ].join('\n'),
    6
  );
  const profile = await profiler.stop();
  const scripts = profiler.cellScripts(profile);
  profiler.close();
  const ticks = ticksByLine(profile, scripts);
  const hottest = [...ticks.entries()].sort((a, b) => b[1] - a[1])[0][0];
  expect(hottest).toBe('[6] 4');
});
