/** `gaissa roi`: the ROI / what-if model of core/roi.ts for scripts and CI. */
import { parseArgs } from 'node:util';
import { computeRoi, ROI_FIELD_RULES, validateScenario } from '../../core/roi';
import { roiText } from '../../core/roi-static-view';
import { Command, finiteJson, readJsonArg, UsageError } from './command';
import { parsingOptions } from './parse-options';

const usage = `Usage: gaissa roi --json FILE|- [--text]

Reads a scenario (JSON object) from FILE, or from standard input with '-', and prints the result
as JSON (or, with --text, as a readable summary).

Required fields: ${Object.entries(ROI_FIELD_RULES)
  .filter(([, rule]) => rule.required)
  .map(([field]) => field)
  .join(', ')}
Optional fields: ${Object.entries(ROI_FIELD_RULES)
  .filter(([, rule]) => !rule.required)
  .map(([field]) => field)
  .concat('currency')
  .join(', ')}
  (inferencesPerDay with horizonYears start the time scenario: npv, paybackDays, yearly series)

Exit status: 0 ok; 2 bad usage or invalid scenario (every offending field is named on stderr).`;

export const roi: Command = {
  name: 'roi',
  summary: 'ROI, break-even, NPV and CO2 avoided of an optimization (what-if)',
  usage,
  async run(args, io) {
    const { values } = parsingOptions(() =>
      parseArgs({
        args,
        options: { json: { type: 'string' }, text: { type: 'boolean' } },
        strict: true,
        allowPositionals: false
      })
    );
    const input = await readJsonArg(values.json, io);
    const checked = validateScenario(input);
    if (!checked.ok) {
      const lines = checked.errors.map(e => `  ${e.field}: ${e.message}`);
      throw new UsageError(`invalid scenario:\n${lines.join('\n')}`);
    }
    const result = computeRoi(checked.scenario);
    // Checked for both outputs: a figure that overflows is invalid input, never null or "Infinity".
    const json = finiteJson(result, 'the scenario');
    io.stdout(values.text ? roiText(result) + '\n' : json);
    return 0;
  }
};
