/** `gaissa label` (issue a label, optionally as a CI gate) and `gaissa label verify`. */
import { parseArgs } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { isRating, RATINGS, Rating, isWorseThan } from '../../core/label/metrics';
import { methodTitle } from '../../core/label/provenance';
import { parseLabelRequest, populationOption } from '../../core/label/record';
import { isPlainObject } from '../../core/field-error';
import { DEFAULT_REGISTRY_FILE, registerLabel } from '../label/label-registry';
import { drawLabelSvg } from '../../core/label/svg';
import { inputsOf, issueLabel } from '../label/issue-label';
import { readPrivateKey, readPublicKey, signLabel } from '../label/signature';
import { verifyLabel } from '../label/verify-label';
import { Output, writeOutputs } from '../label/write-outputs';
import { Command, CliIO, UsageError, finiteJson, readJsonArg } from './command';
import { SettingsStore } from '../measure/settings';
import { parseModelVersion } from '../records/mlflow-model-version';
import { parsingOptions, readLabelFile, reportingFields } from './parse-options';
import { cliTeamSink, closeTeamSink } from './team-servers';

const usage = `Usage: gaissa label --json FILE|- [--population P] [--min RATING] [--svg OUT.svg]
                    [--out LABEL.json] [--registry FILE.jsonl] [--no-register] [--sign KEY.pem]
                    [--mlflow-model NAME/VERSION]
       gaissa label verify LABEL.json [--model MODEL] [--trust PUBLIC_KEY.pem] [--json]

Issues an A-E energy label (GAISSALabel method) from a JSON request read from FILE, or from
standard input with '-', and prints the label record as JSON.

Request: { phase, metrics, population?, reference?, boundaries?, weights?, model?, measurements?,
           derive?, sci?, method?, context?, issued? }
  phase         "inference" or "training"
  metrics       inference: energyPerInferenceJ, co2ePerInferenceG, latencyMs, modelSizeMB, accuracy
                training:  trainingCo2eKg, performanceScore, modelSizeMB, datasetSizeMB, downloads,
                           trainingEnergyKWh, accuracy   (accuracy, performanceScore: fractions 0..1)
  population    what the label is rated against, named on the label:
                "hf-co2"      1,418 Hugging Face models reporting training CO2e (Castaño et al.,
                              ESEM 2023), GAISSA's method: the default for training labels
                { "path": F } a population CSV with the study's columns (gaissa hf mine writes one)
                "registry"    the labels written in this folder (gaissa-labels.jsonl), or
                { "registry": F }
                "fixed"       the phase's fixed reference (gaissa-inference-v1, gaissa-training-v1)
                { "baseline": NAME } the reference values are the figures of the model NAME
                An inference label names one, gives reference values, or is rated against the
                registry when it holds at least 5 labels; there is no silent default.
  reference, boundaries, weights
                per-metric reference values, boundaries ([b1, b2, b3, b4], descending) and
                weights; a population sets its own reference and boundaries
  model         { name?, path?, sha256? }: the model file is hashed (SHA-256) into the record
  measurements  [{ path, id? }]: measurement records (gaissa measure, %%gaissa measure) hashed
                into the record (with id: the line of that record in a JSON Lines file)
  derive        { measurement?, inferences?, sci? }: compute the energy and CO2e metrics (per
                inference: give inferences) and with sci: true the SCI from measurements[measurement]
  sci           { energyKWh, carbonIntensity, embodied?, functionalUnits, functionalUnit? }
  method        only to claim less than the records show; the label's method is derived:
                measured (every record from hardware counters), partly-measured, estimated, or
                declared (no records, or energy and CO2e typed rather than derived)
  context       { location?, hardware?, trainingType? } for the model card
Relative paths are resolved against the current folder; the record stores them relative to the
--out file's folder (absolute without --out).

Options:
  --population P  hf-co2, registry, fixed or a population CSV file (overrides the request's)
  --min RATING  CI gate: exit 1 when the rating is worse than RATING (A-E)
  --svg FILE    also write the label drawing as SVG
  --out FILE    also write the label record (JSON) to FILE
  --sign KEY    sign the record with an Ed25519 private key (PEM; openssl genpkey -algorithm ed25519)
  --registry F  the label registry read by population "registry" and appended to when the label
                is written (default: gaissa-labels.jsonl beside --out; population registry
                reads the current folder's)
  --no-register do not append the written label to the registry
  --mlflow-model NAME/VERSION
                also set the rating and the label's key fields as tags on this MLflow
                registered model version (needs MLFLOW_TRACKING_URI)
Outputs are written all or none, never over an input (the request, key, model or records).
With an MLflow tracking server set (MLFLOW_TRACKING_URI, gaissa.config.json), the label also goes
to an MLflow run of its own: LABEL.json and its SVG as artifacts, the rating as a tag; what the
server did not take within 5 s is named on stderr (the exit status does not change).

verify: recomputes the SHA-256 of the model file (or --model MODEL) and of the measurement
records the label rests on, the method and every figure derived from those records, checks a
named basis (gaissa-inference-v1, gaissa-training-v1; others show as custom), re-rates the
metrics, and reports each check (--json: as JSON). Without --trust KEY (the issuer's Ed25519
public key, PEM) only the label's internal consistency is checked, not who issued it.

Exit status: 0 ok (verify: every check matches); 1 rating below --min (verify: a mismatch, a
missing file or nothing to verify); 2 bad usage, invalid input (the field is named) or an output
that cannot be written (the file and the reason are named; nothing is written).`;

