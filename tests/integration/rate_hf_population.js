#!/usr/bin/env node
/**
 * Issues a training label against the Hugging Face population (hf-co2) for every request read
 * from standard input, one JSON line { modelId, metrics } each, through the built kernel (lib/)
 * as `gaissa label` does; prints one JSON line per request:
 *   { modelId, rating, score, metrics: { name: { index, rating } }, boundaries }
 * or, when the label is refused, { modelId, error: { field, message } }.
 * One process for the whole population: test_hf_population.py compares it with numpy.
 */
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const lib = join(__dirname, '..', '..', 'lib');
const { parseLabelRequest } = require(join(lib, 'core', 'label', 'record.js'));
const { issueLabel } = require(join(lib, 'kernel', 'label', 'issue-label.js'));
const { FieldError } = require(join(lib, 'core', 'field-error.js'));

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const lines = Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter(l => l.trim());
  const now = new Date();
  for (const line of lines) {
    const { modelId, metrics } = JSON.parse(line);
    let out;
    try {
      const request = parseLabelRequest({
        phase: 'training',
        metrics,
        population: 'hf-co2',
        model: { name: modelId }
      });
      const label = await issueLabel(request, { cwd: tmpdir(), now });
      out = {
        modelId,
        rating: label.rating,
        score: label.score,
        metrics: Object.fromEntries(
          Object.entries(label.metrics).map(([name, m]) => [
            name,
            { index: m.index, rating: m.rating }
          ])
        ),
        boundaries: label.basis.boundaries
      };
    } catch (e) {
      if (!(e instanceof FieldError)) throw e;
      out = { modelId, error: { field: e.field, message: e.message } };
    }
    process.stdout.write(JSON.stringify(out) + '\n');
  }
}

main().catch(e => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
