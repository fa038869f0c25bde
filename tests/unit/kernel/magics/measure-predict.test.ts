// `%%gaissa measure --predict`: the prediction shown before the cell runs, then the card with
// predicted and measured side by side; the predictor learns from each measured cell.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import Ajv from 'ajv';
import { connectOutput, gaissa } from '../../../../kernel/api';
import { CommManager } from '../../../../kernel/comms';
import type { MimeBundle } from '../../../../kernel/display';
import type { MagicContext } from '../../../../kernel/magics/context';
import { measureMagics } from '../../../../kernel/magics/measure';
import { parseCell } from '../../../../kernel/magics/parse';
import { MagicRegistry, type CellOutcome } from '../../../../kernel/magics/registry';
import { MEASUREMENT_MIME } from '../../../../core/mime-types';
import type { MeasurementRecord } from '../../../../core/measurement';
import measurementSchema from '../../../../schema/measurement.schema.json';
import { inTemporarySessionFolder } from '../../fixtures/measure-session';

inTemporarySessionFolder('gaissa-measure-predict-');
beforeEach(() => {
  // The predictor's costs go to a scratch cache, not the user's.
  process.env.GAISSA_CACHE_DIR = mkdtempSync(join(tmpdir(), 'gaissa-cell-costs-'));
});

const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(measurementSchema);

/** Runs a cell through the registry as the kernel does; what it showed, in order, with updates. */
async function runCell(cell: string, body: () => Promise<CellOutcome>) {
  const events: Array<{ kind: 'display' | 'update'; id?: string; data: MimeBundle }> = [];
  connectOutput({
    display: (data, _m, id) => events.push({ kind: 'display', id, data }),
    updateDisplay: (id, data) => events.push({ kind: 'update', id, data }),
    clearOutput: () => undefined,
    page: () => undefined
  });
  const registry = new MagicRegistry<MagicContext>();
  for (const m of measureMagics) registry.register(m);
  const ctx: MagicContext = {
    api: gaissa,
    comms: new CommManager(() => undefined),
    registry,
    print: () => undefined
  };
  const parsed = parseCell(cell);
  const { command, args } = registry.resolve(parsed.cell!);
  const outcome = await command.cell!(args, ctx, body, parsed.code);
  return { events, outcome };
}

const spin = (ms: number) => async (): Promise<CellOutcome> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy
  }
  return { status: 'ok', value: 1 };
};

test('--predict parses as a boolean option of %%gaissa measure', () => {
  const registry = new MagicRegistry<MagicContext>();
  for (const m of measureMagics) registry.register(m);
  const resolve = (line: string) => registry.resolve(parseCell(`${line}\n1`).cell!).args.options;
  expect(resolve('%%gaissa measure --predict').predict).toBe(true);
  expect(resolve('%%gaissa measure').predict).toBeUndefined();
  expect(resolve('%%gaissa measure --no-predict --repeat 2')).toMatchObject({
    predict: false,
    repeat: 2
  });
  expect(() => resolve('%%gaissa measure --predict=maybe')).toThrow(/expects true or false/);
});

test('shows the predicted tier first, then the card with predicted vs measured', async () => {
  const cell =
    '%%gaissa measure --predict --no-log\nlet s = 0;\nfor (let i = 0; i < 1e6; i++) s += i;';
  const { events, outcome } = await runCell(cell, spin(30));
  expect(outcome.status).toBe('ok');
  expect(events[0].kind).toBe('display');
  const before = events[0].data['text/plain'] as string;
  expect(before).toMatch(
    /^Predicted \(not measured\): (Low|Medium|High), about .* \[Low < 1 J ≤ Medium < 30 J ≤ High\]/
  );
  expect(before).toMatch(/operations in loops nested 1 deep/);
  expect(before).toMatch(/measuring…$/);
  // The card replaces the prediction in place.
  const last = events[events.length - 1];
  expect(last).toMatchObject({ kind: 'update', id: events[0].id });
  const record = last.data[MEASUREMENT_MIME] as MeasurementRecord;
  expect(record.prediction).toMatchObject({
    method: 'predicted',
    boundaries: { mediumFromJ: 1, highFromJ: 30 },
    reason: null
  });
  expect(record.prediction!.estimateJ).toBeGreaterThan(0);
  if (!validate(record)) throw new Error(JSON.stringify(validate.errors));
  // The figure is named by its provenance: on a machine without a counter, estimated.
  const text = last.data['text/plain'] as string;
  expect(text).toMatch(
    /Prediction +predicted .* \/ (measured|estimated|partly measured \(<?\d+ % counter\)) .*, error [+-]?\d+ %/
  );
  expect(text).not.toMatch(record.coverage < 1 ? /\/ measured / : /\/ (estimated|partly) /);
});

test('a cell it cannot size says no prediction and why, and is still measured', async () => {
  const cell = '%%gaissa measure --predict --no-log\nwhile (Math.random() < 0.99) {}';
  const { events } = await runCell(cell, spin(5));
  expect(events[0].data['text/plain']).toMatch(/no prediction: cannot size a while loop at line 1/);
  const record = events[events.length - 1].data[MEASUREMENT_MIME] as MeasurementRecord;
  expect(record.prediction).toMatchObject({ tier: null, estimateJ: null });
  expect(record.energyJ).toBeGreaterThanOrEqual(0);
  if (!validate(record)) throw new Error(JSON.stringify(validate.errors));
});

test('each measured cell teaches the predictor: a function measured once prices the next cell', async () => {
  await runCell('%%gaissa measure --no-log\nheavy();', spin(200));
  const { events } = await runCell(
    '%%gaissa measure --predict --no-log\nheavy();\nheavy();',
    spin(5)
  );
  const before = events[0].data['text/plain'] as string;
  expect(before).toMatch(/heavy\(\) measured earlier, 2 call\(s\)/);
});

test('without --predict the record has no prediction', async () => {
  const { events } = await runCell('%%gaissa measure --no-log\n1 + 1', spin(1));
  expect(events).toHaveLength(1);
  expect(events[0].data[MEASUREMENT_MIME]).not.toHaveProperty('prediction');
});