async function issue(args: string[], io: CliIO): Promise<number> {
  const { values } = parsingOptions(() =>
    parseArgs({
      args,
      options: {
        json: { type: 'string' },
        min: { type: 'string' },
        svg: { type: 'string' },
        out: { type: 'string' },
        sign: { type: 'string' },
        population: { type: 'string' },
        registry: { type: 'string' },
        'no-register': { type: 'boolean' },
        'mlflow-model': { type: 'string' }
      },
      strict: true
    })
  );
  // Checked before anything is issued: a malformed name or no server is a usage error.
  const store = new SettingsStore(process.cwd());
  const mlflowModel = await reportingFields(async () =>
    values['mlflow-model'] === undefined
      ? undefined
      : parseModelVersion(values['mlflow-model'], '--mlflow-model')
  );
  if (mlflowModel && !store.teamTargets().mlflowTrackingUri) {
    throw new UsageError(
      '--mlflow-model needs an MLflow tracking server: set MLFLOW_TRACKING_URI (or mlflowTrackingUri in gaissa.config.json)'
    );
  }
  let minimum: Rating | undefined;
  if (values.min !== undefined) {
    const upper = values.min.toUpperCase();
    if (!isRating(upper)) throw new UsageError(`--min must be one of ${RATINGS.join(', ')}`);
    minimum = upper;
  }
  const input = await readJsonArg(values.json, io);
  const cwd = process.cwd();
  const out = values.out && resolve(cwd, values.out);
  const request = await reportingFields(async () =>
    parseLabelRequest(withPopulation(input, values.population, values.registry))
  );
  let record = await reportingFields(async () => {
    const issued = await issueLabel(request, { cwd, labelDir: out && dirname(out) });
    if (request.method && request.method !== issued.method) {
      io.stderr(
        `gaissa label: method "${request.method}" asked, but the records support ` +
          `${methodTitle(issued.method)}: the label says ${methodTitle(issued.method)}\n`
      );
    }
    return issued;
  });
  if (values.sign !== undefined) {
    const key = await reportingFields(() => readPrivateKey(resolve(cwd, values.sign!), '--sign'));
    record = signLabel(record, key);
  }
  const json = finiteJson(record, 'the label');
  const outputs: Output[] = [];
  if (out) outputs.push({ path: out, data: json });
  if (values.svg) outputs.push({ path: resolve(cwd, values.svg), data: drawLabelSvg(record) });
  // No output may replace what the label was issued from: the request, key, model or records.
  const inputs = inputsOf(request, cwd);
  if (values.json && values.json !== '-') inputs.push(resolve(cwd, values.json));
  if (values.sign !== undefined) inputs.push(resolve(cwd, values.sign));
  await writeOutputs(outputs, inputs);
  // A label written in a folder joins that folder's registry (or the one named).
  const registry =
    values.registry !== undefined
      ? resolve(cwd, values.registry)
      : out && join(dirname(out), DEFAULT_REGISTRY_FILE);
  if (registry && !values['no-register']) await registerLabel(record, registry);
  io.stdout(json);
  // Team servers that keep labels (MLflow) get it after it is printed.
  const sink = cliTeamSink(store, io);
  const issued = record;
  sink.writeLabel(issued, () => drawLabelSvg(issued), mlflowModel);
  await closeTeamSink(sink, io);
  if (minimum && isWorseThan(record.rating, minimum)) {
    io.stderr(`gaissa label: rating ${record.rating} is worse than the minimum ${minimum}\n`);
    return 1;
  }
  return 0;
}

/** The request with --population applied (with --registry, population registry reads it). */
function withPopulation(input: unknown, option?: string, registry?: string): unknown {
  if (option === undefined || !isPlainObject(input)) return input;
  return { ...input, population: populationOption(option, registry) };
}

async function verify(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parsingOptions(() =>
    parseArgs({
      args,
      options: { model: { type: 'string' }, trust: { type: 'string' }, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true
    })
  );
  if (positionals.length !== 1) throw new UsageError('verify needs exactly one LABEL.json');
  const labelPath = resolve(process.cwd(), positionals[0]);
  const record = await readLabelFile(positionals[0]);
  const trust =
    values.trust === undefined
      ? undefined
      : await reportingFields(() =>
          readPublicKey(resolve(process.cwd(), values.trust!), '--trust')
        );
  const report = await verifyLabel(record, {
    labelDir: dirname(labelPath),
    modelPath: values.model && resolve(process.cwd(), values.model),
    trust
  });
  if (values.json) {
    io.stdout(JSON.stringify(report, null, 2) + '\n');
  } else {
    for (const c of report.checks) {
      const why =
        c.status === 'mismatch' && c.actual !== undefined
          ? ` (recorded ${c.expected}, found ${c.actual})`
          : '';
      const detail = c.detail ? ` — ${c.detail}` : '';
      io.stdout(`${c.status.padEnd(12)} ${c.kind.padEnd(11)} ${c.subject}${why}${detail}\n`);
    }
    io.stdout(report.ok ? `verified: every check matches; ${report.scope}\n` : 'NOT verified\n');
  }
  return report.ok ? 0 : 1;
}

export const label: Command = {
  name: 'label',
  summary: 'energy label A-E (GAISSALabel) with SCI; CI gate with --min; verify a label',
  usage,
  async run(args, io) {
    return args[0] === 'verify' ? verify(args.slice(1), io) : issue(args, io);
  }
};
