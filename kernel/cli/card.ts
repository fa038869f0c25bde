/** `gaissa card`: the label's training emissions into a Hugging Face model card's front matter. */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { writeModelCard } from '../label/model-card-file';
import { canonicalPath } from '../label/write-outputs';
import { Command, UsageError } from './command';
import { parsingOptions, readLabelFile, reportingFields } from './parse-options';

const usage = `Usage: gaissa card LABEL.json [--readme README.md] [--source TEXT] [--training-type TYPE]
                  [--location PLACE] [--hardware TEXT]

Writes the co2_eq_emissions block (emissions in grams, source, training_type,
geographical_location, hardware_used) of a training label into the YAML front matter of a
Hugging Face model card (default ./README.md, created when missing). Every other key, comment and
the card's body are kept; an earlier co2_eq_emissions block is replaced whole. The options
override the label's context.

Exit status: 0 written; 2 bad usage, invalid label or a label without training emissions.`;

export const card: Command = {
  name: 'card',
  summary: 'write a label’s CO2e into a Hugging Face model card (co2_eq_emissions)',
  usage,
  async run(args, io) {
    const { values, positionals } = parsingOptions(() =>
      parseArgs({
        args,
        options: {
          readme: { type: 'string' },
          source: { type: 'string' },
          'training-type': { type: 'string' },
          location: { type: 'string' },
          hardware: { type: 'string' }
        },
        allowPositionals: true,
        strict: true
      })
    );
    if (positionals.length !== 1) throw new UsageError('card needs exactly one LABEL.json');
    const record = await readLabelFile(positionals[0]);
    const readmePath = resolve(values.readme ?? 'README.md');
    if (canonicalPath(readmePath) === canonicalPath(positionals[0])) {
      throw new UsageError(`--readme ${readmePath} is the label itself: choose the model card`);
    }
    const { emissions } = await reportingFields(() =>
      writeModelCard(readmePath, record, {
        source: values.source,
        trainingType: values['training-type'],
        location: values.location,
        hardware: values.hardware
      })
    );
    io.stdout(`co2_eq_emissions: ${emissions} g written to ${readmePath}\n`);
    return 0;
  }
};
