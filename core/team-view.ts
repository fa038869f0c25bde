/**
 * The team view's payload (schema/team-view-comm.schema.json, message `team-view`): what the
 * kernel read back from its team server, for the JupyterLab panel. Types only, shared by both.
 */

export interface TeamMeasurement {
  runId: string;
  experiment: string;
  user: string;
  notebook: string | null;
  step: number;
  recordId: string | null;
  endedAt: number;
  energyJ: number;
  co2eG: number | null;
  durationS: number | null;
}

export interface TeamLabel {
  runId: string;
  experiment: string;
  user: string;
  notebook: string | null;
  rating: string;
  time: number | null;
}

export interface TeamTotal {
  key: string | null;
  measurements: number;
  energyJ: number;
  co2eG: number;
}

export interface TeamView {
  type: 'team-view';
  status: 'ok' | 'unconfigured' | 'unreachable';
  source: 'mlflow' | null;
  trackingUri: string | null;
  experiment: string | null;
  fetchedAt: number;
  runs: number;
  truncated: boolean;
  measurements: TeamMeasurement[];
  labels: TeamLabel[];
  totals: { perUser: TeamTotal[]; perNotebook: TeamTotal[] };
  errors: string[];
}
