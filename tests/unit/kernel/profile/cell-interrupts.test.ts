/** An interrupt of the cell ends code waiting on a promise of the user's that never settles. */
import {
  CellInterrupted,
  cellInterrupted,
  onCellInterrupt,
  unlessCellInterrupted
} from '../../../../kernel/profile/cell-interrupts';

test('a promise that never settles ends with CellInterrupted at the interrupt', async () => {
  const waiting = unlessCellInterrupted(() => new Promise(() => undefined));
  cellInterrupted();
  await expect(waiting).rejects.toBeInstanceOf(CellInterrupted);
});

test('work that settles first is answered as it settled, and stops listening', async () => {
  await expect(unlessCellInterrupted(() => 42)).resolves.toBe(42);
  await expect(
    unlessCellInterrupted(() => {
      throw new RangeError('bad');
    })
  ).rejects.toThrow(RangeError);
  let calls = 0;
  const stop = onCellInterrupt(() => calls++);
  cellInterrupted();
  stop();
  cellInterrupted();
  // Only this listener was left: the settled waits took theirs away.
  expect(calls).toBe(1);
});

test('the work starts at once, as an await of it would', () => {
  let ran = false;
  void unlessCellInterrupted(() => (ran = true));
  expect(ran).toBe(true);
});
