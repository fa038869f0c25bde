/**
 * `%gaissa sinks`: the team servers measurements go to (MLflow, a Pushgateway), what each has
 * received, what waits for a retry and what was given up; `%gaissa sinks flush` tries what waits
 * now and waits for it, at most FLUSH_MS.
 */
import { measureSession } from '../measure/current';
import { lazyModule } from '../lazy-module';
import { MagicContext } from './context';
import { MagicCommand } from './registry';

const teamSinks = lazyModule(
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
  () => require('../records/team-record-sink') as typeof import('../records/team-record-sink')
);

const FLUSH_MS = 10_000;

export const sinksMagic: MagicCommand<MagicContext> = {
  name: 'sinks',
  summary: 'team servers (MLflow, Pushgateway): what was delivered, what waits, what was not',
  positionals: [
    {
      name: 'action',
      description: `show (default), or flush: retry what waits now (waits up to ${FLUSH_MS / 1000} s)`,
      choices: ['show', 'flush'],
      optional: true
    }
  ],
  line: async (args, ctx) => {
    const sink = measureSession().sink;
    if (args.positionals[0] === 'flush') await sink.flush(FLUSH_MS);
    ctx.print(sink.takeNotices().join('') + teamSinks().sinksText(sink.status()));
  }
};
