/** The kernel process's measurement session, made on first use in the working directory. */
import { MeasureSession } from './session';

let current: MeasureSession | undefined;

export function measureSession(): MeasureSession {
  current ??= new MeasureSession(process.cwd());
  return current;
}

export async function closeMeasureSession(): Promise<void> {
  await current?.close();
  current = undefined;
}
