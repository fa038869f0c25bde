/**
 * A training label's emissions (and on request its EU AI Act Annex XI energy section) merged into
 * a model card file, shared by `gaissa card` and the API.
 */
import { readFile, stat } from 'node:fs/promises';
import { FieldError } from '../../core/field-error';
import {
  type AiActCard,
  type CardOverrides,
  type Co2EqEmissions,
  aiActCard,
  co2EqEmissions,
  mergeModelCard
} from '../../core/label/model-card';
import type { LabelRecord } from '../../core/label/record';
import { writeOutputs } from './write-outputs';

/**
 * Writes `record`'s co2_eq_emissions block into the card at `readmePath` (created when missing,
 * replaced atomically, through a symbolic link to its target). Throws FieldError for an unreadable card or a label without training
 * emissions.
 */
export async function writeModelCard(
  readmePath: string,
  record: LabelRecord,
  overrides: CardOverrides = {}
): Promise<Co2EqEmissions> {
  return (await writeModelCardSections(readmePath, record, { overrides })).co2EqEmissions;
}

export interface WrittenModelCard {
  co2EqEmissions: Co2EqEmissions;
  /** With `aiAct`: the Annex XI energy section written. */
  aiAct?: AiActCard;
}

/** As writeModelCard; with `aiAct` also the Annex XI energy section (front matter and body). */
export async function writeModelCardSections(
  readmePath: string,
  record: LabelRecord,
  options: { overrides?: CardOverrides; aiAct?: boolean } = {}
): Promise<WrittenModelCard> {
  const overrides = options.overrides ?? {};
  // First, so an inference label is refused for what Annex XI documents (its training).
  const aiAct = options.aiAct ? aiActCard(record, overrides) : undefined;
  let readme = '';
  // A FIFO or a device would hang the read or be replaced by the write: only a regular file.
  const info = await stat(readmePath).catch(() => undefined);
  if (info && !info.isFile()) {
    throw new FieldError('readme', `${readmePath} is not a regular file`);
  }
  try {
    readme = await readFile(readmePath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new FieldError('readme', `cannot read ${readmePath}: ${(e as Error).message}`);
    }
  }
  const block = co2EqEmissions(record, overrides);
  await writeOutputs([{ path: readmePath, data: mergeModelCard(readme, block, aiAct) }]);
  return aiAct ? { co2EqEmissions: block, aiAct } : { co2EqEmissions: block };
}
