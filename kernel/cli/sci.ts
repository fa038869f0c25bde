/** `gaissa sci`: Software Carbon Intensity (ISO/IEC 21031:2024) per functional unit. */
import { parseArgs } from 'node:util';
import { computeSci, parseSciInput } from '../../core/sci';
import { Command, finiteJson, readJsonArg } from './command';
import { parsingOptions, reportingFields } from './parse-options';

const usage = `Usage: gaissa sci --json FILE|-

Computes SCI = (E x I + M) per R (ISO/IEC 21031:2024, GSF SCI), M = TE x (TiR / EL) x (RR / ToR),
from a JSON object read from FILE, or from standard input with '-':
  energyKWh        E, energy of the measured window (kWh)
  carbonIntensity  I, location-based grid intensity (gCO2e/kWh); offsets never lower SCI
  embodied         { totalKg (TE), lifespanYears (EL), reservedHours (TiR), resourceShare (RR/ToR, 0..1) }
  functionalUnits  R, how many functional units the window served
  functionalUnit   optional name of one unit, e.g. "inference"
  boundary         optional words on what the energy covers
Prints sciG, operationalG and embodiedG (g CO2e per functional unit) with the disclosure, as JSON.

Exit status: 0 ok; 2 bad usage or invalid input (the field is named; figures that overflow too).`;

export const sci: Command = {
  name: 'sci',
  summary: 'Software Carbon Intensity (ISO/IEC 21031) per functional unit',
  usage,
  async run(args, io) {
    const { values } = parsingOptions(() =>
      parseArgs({ args, options: { json: { type: 'string' } }, strict: true })
    );
    const input = await readJsonArg(values.json, io);
    const result = await reportingFields(async () => computeSci(parseSciInput(input)));
    io.stdout(finiteJson(result, 'the SCI'));
    return 0;
  }
};
