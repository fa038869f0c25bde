/**
 * The User Timing entry `gaissa:activate` (read by bench/extension-load.ts): the sum of our
 * plugins' activate() durations. The sum, not the span from the first to the last: JupyterLab
 * activates other extensions' plugins in between, and their time is not ours.
 */
import type { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { recordDuration, TIMING } from '../shared/timing';

let totalMs = 0;

/** The plugin, its activation added to the entry's total. */
export function timedActivation<T>(plugin: JupyterFrontEndPlugin<T>): JupyterFrontEndPlugin<T> {
  return {
    ...plugin,
    activate: (app, ...services) => {
      const start = performance.now();
      try {
        return plugin.activate(app, ...services);
      } finally {
        totalMs += performance.now() - start;
        recordDuration(TIMING.activate, performance.now() - totalMs);
      }
    }
  };
}
