/**
 * The energy our own meter reads for the top-level loop cell of issue 16
 * (`let s = 0; for (let i = 0; i < 2e6; i++) { s += i % 7; } s`) and for the same loop in a
 * function, on this build and on a baseline build (GAISSA_BASELINE=DIR, a checkout built before
 * the live bindings), in the same run: `%%gaissa measure --repeat R --no-log` on a new cell each
 * time, shapes and kernels alternating. Prints the median energy per run of the cell and its
 * duration, the ratio this build / baseline, and what measured it (counter or estimate, and the
 * share a counter covered), taken from the records themselves.
 * Run: npm run build && GAISSA_BASELINE=DIR node lib/bench/loop-energy.js [--rounds 5] [--repeat 3]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BenchKernel } from './kernel-client';
import { benchKernels } from './bench-kernels';
import { quantile } from './stats';
import { MEASUREMENT_MIME } from '../core/mime-types';
import type { MeasurementRecord } from '../core/measurement';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    repeat: { type: 'string', default: '3' }
  }
});
const ROUNDS = Number(values.rounds);
const REPEAT = Number(values.repeat);

const shapes = {
  loop: (n: number) => `let s${n} = 0; for (let i = 0; i < 2e6; i++) { s${n} += i % 7; } s${n}`,
  function: (n: number) =>
    `function f${n}() { let s = 0; for (let i = 0; i < 2e6; i++) { s += i % 7; } return s; } f${n}()`
};
type Shape = keyof typeof shapes;

async function measured(k: BenchKernel, code: string): Promise<MeasurementRecord> {
  let record: MeasurementRecord | undefined;
  await k.execute(`%%gaissa measure --repeat ${REPEAT} --no-log\n${code}`, 300_000, msg => {
    const data = (msg.content as { data?: Record<string, unknown> }).data;
    if (data?.[MEASUREMENT_MIME]) record = data[MEASUREMENT_MIME] as MeasurementRecord;
  });
  if (!record) throw new Error('the measured cell showed no measurement');
  return record;
}

async function main(): Promise<void> {
  // Only our kernels have the meter: tslab's and Deno's columns are left out.
  const all = benchKernels();
  const names = ['gaissa', ...(all.baseline ? ['baseline'] : [])];
  if (!all.baseline) process.stdout.write('no GAISSA_BASELINE: this build only\n');
  const cwd = mkdtempSync(join(tmpdir(), 'gaissa-bench-cwd-'));
  const alive: BenchKernel[] = [];
  for (const name of names) {
    const k = await BenchKernel.start(all[name], cwd);
    await k.kernelInfo();
    await k.waitForIopub();
    await measured(k, '1+1'); // loads the meters
    alive.push(k);
  }
  const records = names.map(() => ({
    loop: [] as MeasurementRecord[],
    function: [] as MeasurementRecord[]
  }));
  let n = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const order: Shape[] = r % 2 === 0 ? ['loop', 'function'] : ['function', 'loop'];
    for (const shape of order) {
      for (let i = 0; i < alive.length; i++) {
        const j = (i + r) % alive.length;
        records[j][shape].push(await measured(alive[j], shapes[shape](++n)));
      }
    }
    process.stdout.write(`  round ${r + 1}/${ROUNDS}\n`);
  }
  for (const k of alive) await k.shutdown();

  const median = (rs: MeasurementRecord[], pick: (r: MeasurementRecord) => number) =>
    quantile(rs.map(pick), 0.5);
  console.log(
    `\nEnergy of one run of the cell, our meter (median of ${ROUNDS} cells x ${REPEAT} repeats)`
  );
  console.log(
    `${''.padEnd(22)}${names.map(n => `${n} J`.padStart(14)).join('')}${names.map(n => `${n} ms`.padStart(14)).join('')}${names.length > 1 ? '  gaissa/baseline' : ''}`
  );
  for (const shape of ['loop', 'function'] as Shape[]) {
    const energy = records.map(r => median(r[shape], x => x.energyJ));
    const ms = records.map(r => median(r[shape], x => x.durationS * 1000));
    const ratio = energy.length > 1 ? (energy[0] / energy[1]).toFixed(3).padStart(18) : '';
    console.log(
      `${(shape === 'loop' ? 'top-level loop' : 'loop in a function').padEnd(22)}${energy.map(e => e.toFixed(3).padStart(14)).join('')}${ms.map(m => m.toFixed(1).padStart(14)).join('')}${ratio}`
    );
  }
  // What measured it, from the records: the method and the share a hardware counter covered.
  const every = records.flatMap(r => [...r.loop, ...r.function]);
  const methods = [
    ...new Set(every.map(r => `${r.method} (counter coverage ${(r.coverage * 100).toFixed(0)} %)`))
  ];
  console.log(
    `measured by: ${methods.join('; ')}; CPU: ${[...new Set(every.map(r => r.components.cpu.method))].join(', ')}`
  );
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  }
);
