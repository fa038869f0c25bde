/** `gaissa sci`: the SCI of a JSON input, run through the real CLI. */
import { runGaissa as gaissa } from '../fixtures/run-cli';
import { scratchDir } from '../fixtures/scratch-dir';

const scratch = scratchDir('gaissa-sci-');
const write = scratch.write;

describe('gaissa sci', () => {
  test('prints sciG, operationalG, embodiedG per functional unit', async () => {
    const input = write('sci.json', {
      energyKWh: 10,
      carbonIntensity: 400,
      embodied: { totalKg: 1000, lifespanYears: 4, reservedHours: 8760, resourceShare: 0.5 },
      functionalUnits: 1000
    });
    const r = await gaissa(['sci', '--json', input]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.sciG).toBeCloseTo(129, 9);
    expect(out.operationalG).toBeCloseTo(4, 9);
    expect(out.embodiedG).toBeCloseTo(125, 9);
    expect(out.disclosure.method).toBe('location-based');
  });

  test('reads standard input; invalid input exits 2 naming the field', async () => {
    const ok = await gaissa(
      ['sci', '--json', '-'],
      '{"energyKWh":1,"carbonIntensity":100,"functionalUnits":4}'
    );
    expect(JSON.parse(ok.stdout).sciG).toBe(25);
    const bad = await gaissa(
      ['sci', '--json', '-'],
      '{"energyKWh":1,"carbonIntensity":100,"functionalUnits":0}'
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('functionalUnits');
  });
});
