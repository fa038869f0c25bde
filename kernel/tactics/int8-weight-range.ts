/**
 * Which int8 weight range a CPU's integer kernels take without saturating, and why.
 *
 * ONNX Runtime's CPU kernels multiply uint8 activations by int8 weights. With an int8 dot-product
 * instruction that accumulates in 32 bits (x86: AVX512-VNNI, AVX-VNNI, AMX-INT8; Arm: the
 * dot-product extension) nothing saturates. Without one, x86 kernels use VPMADDUBSW, which adds
 * two u8 x s8 products into a saturating int16: with full-range weights a pair reaches
 * 2 x 255 x 127 = 64,770 > 32,767 and the result is clipped (Intel's intrinsics guide,
 * _mm256_maddubs_epi16). 7-bit weights ([-64, 64], "reduce range" in ONNX Runtime's own tool) keep
 * a pair within 2 x 255 x 64 = 32,640 (OpenVINO documents the same remedy: "Saturation (overflow)
 * Issue Workaround"). The other way out, uint8 weights, takes ONNX Runtime's u8 x u8 kernels,
 * which widen to 16 bits first: measured on AMD EPYC (AVX2, no VNNI) with onnxruntime-node 1.30,
 * MLPs 784-64-10 to 784-1024-1024-10 on 2,048 inputs, top-1 agreement with fp32 was 92-96 % full
 * range, 98.5-99.2 % 7-bit, 98.8-99.7 % uint8, but uint8 ran 1.2-1.3x slower at batch 64 while
 * 7-bit weights keep int8's kernels and speed: 7-bit is the choice (figures before balanced
 * rounding, core/quantization.ts). A CPU whose support is unknown, or an Arm CPU without the
 * dot-product extension, is treated as lacking it: 7-bit weights cost it a little precision,
 * saturation would cost far more.
 */
import { readFileSync } from 'node:fs';
import type { TacticOptions } from './tactic';

/** What the CPU offers for int8 dot products, with the evidence. */
export interface Int8DotProduct {
  /** An int8 dot-product instruction accumulating in 32 bits was found. */
  present: boolean;
  /** The flag that showed it, or why none was found. */
  evidence: string;
}

const X86_FLAGS = ['avx512_vnni', 'avx_vnni', 'amx_int8'];
/** Linux names the Arm dot-product extension `asimddp`; other tools call it `dotprod`. */
const ARM_FLAGS = ['asimddp', 'dotprod'];

/**
 * From the text of /proc/cpuinfo (Linux): a flag counts only when every processor lists it, so a
 * hybrid CPU is judged by its weakest cores. `undefined` text: not readable, treated as absent.
 */
export function int8DotProductOf(cpuinfo: string | undefined, arch: string): Int8DotProduct {
  const wanted =
    arch === 'x64' || arch === 'ia32' ? X86_FLAGS : arch.startsWith('arm') ? ARM_FLAGS : [];
  if (wanted.length === 0) {
    return { present: false, evidence: `unknown for a ${arch} CPU, treated as absent` };
  }
  if (cpuinfo === undefined) {
    return { present: false, evidence: 'unknown (no /proc/cpuinfo to read), treated as absent' };
  }
  const lines = cpuinfo
    .split('\n')
    .filter(l => /^(flags|features)\s*:/i.test(l))
    .map(
      l =>
        new Set(
          l
            .slice(l.indexOf(':') + 1)
            .trim()
            .split(/\s+/)
        )
    );
  if (lines.length === 0) {
    return {
      present: false,
      evidence: 'unknown (no CPU flags in /proc/cpuinfo), treated as absent'
    };
  }
  const found = wanted.find(flag => lines.every(flags => flags.has(flag)));
  return found
    ? { present: true, evidence: `CPU flag ${found}` }
    : {
        present: false,
        evidence: `none of ${wanted.join(', ')} among the CPU flags`
      };
}

let detected: Int8DotProduct | undefined;

/** This machine's, read once. */
export function detectInt8DotProduct(): Int8DotProduct {
  if (!detected) {
    let cpuinfo: string | undefined;
    if (process.platform === 'linux') {
      try {
        cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
      } catch {
        cpuinfo = undefined;
      }
    }
    detected = int8DotProductOf(cpuinfo, process.arch);
  }
  return detected;
}

/** The weight range an int8 tactic uses, and the sentence its report carries about it. */
export interface WeightRangeChoice {
  reduceRange: boolean;
  note: string;
}

const FULL = 'int8 weights, full range ([-127, 127])';
const REDUCED = 'int8 weights with reduce-range (7-bit, [-64, 64])';
const SATURATE =
  "ONNX Runtime's u8 x s8 kernels add pairs of products in 16 bits, which full-range weights overflow";

/**
 * `options.reduceRange` when given; otherwise reduce range exactly where the CPU (detected, or
 * `options.int8DotProduct` when injected) has no int8 dot-product instruction. The choice is made
 * for the CPU the tactic runs on: a model meant for another CPU should force it.
 */
export function chooseWeightRange(options: TacticOptions, tactic: string): WeightRangeChoice {
  const cpu = options.int8DotProduct ?? detectInt8DotProduct();
  const force = (word: string) => `(force with ${tactic}:${word})`;
  if (options.reduceRange === true) {
    return {
      reduceRange: true,
      note: `${REDUCED}, as asked; this CPU's int8 dot product: ${cpu.present ? 'present' : 'absent'} (${cpu.evidence})`
    };
  }
  if (options.reduceRange === false) {
    return {
      reduceRange: false,
      note: cpu.present
        ? `${FULL}, as asked; this CPU has an int8 dot product (${cpu.evidence})`
        : `${FULL}, as asked, although this CPU has no int8 dot product (${cpu.evidence}): here ${SATURATE}, so expect large errors`
    };
  }
  return cpu.present
    ? {
        reduceRange: false,
        note: `${FULL}: this CPU has an int8 dot product that accumulates in 32 bits (${cpu.evidence}); on a CPU without VNNI ${SATURATE} ${force('reduce-range')}`
      }
    : {
        reduceRange: true,
        note: `${REDUCED}: this CPU has no int8 dot product (VNNI, AVX-VNNI, AMX-INT8 or Arm dot product: ${cpu.evidence}), and without one ${SATURATE} ${force('full-range')}`
      };
}
