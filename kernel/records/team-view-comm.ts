/**
 * The `gaissa.team` comm (contract: schema/team-view-comm.schema.json): the team view opens it
 * and asks again on refresh; each ask is answered with the view read from this kernel's MLflow,
 * so the tracking URI's credentials never leave the kernel.
 */
import type { ValidateFunction } from 'ajv';
import { TEAM_VIEW_COMM_TARGET } from '../../core/mime-types';
import teamViewSchema from '../../schema/team-view-comm.schema.json';
import type { Comm, CommManager } from '../comms';
import { lazyModule } from '../lazy-module';
import { measureSettings } from '../measure/current';
import type { TeamView, TeamViewOptions } from './team-view';

/** The MLflow reader loads when a view first asks, not with every kernel. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
const teamView = lazyModule(() => require('./team-view') as typeof import('./team-view'));

let validate: ValidateFunction | undefined;

/** A frontend's message is untrusted: only a fetch of protocol 1 is taken. */
function isFetch(data: unknown): boolean {
  // ajv loads with the first message rather than with the kernel.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv = (require('ajv') as typeof import('ajv')).default;
  validate ??= new Ajv({ allErrors: false }).compile(teamViewSchema);
  return validate(data) && (data as { type: string }).type === 'fetch';
}

/** Where the view is read from: the kernel's settings now (they may change in the session). */
export type TeamViewReader = () => Promise<TeamView>;

export const readFromSettings: TeamViewReader = () => {
  const targets = measureSettings().teamTargets();
  const options: TeamViewOptions = {
    trackingUri: targets.mlflowTrackingUri,
    experiment: targets.mlflowExperiment,
    envCredentials: targets.mlflowEnvCredentials
  };
  return teamView().readTeamView(options);
};

/**
 * What a read that threw answers: the view's error status, so the frontend never waits for good.
 * The message is bounded, and a URL's user and password in it are dropped.
 */
export function failedView(error: unknown): TeamView {
  const message = error instanceof Error ? error.message : String(error);
  return {
    type: 'team-view',
    status: 'unreachable',
    source: null,
    trackingUri: null,
    experiment: null,
    fetchedAt: Date.now(),
    runs: 0,
    truncated: false,
    measurements: [],
    labels: [],
    totals: { perUser: [], perNotebook: [] },
    errors: [
      `The team view could not be read: ${message.replace(/\/\/[^/@\s]*@/g, '//')}`.slice(0, 1000)
    ]
  };
}

/** Answers each fetch; asks that arrive during a read are answered by one more read. */
export function teamViewTarget(read: TeamViewReader = readFromSettings) {
  return (comm: Comm, data: unknown): void => {
    if (!isFetch(data)) {
      comm.close({ error: 'expected a fetch message of protocol 1' });
      return;
    }
    let reading = false;
    let again = false;
    const answer = async (): Promise<void> => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          let view: TeamView;
          try {
            view = await read();
          } catch (e) {
            view = failedView(e);
          }
          if (!comm.closed) comm.send(view);
        } while (again && !comm.closed);
      } finally {
        reading = false;
      }
    };
    comm.onMessage(message => {
      if (isFetch(message)) void answer();
    });
    void answer();
  };
}

export function registerTeamViewComm(comms: CommManager): void {
  comms.registerTarget(TEAM_VIEW_COMM_TARGET, teamViewTarget());
}
