/**
 * Messages of the `gaissa.team` comm (schema/team-view-comm.schema.json): the frontend's fetch,
 * and the kernel's view, checked against the schema (validator compiled at build time) and its
 * numbers re-checked before anything is shown.
 */
import type { ValidateFunction } from 'ajv';
import type { TeamView } from '../../../core/team-view';
import * as compiled from '../../generated/team-view-validator';
import { schemaErrors } from '../../shared/schema-errors';

export const TEAM_VIEW_PROTOCOL = 1;

export const fetchMessage = () => ({ type: 'fetch', protocol: TEAM_VIEW_PROTOCOL }) as const;

const validateTeamView = (compiled as unknown as { validateTeamView: ValidateFunction<TeamView> })
  .validateTeamView;

const finite = (x: number | null): boolean => x === null || (Number.isFinite(x) && x >= 0);

/** Every number of the view finite and not negative (the schema says so; this does not trust it). */
function numbersHold(view: TeamView): boolean {
  return (
    finite(view.fetchedAt) &&
    view.measurements.every(
      m => finite(m.endedAt) && finite(m.energyJ) && finite(m.co2eG) && finite(m.durationS)
    ) &&
    view.labels.every(l => finite(l.time)) &&
    [...view.totals.perUser, ...view.totals.perNotebook].every(
      t => finite(t.energyJ) && finite(t.co2eG) && finite(t.measurements)
    )
  );
}

/** The kernel's view, or the reasons it is refused. */
export function parseTeamView(data: unknown): { view: TeamView } | { errors: string[] } {
  if (!validateTeamView(data)) return { errors: schemaErrors(validateTeamView.errors) };
  if (!numbersHold(data)) return { errors: ['a number is not a finite, non-negative value'] };
  return { view: data };
}
