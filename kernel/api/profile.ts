/**
 * `gaissa.profile(fn)`: the function twin of `%%gaissa profile`, the energy of each line and
 * function that `fn` runs (in any cell).
 */
import { PROFILE_MIME } from '../../core/mime-types';
import type { ProfileRecord } from '../../core/profile';
import { profileHtml, profileText } from '../../core/profile-static-view';
import type { Displayable, MimeBundle } from '../display';
import { DEFAULT_INTERVAL_US, profileRun } from '../profile/profile-run';

export { profileRun as profileCell } from '../profile/profile-run';

export interface ProfileOptions {
  /** Microseconds between the profiler's samples (default 100). */
  intervalUs?: number;
}

/** A profile as a notebook shows it. */
export class Profile<T = unknown> implements Displayable {
  constructor(
    readonly record: ProfileRecord,
    /** What the profiled code returned. */
    readonly result?: T
  ) {}

  toMimeBundle(): MimeBundle {
    return {
      [PROFILE_MIME]: this.record,
      'text/plain': profileText(this.record),
      'text/html': profileHtml(this.record)
    };
  }

  toJSON(): ProfileRecord {
    return this.record;
  }
}

/** Checks a sampling interval from a cell or a magic: whole microseconds, 10 µs to 1 s. */
export function intervalOf(value: unknown): number {
  const v = value ?? DEFAULT_INTERVAL_US;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 10 || v > 1e6)
    throw new RangeError(
      `intervalUs must be a whole number of microseconds from 10 to 1000000, got ${String(v)}`
    );
  return v;
}

/** A failing `fn` rethrows its error, with `.profile` attached. */
export async function profile<T>(
  fn: () => T | Promise<T>,
  options: ProfileOptions = {}
): Promise<Profile<T>> {
  if (typeof fn !== 'function') throw new TypeError('gaissa.profile needs a function to run');
  const run = await profileRun(fn, { intervalUs: intervalOf(options.intervalUs) });
  const view = new Profile(run.profile, run.result);
  if (run.failed) {
    const error = run.error instanceof Error ? run.error : new Error(String(run.error));
    (error as Error & { profile: Profile }).profile = view;
    throw error;
  }
  return view;
}
