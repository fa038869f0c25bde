/**
 * The team servers (MLflow, a Pushgateway) of one CLI invocation, as its settings name them: fed
 * in the background while the command works, given a last bounded delivery at its end, and what
 * they did not take is named on stderr. The command's own output never waits on them.
 */
import type { SettingsStore } from '../measure/settings';
import { attributionOf } from '../records/attribution';
import { EmissionsFileSink } from '../records/record-sink';
import { TeamRecordSink, undeliveredText } from '../records/team-record-sink';
import { packageVersion } from '../versions';
import type { CliIO } from './command';

/** How long the CLI gives team servers after printing its result before it exits, ms. */
export const CLI_TEAM_CLOSE_MS = 5000;

/** Measurements go to the emissions files in the current folder first (warning on stderr). */
export function cliTeamSink(store: SettingsStore, io: CliIO): TeamRecordSink {
  return new TeamRecordSink(
    new EmissionsFileSink(process.cwd(), { toolVersion: packageVersion, warn: () => {} }),
    () => store.teamTargets(),
    { attribution: attributionOf(process.env, undefined), warn: io.stderr }
  );
}

/** The last delivery; what is left is named on stderr. */
export async function closeTeamSink(sink: TeamRecordSink, io: CliIO): Promise<void> {
  const undelivered = undeliveredText(await sink.close(CLI_TEAM_CLOSE_MS));
  if (undelivered) io.stderr(undelivered);
}
