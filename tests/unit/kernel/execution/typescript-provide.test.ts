/**
 * Bindings the runner provides to cells (the kernel's `gaissa`): checking their declaration loads
 * every file their type reaches, so it is made when a cell first names the binding or when
 * completion or inspection needs it, never for a cell that does not use it. An idle runner keeps
 * V8's code for TypeScript for the next kernel.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TypeScriptRunner } from '../../../../kernel/execution/typescript';

// The runner keeps V8's code for TypeScript in the user's cache folder: here, a folder of the test's.
const cacheHome = mkdtempSync(join(tmpdir(), 'gaissa-runner-cache-'));
const userCacheHome = process.env.XDG_CACHE_HOME;
beforeAll(() => {
  process.env.XDG_CACHE_HOME = cacheHome;
});
afterAll(() => {
  if (userCacheHome === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = userCacheHome;
  rmSync(cacheHome, { recursive: true, force: true });
});

let runner: TypeScriptRunner;
beforeEach(() => {
  runner = new TypeScriptRunner(process.cwd());
});
afterEach(() => runner.close());

/** The sources tslab's executor was asked to run, in order. */
function executed(r: TypeScriptRunner): string[] {
  const executor = (r as unknown as { executor: { execute(src: string): Promise<boolean> } })
    .executor;
  const sources: string[] = [];
  const original = executor.execute.bind(executor);
  executor.execute = src => {
    sources.push(src);
    return original(src);
  };
  return sources;
}

test('a cell that does not name a provided binding runs without its declaration', async () => {
  const sources = executed(runner);
  // A type that cannot resolve: a cell that waited for the declaration would fail.
  await runner.provide('broken', "import('no-such-module').T", 1);
  await expect(runner.execute('1 + 1')).resolves.toMatchObject({ status: 'ok', value: 2 });
  expect(sources).toEqual(['1 + 1']);
  const named = await runner.execute('broken');
  expect(named.status).toBe('error');
  expect(named.error?.evalue).toMatch(/could not declare broken: .*no-such-module/);
});

test('the cell that first names a binding sees it typed and holding its value', async () => {
  await runner.provide('api', '{ answer: number }', { answer: 41 });
  await expect(runner.execute('api.answer + 1')).resolves.toMatchObject({ value: 42 });
  const misuse = await runner.execute('api.nope');
  expect(misuse.error?.evalue).toMatch(/Property 'nope' does not exist/);
  // Declared once: later cells keep it.
  await expect(runner.execute('api.answer')).resolves.toMatchObject({ value: 41 });
});

test('completion and inspection see a binding no cell has named yet', async () => {
  await runner.provide('api', '{ answer: number }', { answer: 41 });
  expect(runner.complete('api.ans', 7).matches).toEqual(['answer']);
  expect(runner.inspect('api.answer', 5)).toMatch(/answer: number/);
  await expect(runner.execute('api.answer')).resolves.toMatchObject({ value: 41 });
});

test("an idle runner keeps TypeScript's compiled code, and declares nothing unasked", async () => {
  const sources = executed(runner);
  await runner.provide('api', '{ answer: number }', { answer: 41 });
  await runner.execute('1 + 1');
  const codeDir = join(cacheHome, 'gaissa', 'v8-code');
  // Up to 25 s: on a loaded machine the idle second and the save itself take a while.
  for (
    let i = 0;
    i < 250 && !(existsSync(codeDir) && readdirSync(codeDir).some(f => f.endsWith('.bin')));
    i++
  ) {
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  expect(readdirSync(codeDir).filter(f => f.endsWith('.bin'))).toHaveLength(1);
  expect(sources).toEqual(['1 + 1']);
  await expect(runner.execute('api.answer')).resolves.toMatchObject({ value: 41 });
  expect(sources).toEqual(['1 + 1', 'declare const api: { answer: number };', 'api.answer']);
}, 60_000);

test('a SIGINT that stops the declaration stops the cell; the binding is declared again', async () => {
  const executor = (runner as unknown as { executor: { execute(src: string): Promise<boolean> } })
    .executor;
  const original = executor.execute.bind(executor);
  let stopped = false;
  executor.execute = async src => {
    if (!stopped && src.startsWith('declare const api')) {
      stopped = true;
      // What vm's breakOnSigint watchdog throws.
      throw Object.assign(new Error('Script execution was interrupted by `SIGINT`'), {
        code: 'ERR_SCRIPT_EXECUTION_INTERRUPTED'
      });
    }
    return original(src);
  };
  const signals: number[] = [];
  await runner.provide('api', '{ answer: number }', { answer: 41 }, () => signals.push(1));
  // Run, the cell would answer 41.
  const outcome = await runner.execute('api.answer');
  expect(outcome).toMatchObject({ status: 'interrupted', hasValue: false });
  expect(signals).toEqual([1]);
  await expect(runner.execute('api.answer')).resolves.toMatchObject({ status: 'ok', value: 41 });
}, 120_000);
