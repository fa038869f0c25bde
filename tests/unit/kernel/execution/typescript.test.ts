/**
 * Cells through tslab's real converter and executor (TypeScriptRunner), with the cell module pass
 * of cell-module.ts in place: jest's module system has no Node module cache for
 * `installCellModules` to patch, so tslab's TypeScript is mocked with the same view of it.
 */
import type * as TS from '@tslab/typescript-for-tslab';
import { tslabTypeScriptPath } from '../../../../kernel/execution/tslab-typescript';

const tsPath = tslabTypeScriptPath();
jest.doMock(tsPath, () => {
  const { cellTypeScript } = jest.requireActual('../../../../kernel/execution/cell-module');
  return cellTypeScript(jest.requireActual(tsPath) as typeof TS);
});

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the mock
const { TypeScriptRunner } = require('../../../../kernel/execution/typescript');
type Runner = InstanceType<typeof TypeScriptRunner>;

let runner: Runner;
beforeAll(() => {
  runner = new TypeScriptRunner(process.cwd());
});
afterAll(() => runner.close());

async function value(code: string): Promise<unknown> {
  const outcome = await runner.execute(code);
  if (outcome.status !== 'ok') throw new Error(`${code}: ${JSON.stringify(outcome.error)}`);
  return outcome.value;
}

test('probe', async () => {
  expect(await value('let s = 0; for (let i = 0; i < 2e6; i++) { s += i % 7; } s')).toBe(5999995);
  expect(await value('let count = 0; function inc() { return ++count; }')).toBeUndefined();
  await value('count += 5');
  expect(await value('inc()')).toBe(6);
  expect(await value('count')).toBe(6);
});
