/**
 * V8's sampling CPU profiler in this process (node:inspector), and the cells behind the scripts a
 * profile names. The inspector answers a session on the kernel's own thread synchronously.
 */
import { Session } from 'node:inspector';
import type { CpuProfile, ProfiledScript } from '../../core/profile';
import { cellScriptOf } from '../execution/cell-scripts';

/** The name vm gives a script run without a file name: how tslab runs cells. */
const CELL_URL = 'evalmachine.<anonymous>';

/** Microseconds on the profiler's clock (V8's and libuv's monotonic clock). */
export function profilerClockUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export class CpuProfiler {
  private readonly session = new Session();

  constructor() {
    this.session.connect();
  }

  private post<T>(method: string, params?: object): Promise<T> {
    return new Promise((resolve, reject) =>
      this.session.post(method, params, (error, result) =>
        error ? reject(error) : resolve(result as T)
      )
    );
  }

  async start(intervalUs: number): Promise<void> {
    await this.post('Profiler.enable');
    await this.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await this.post('Profiler.start');
  }

  async stop(): Promise<CpuProfile> {
    const { profile } = await this.post<{ profile: CpuProfile }>('Profiler.stop');
    await this.post('Profiler.disable');
    return profile;
  }

  /** A call answered before it returns, as the inspector answers a session on its own thread. */
  private postNow<T>(method: string, params?: object): T {
    let answer: { error: Error | null; result?: T } | undefined;
    this.session.post(method, params, (error, result) => (answer = { error, result: result as T }));
    if (!answer) throw new Error(`the inspector did not answer ${method} at once`);
    if (answer.error) throw answer.error;
    return answer.result as T;
  }

  /**
   * The cells behind the profile's scripts, found by their source: the debugger knows each
   * script's text. It is on only for these calls, after the profile, and they run without a
   * break, so no code of the cell's can run (and pause) while it is.
   */
  cellScripts(profile: CpuProfile): Map<string, ProfiledScript> {
    const ids = new Set(
      profile.nodes.filter(n => n.callFrame.url === CELL_URL).map(n => n.callFrame.scriptId)
    );
    const scripts = new Map<string, ProfiledScript>();
    if (ids.size === 0) return scripts;
    this.postNow('Debugger.enable');
    try {
      this.postNow('Debugger.setSkipAllPauses', { skip: true });
      for (const scriptId of ids) {
        const { scriptSource } = this.postNow<{ scriptSource: string }>(
          'Debugger.getScriptSource',
          { scriptId }
        );
        const cell = cellScriptOf(scriptSource);
        if (cell) scripts.set(scriptId, cell);
      }
    } finally {
      this.postNow('Debugger.disable');
    }
    return scripts;
  }

  close(): void {
    this.session.disconnect();
  }
}
