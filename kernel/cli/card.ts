/**
 * `gaissa card`: the label's training emissions into a Hugging Face model card's front matter, and
 * with --ai-act its EU AI Act Annex XI energy section.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { writeModelCardSections } from '../label/model-card-file';
import { canonicalPath } from '../label/write-outputs';
import { Command, UsageError } from './command';
import { parsingOptions, readLabelFile, reportingFields } from './parse-options';

const usage = `Usage: gaissa card LABEL.json [--readme README.md] [--source TEXT] [--training-type TYPE]
                  [--location PLACE] [--hardware TEXT] [--ai-act]

Writes the co2_eq_emissions block (emissions in grams, source, training_type,
geographical_location, hardware_used) of a training label into the YAML front matter of a
Hugging Face model card (default ./README.md, created when missing). Every other key, comment and
the card's body are kept; an earlier co2_eq_emissions block is replaced whole. The options
override the label's context.

--ai-act also writes the energy fields of the EU AI Act's technical documentation of a
general-purpose AI model (Regulation (EU) 2024/1689, Annex XI, Section 1, point 2(d)-(e):
training compute in FLOPs, training time, known or estimated energy with its method, hardware,
location) as the front matter key eu_ai_act_annex_xi and a section at the end of the body
between marker comments; a rerun replaces both whole. FLOPs and time come from the label's
aiAct field (label request "aiAct": { "trainingComputeFlops", "trainingTimeHours" }).

Exit status: 0 written; 2 bad usage, invalid label, a label without training emissions, or
--ai-act with an inference label.`;

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
          hardware: { type: 'string' },
          'ai-act': { type: 'boolean' }
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
    const written = await reportingFields(() =>
      writeModelCardSections(readmePath, record, {
        overrides: {
          source: values.source,
          trainingType: values['training-type'],
          location: values.location,
          hardware: values.hardware
        },
        aiAct: values['ai-act']
      })
    );
    io.stdout(`co2_eq_emissions: ${written.co2EqEmissions.emissions} g written to ${readmePath}\n`);
    if (written.aiAct) {
      const given = Object.keys(written.aiAct.front).filter(
        k => k !== 'reference' && k !== 'source'
      );
      io.stdout(`eu_ai_act_annex_xi: ${given.join(', ') || 'no fields'} written (Annex XI)\n`);
    }
    return 0;
  }
};
