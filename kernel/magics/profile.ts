/**
 * `%%gaissa profile`: the energy of each line and function the cell runs. The profiler and its
 * views load on first use, not at kernel start.
 */
import { lazyModule } from '../lazy-module';
import { MagicContext } from './context';
import { MagicError } from './parse';
import { CellOutcome, MagicCommand } from './registry';

const profileModule = lazyModule(
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
  () => require('../api/profile') as typeof import('../api/profile')
);

export const profileMagic: MagicCommand<MagicContext> = {
  name: 'profile',
  summary:
    "energy of each line and function of the cell (V8's sampling profiler joined with the meters' power)",
  options: [
    {
      name: 'interval-us',
      type: 'integer',
      min: 10,
      description: 'microseconds between profiler samples (default 100; lower: finer and costlier)'
    }
  ],
  cell: async (args, ctx, body) => {
    const { intervalOf, Profile, profileCell } = profileModule();
    let intervalUs: number;
    try {
      intervalUs = intervalOf(args.options['interval-us']);
    } catch (e) {
      throw new MagicError(`%%gaissa profile: ${(e as Error).message}`);
    }
    let outcome: CellOutcome = { status: 'ok' };
    let run;
    try {
      run = await profileCell(
        async () => {
          outcome = await body();
          return outcome.value;
        },
        { intervalUs }
      );
    } catch (e) {
      throw new MagicError(`%%gaissa profile: ${(e as Error).message}`);
    }
    ctx.api.display(new Profile(run.profile).toMimeBundle());
    return outcome;
  }
};
