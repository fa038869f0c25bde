/**
 * @jest-environment ./tests/unit/kernel/fixtures/onnxruntime-environment.js
 */
// The int8 weight range follows the CPU's int8 dot product. Detection reads /proc/cpuinfo: the
// parser is tested on fixture texts of CPUs this machine is not, and the real reader on this
// machine. The tactics take the detected features as an option, so both paths run here whatever
// the CPU; accuracy is asserted only where it holds on any CPU (7-bit weights never saturate;
// full-range weights do without VNNI, so the default path is checked on unseen models instead).
import { readFileSync } from 'node:fs';
import { OnnxModel } from '../../../../kernel/onnx/onnx-model';
import { mlpModel } from '../../../../kernel/onnx/synthetic-models';
import { DataType, readIntegers } from '../../../../kernel/onnx/tensors';
import { applyTactics } from '../../../../kernel/tactics/catalogue';
import {
  Int8DotProduct,
  chooseWeightRange,
  detectInt8DotProduct,
  int8DotProductOf
} from '../../../../kernel/tactics/int8-weight-range';
import type { Variant } from '../../../../kernel/tactics/variant';
import { agreement, firstOutput, inputs } from '../fixtures/tactics';

const cpuinfo = (flags: string[], key = 'flags') =>
  flags.map((f, i) => `processor\t: ${i}\nmodel name\t: Test\n${key}\t\t: ${f}\n`).join('\n');

const AVX2 = 'fpu sse2 ssse3 avx avx2 fma';

describe('int8DotProductOf: /proc/cpuinfo texts', () => {
  test.each([
    ['AVX2 only (this kind of EPYC)', cpuinfo([AVX2, AVX2]), 'x64', false, /none of avx512_vnni/],
    ['AVX-512 VNNI', cpuinfo([`${AVX2} avx512f avx512_vnni`]), 'x64', true, /avx512_vnni/],
    ['AVX-VNNI', cpuinfo([`${AVX2} avx_vnni`]), 'x64', true, /avx_vnni/],
    ['AMX-INT8', cpuinfo([`${AVX2} amx_int8`]), 'x64', true, /amx_int8/],
    // A flag counts only when every processor lists it.
    ['hybrid, one core without', cpuinfo([`${AVX2} avx_vnni`, AVX2]), 'x64', false, /none of/],
    ['AVX-512 without VNNI', cpuinfo([`${AVX2} avx512f avx512bw`]), 'x64', false, /none of/],
    ['Arm with dot product', cpuinfo(['fp asimd asimddp'], 'Features'), 'arm64', true, /asimddp/],
    ['Arm without', cpuinfo(['fp asimd'], 'Features'), 'arm64', false, /none of asimddp/],
    ['no flags lines', 'processor\t: 0\n', 'x64', false, /no CPU flags/],
    ['unreadable', undefined, 'x64', false, /no \/proc\/cpuinfo/],
    ['unknown architecture', cpuinfo(['avx512_vnni']), 'riscv64', false, /riscv64/]
  ])('%s', (_, text, arch, present, evidence) => {
    const found = int8DotProductOf(text, arch);
    expect(found.present).toBe(present);
    expect(found.evidence).toMatch(evidence);
  });

  test("this machine's reading agrees with its /proc/cpuinfo", () => {
    const text = process.platform === 'linux' ? readFileSync('/proc/cpuinfo', 'utf8') : undefined;
    expect(detectInt8DotProduct()).toEqual(int8DotProductOf(text, process.arch));
  });
});

const ABSENT: Int8DotProduct = { present: false, evidence: 'injected by the test' };
const PRESENT: Int8DotProduct = { present: true, evidence: 'injected by the test' };

describe('chooseWeightRange', () => {
  test('7-bit exactly where the CPU has no int8 dot product, and the note says why', () => {
    const absent = chooseWeightRange({ int8DotProduct: ABSENT }, 'quantize-dynamic');
    expect(absent.reduceRange).toBe(true);
    expect(absent.note).toMatch(
      /^int8 weights with reduce-range \(7-bit, \[-64, 64\]\): this CPU has no int8 dot product.*injected by the test.*saturate|overflow/
    );
    expect(absent.note).toMatch(/force with quantize-dynamic:full-range/);
    const present = chooseWeightRange({ int8DotProduct: PRESENT }, 'quantize-static');
    expect(present.reduceRange).toBe(false);
    expect(present.note).toMatch(/^int8 weights, full range.*accumulates in 32 bits/);
    expect(present.note).toMatch(/force with quantize-static:reduce-range/);
  });

  test('an explicit choice wins either way; full range without the instruction is warned', () => {
    expect(chooseWeightRange({ reduceRange: true, int8DotProduct: PRESENT }, 't')).toEqual({
      reduceRange: true,
      note: expect.stringMatching(/reduce-range.*as asked.*present/)
    });
    const risky = chooseWeightRange({ reduceRange: false, int8DotProduct: ABSENT }, 't');
    expect(risky.reduceRange).toBe(false);
    expect(risky.note).toMatch(/full range.*as asked, although.*expect large errors/);
    expect(
      chooseWeightRange({ reduceRange: false, int8DotProduct: PRESENT }, 't').note
    ).not.toMatch(/expect large errors/);
  });
});

