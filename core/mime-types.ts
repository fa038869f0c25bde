/**
 * The names that cross between kernel and frontend: the mime type of each GAISSA output, the
 * target of the live meter comm and the kernelspec's name. One home for both sides; this module holds nothing else, so the
 * extension can import it at start without pulling any of core's code into its first chunk.
 */

/** A measurement record (schema/measurement.schema.json). */
export const MEASUREMENT_MIME = 'application/vnd.gaissa.measurement.v1+json';
/** An ROI analysis (schema/roi.schema.json). */
export const ROI_MIME = 'application/vnd.gaissa.roi.v1+json';
/** A tactics or training comparison (schema/tactics.schema.json). */
export const TACTICS_MIME = 'application/vnd.gaissa.tactics.v1+json';
/** A per-line energy profile (schema/profile.schema.json). */
export const PROFILE_MIME = 'application/vnd.gaissa.profile.v1+json';
/** An energy label record (schema/label.schema.json). */
export const LABEL_MIME = 'application/vnd.gaissa.label.v1+json';

/** The comm the extension opens on a GAISSA kernel (schema/meter-comm.schema.json). */
export const METER_COMM_TARGET = 'gaissa.meter';

/** The kernelspec name `gaissa install` writes; the extension opens meters on kernels of it. */
export const KERNEL_NAME = 'gaissa';

/** The comm the team view opens on a GAISSA kernel (schema/team-view-comm.schema.json). */
export const TEAM_VIEW_COMM_TARGET = 'gaissa.team';
