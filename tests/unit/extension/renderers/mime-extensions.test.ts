/**
 * @jest-environment jsdom
 *
 * core/mime-types.ts is the one home of the names the kernel and the extension share. What it
 * cannot hold by itself: every output type has a renderer, and each contract in schema/ names
 * the same string its readers use.
 */
import '../fixtures/jsdom-globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  LABEL_MIME,
  MEASUREMENT_MIME,
  METER_COMM_TARGET,
  PROFILE_MIME,
  ROI_MIME,
  TACTICS_MIME,
  TEAM_VIEW_COMM_TARGET
} from '../../../../core/mime-types';
import mimeExtensions from '../../../../extension/renderers/mime-extensions';

const OUTPUTS: Array<[mime: string, schema: string]> = [
  [MEASUREMENT_MIME, 'measurement.schema.json'],
  [ROI_MIME, 'roi.schema.json'],
  [TACTICS_MIME, 'tactics.schema.json'],
  [LABEL_MIME, 'label.schema.json'],
  [PROFILE_MIME, 'profile.schema.json']
];

function schemaTitle(file: string): string {
  const schema = JSON.parse(readFileSync(join(__dirname, '../../../../schema', file), 'utf8'));
  return String(schema.title);
}

describe('shared mime types and comm target', () => {
  it('gives every output type exactly one renderer, and no renderer to anything else', () => {
    const list = Array.isArray(mimeExtensions) ? mimeExtensions : [mimeExtensions];
    const rendered = list.flatMap(e => e.rendererFactory.mimeTypes);
    expect([...rendered].sort()).toEqual(OUTPUTS.map(([mime]) => mime).sort());
  });

  it('keeps the extension ids JupyterLab settings may refer to, one per output', () => {
    const list = Array.isArray(mimeExtensions) ? mimeExtensions : [mimeExtensions];
    const byMime = Object.fromEntries(list.map(e => [e.rendererFactory.mimeTypes[0], e]));
    expect(byMime[MEASUREMENT_MIME].id).toBe('gaissa-jupyterlab:measurement-renderer');
    expect(byMime[LABEL_MIME].id).toBe('gaissa-jupyterlab:label-renderer');
    expect(byMime[ROI_MIME].id).toBe('gaissa-jupyterlab:roi-renderer');
    expect(byMime[TACTICS_MIME].id).toBe('gaissa-jupyterlab:tactics-renderer');
    expect(byMime[PROFILE_MIME].id).toBe('gaissa-jupyterlab:profile-renderer');
    for (const e of list) {
      expect(e.rank).toBe(40);
      expect(e.dataType).toBe('json');
      expect(e.description).toMatch(/^Renders GAISSA /);
    }
  });

  it.each(OUTPUTS)('names %s in the title of its schema (%s)', (mime, file) => {
    expect(schemaTitle(file)).toContain(mime);
  });

  it('names the meter comm target in the comm schema', () => {
    expect(schemaTitle('meter-comm.schema.json')).toContain(`target ${METER_COMM_TARGET})`);
  });

  it('names the team view comm target in its comm schema', () => {
    expect(schemaTitle('team-view-comm.schema.json')).toContain(`target ${TEAM_VIEW_COMM_TARGET})`);
  });
});
