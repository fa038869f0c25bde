/** Small generated models on disk, a fast fake meter, and helpers shared by the tactics tests. */
import Ajv from 'ajv';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { onnx } from 'onnx-proto';
import type { MeterReading } from '../../../core/measurement';
import { encodeModel } from '../../../kernel/onnx/model-file';
import { writeFileAtomic } from '../../../kernel/atomic-write';
import { OnnxModel } from '../../../kernel/onnx/onnx-model';
import { randomInputs } from '../../../kernel/onnx/synthetic-models';
import type { EnergyMeter } from '../../../kernel/tactics/compare';
import schema from '../../../schema/tactics.schema.json';

export const validateTactics = new Ajv({
  allErrors: true,
  strict: true,
  allowUnionTypes: true
}).compile(schema);

export function expectValid(value: unknown): void {
  if (!validateTactics(value)) throw new Error(JSON.stringify(validateTactics.errors, null, 2));
}

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'gaissa-tactics-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes a model file and returns its path, bytes and mtime (to check it is never touched). */
export async function modelFile(dir: string, name: string, proto: onnx.IModelProto) {
  const path = join(dir, name);
  await writeFileAtomic(path, encodeModel(proto));
  return { path, bytes: readFileSync(path), mtimeMs: statSync(path).mtimeMs };
}

export function expectUnchanged(file: { path: string; bytes: Buffer; mtimeMs: number }): void {
  expect(readFileSync(file.path).equals(file.bytes)).toBe(true);
  expect(statSync(file.path).mtimeMs).toBe(file.mtimeMs);
}

export const MNIST_LIKE = 784;

/** `count` seeded inputs of [count, 784] (or the dims given). */
export function inputs(count: number, dims: number[] = [count, MNIST_LIKE], seed = 3) {
  const per = dims.slice(1).reduce((a, b) => a * b, 1);
  return { type: 'float32', data: randomInputs(count, per, seed), dims };
}

export async function firstOutput(
  model: OnnxModel,
  x: ReturnType<typeof inputs>
): Promise<Float32Array> {
  const out = await model.run(x);
  return Float32Array.from(Object.values(out)[0].data as Float32Array);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

export function argmaxRows(values: ArrayLike<number>, classes: number): number[] {
  const out: number[] = [];
  for (let r = 0; r * classes < values.length; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++)
      if (values[r * classes + c] > values[r * classes + best]) best = c;
    out.push(best);
  }
  return out;
}

export function agreement(a: ArrayLike<number>, b: ArrayLike<number>, classes: number): number {
  const pa = argmaxRows(a, classes);
  const pb = argmaxRows(b, classes);
  return pa.filter((p, i) => p === pb[i]).length / pa.length;
}

/** A meter that reads `watts` x wall time as estimated CPU energy: fast, no worker thread. */
export function fakeMeter(watts = 20): EnergyMeter & { windows: number } {
  const meter = {
    windows: 0,
    begin() {
      const startedAt = Date.now();
      const t0 = performance.now();
      meter.windows++;
      return {
        end: async (): Promise<MeterReading> => {
          const durationS = (performance.now() - t0) / 1000;
          return {
            startedAt,
            endedAt: startedAt + durationS * 1000,
            durationS,
            components: {
              cpu: { energyJ: watts * durationS, method: 'estimate', scope: 'process' },
              gpu: { energyJ: 0, method: null, scope: null },
              ram: { energyJ: 0, method: 'estimate', scope: 'process' }
            },
            gpus: [],
            intervals: [],
            constants: { samplingIntervalMs: 100 },
            host: {
              os: 'linux',
              cpuModel: 'Test CPU',
              logicalCpus: 2,
              ramTotalGB: 8,
              gpuCount: 0,
              gpuModel: null
            },
            fallbackReasons: ['CPU energy estimated: test meter'],
            notes: [],
            cpuUtilisationPercent: 50,
            ramUsedGB: 0.1,
            samples: 1,
            samplerCpuS: 0
          };
        }
      };
    }
  };
  return meter;
}