/** The largest |q| among the int8 weights of a variant. */
function weightMax(v: Variant): number {
  const weights = (v.model.proto.graph?.initializer ?? []).filter(
    t => t.dataType === DataType.INT8 && t.name.endsWith('_quantized')
  );
  expect(weights.length).toBeGreaterThan(0);
  return Math.max(...weights.flatMap(t => readIntegers(t).map(Math.abs)));
}

const CALIBRATION = inputs(50, [50, 784], 9);

describe.each(['quantize-dynamic', 'quantize-static'])('%s follows the CPU', spec => {
  const base = OnnxModel.fromProto(mlpModel({ sizes: [784, 64, 10] }));
  const apply = (s: string, cpu: Int8DotProduct) =>
    applyTactics(base, s, { int8DotProduct: cpu, calibration: CALIBRATION });

  test('no int8 dot product: 7-bit weights, said in the summary, the nodes and the notes', async () => {
    const v = await apply(spec, ABSENT);
    expect(weightMax(v)).toBe(64);
    const report = v.reports[0];
    expect(report.summary).toMatch(/7-bit/);
    expect(report.changed.filter(c => /int8 weights \(7-bit\)/.test(c.detail))).toHaveLength(2);
    expect(report.notes[0]).toMatch(/reduce-range \(7-bit.*no int8 dot product/);
    // 7-bit weights never saturate, so this holds on any CPU.
    const x = inputs(200);
    expect(
      agreement(await firstOutput(base, x), await firstOutput(v.model, x), 10)
    ).toBeGreaterThanOrEqual(0.97);
  });

  test('an int8 dot product: full-range weights, said so', async () => {
    const v = await apply(spec, PRESENT);
    expect(weightMax(v)).toBe(127);
    expect(v.reports[0].summary).toMatch(/full.range/);
    expect(v.reports[0].changed.some(c => /7-bit/.test(c.detail))).toBe(false);
    expect(v.reports[0].notes[0]).toMatch(/full range.*accumulates in 32 bits/);
  });

  test(':full-range and :reduce-range force the format', async () => {
    expect(weightMax(await apply(`${spec}:full-range`, ABSENT))).toBe(127);
    expect((await apply(`${spec}:full-range`, ABSENT)).reports[0].notes[0]).toMatch(
      /expect large errors/
    );
    expect(weightMax(await apply(`${spec}:reduce-range`, PRESENT))).toBe(64);
    expect(
      weightMax(
        await applyTactics(base, spec, {
          int8DotProduct: PRESENT,
          reduceRange: true,
          calibration: CALIBRATION
        })
      )
    ).toBe(64);
  });
});

// Models no other test has seen, with this machine's CPU and the default choice: what a user gets.
// Measured on AMD EPYC (AVX2, no VNNI, so 7-bit weights), 1,024 inputs: 98.3-99.7 % (dynamic) and
// 98.4-99.4 % (static) over the three seeds.
test.each([7, 11, 41])(
  'default path on an unseen 768-512-512-16 MLP (seed %i): top-1 agreement with fp32 >= 98 %',
  async seed => {
    const base = OnnxModel.fromProto(
      mlpModel({ sizes: [768, 512, 512, 16], seed, gemm: seed === 11 })
    );
    const n = 1024;
    const x = inputs(n, [n, 768], seed + 1);
    const fp32 = await firstOutput(base, x);
    for (const spec of ['quantize-dynamic', 'quantize-static']) {
      const v = await applyTactics(base, spec, { calibration: inputs(128, [128, 768], seed + 2) });
      expect(v.reports[0].notes[0]).toMatch(
        detectInt8DotProduct().present ? /full range/ : /reduce-range/
      );
      expect(agreement(fp32, await firstOutput(v.model, x), 16)).toBeGreaterThanOrEqual(0.98);
    }
  },
  60000
);
