/**
 * profileRun with a stand-in meter: a profiled function that never settles is stopped by the
 * cell's interrupt, and the profiler and the meter window with it.
 */
import type { MeterReading } from '../../../../core/measurement';
import { CpuProfiler } from '../../../../kernel/profile/cpu-profiler';
import { CellInterrupted, cellInterrupted } from '../../../../kernel/profile/cell-interrupts';
import { profileRun } from '../../../../kernel/profile/profile-run';

const windows = { begun: 0, ended: 0 };
jest.mock('../../../../kernel/measure/current', () => ({
  measureSession: () => ({
    settings: { carbon: () => ({}) },
    meter: async () => ({
      begin: () => {
        windows.begun++;
        return {
          end: async () => {
            windows.ended++;
            return {} as MeterReading;
          }
        };
      }
    })
  })
}));

test('an interrupt stops the profiler and closes the window of a run that never ends', async () => {
  const stop = jest.spyOn(CpuProfiler.prototype, 'stop');
  const close = jest.spyOn(CpuProfiler.prototype, 'close');
  let ticks = 0;
  let forever = true;
  const run = profileRun(async () => {
    while (forever) {
      await new Promise(resolve => setTimeout(resolve, 5));
      ticks++;
    }
  });
  while (ticks < 2) await new Promise(resolve => setTimeout(resolve, 5));
  expect(windows).toEqual({ begun: 1, ended: 0 });
  cellInterrupted();
  await expect(run).rejects.toBeInstanceOf(CellInterrupted);
  expect(windows).toEqual({ begun: 1, ended: 1 });
  expect(stop).toHaveBeenCalledTimes(1);
  expect(close).toHaveBeenCalledTimes(1);
  forever = false; // the user's loop, which the interrupt could not stop, ends with the test
});
