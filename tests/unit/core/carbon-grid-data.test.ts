/**
 * The pinned grid data: the label basis's world intensity and the data version every record
 * names must be what the installed @tgwf/co2 ships. A dependency update that moves them fails
 * here, so it becomes a deliberate change (a new basis version), not a silent one.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { averageIntensity } from '@tgwf/co2/data';
import {
  GRID_INTENSITY_DATA_VERSION,
  GRID_INTENSITY_SOURCE,
  gridIntensity
} from '../../../core/carbon';
import { DEFAULT_BASIS, WORLD_GRID_INTENSITY } from '../../../core/label/defaults';

/** The installed package's version, read from its package.json (the package does not export it). */
function installedVersion(): string {
  let folder = dirname(require.resolve('@tgwf/co2/data'));
  while (!folder.endsWith(join('@tgwf', 'co2'))) folder = dirname(folder);
  return JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).version;
}

test('the pinned data version is the installed @tgwf/co2', () => {
  expect(GRID_INTENSITY_DATA_VERSION).toBe(`@tgwf/co2 ${installedVersion()}`);
  expect(WORLD_GRID_INTENSITY.dataVersion).toBe(GRID_INTENSITY_DATA_VERSION);
});

test("the label's world intensity is the installed package's WORLD figure", () => {
  expect(averageIntensity.data.WORLD).toBe(WORLD_GRID_INTENSITY.gPerKWh);
  expect(DEFAULT_BASIS.inference.reference.co2ePerInferenceG).toBeCloseTo(472.94 / 3.6e6, 15);
});

test('every default intensity names its source, data version and year', () => {
  const world = gridIntensity('WORLD')!;
  expect(world.gPerKWh).toBe(WORLD_GRID_INTENSITY.gPerKWh);
  expect(world.source).toBe(GRID_INTENSITY_SOURCE);
  expect(world.source).toContain(GRID_INTENSITY_DATA_VERSION);
  expect(world.source).toContain(`WORLD ${WORLD_GRID_INTENSITY.year}`);
  expect(world.source).toMatch(/^Ember yearly/);
});
