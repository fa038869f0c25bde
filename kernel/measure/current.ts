/**
 * The kernel process's measurement session, made on first use in the working directory. Its
 * settings come first and alone: every plain cell asks them (auto-measure), while the session's
 * meters, carbon data and record sinks load only when something is measured.
 */
import { lazyModule } from '../lazy-module';
import type { MeasureSession } from './session';
import { SettingsStore } from './settings';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
const sessionModule = lazyModule(() => require('./session') as typeof import('./session'));

let settings: SettingsStore | undefined;
let current: MeasureSession | undefined;

/** The session's settings, without starting the session. */
export function measureSettings(): SettingsStore {
  settings ??= current?.settings ?? new SettingsStore(process.cwd());
  return settings;
}

export function measureSession(): MeasureSession {
  current ??= new (sessionModule().MeasureSession)(process.cwd(), process.env, measureSettings());
  return current;
}

export async function closeMeasureSession(): Promise<void> {
  await current?.close();
  current = undefined;
  settings = undefined;
}
