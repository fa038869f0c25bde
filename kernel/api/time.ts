/** Wall and CPU time of a piece of work: `%%gaissa time` and `gaissa.time(fn)`. */
import { MimeBundle } from '../display';

export interface TimeResult<T = unknown> {
  value: T | undefined;
  wallMs: number;
  /** CPU time of the kernel process (user + system), all threads. */
  cpuMs: number;
  userMs: number;
  systemMs: number;
  toMimeBundle(): MimeBundle;
}

function format(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  return `${(ms / 1000).toFixed(3)} s`;
}

export interface Stopwatch {
  stop<T>(value?: T): TimeResult<T>;
}

export function startStopwatch(): Stopwatch {
  const wall0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  return {
    stop<T>(value?: T): TimeResult<T> {
      const wallMs = Number(process.hrtime.bigint() - wall0) / 1e6;
      const cpu = process.cpuUsage(cpu0);
      const userMs = cpu.user / 1000;
      const systemMs = cpu.system / 1000;
      return {
        value,
        wallMs,
        cpuMs: userMs + systemMs,
        userMs,
        systemMs,
        toMimeBundle: () => ({
          'text/plain': `wall ${format(wallMs)}, CPU ${format(userMs + systemMs)} (user ${format(userMs)}, sys ${format(systemMs)})`
        })
      };
    }
  };
}

export async function timeCall<T>(fn: () => T | Promise<T>): Promise<TimeResult<T>> {
  if (typeof fn !== 'function') throw new TypeError('gaissa.time needs a function to run');
  const watch = startStopwatch();
  const value = await fn();
  return watch.stop(value);
}
