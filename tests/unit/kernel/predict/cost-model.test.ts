import {
  evaluate,
  featuresOf,
  fitCostModel,
  MIN_SPREAD,
  nnls,
  priceableFeatures,
  quantile,
  type FitPoint
} from '../../../../kernel/predict/cost-model';
import { mlpModel } from '../../../../kernel/onnx/synthetic-models';
import { graphWork } from '../../../../kernel/predict/onnx-work';

/** Points from known costs: 2 mJ per call, 1 nJ per matmul FLOP, 5 nJ per conv FLOP. */
function exactPoints(noise: (i: number) => number = () => 1): FitPoint[] {
  const points: FitPoint[] = [];
  let i = 0;
  for (const mm of [1e5, 1e6, 4e6])
    for (const conv of [0, 2e5, 1e6]) {
      const features = { call: 1, 'flops:matmul/float32': mm, 'flops:conv/float32': conv };
      const energyJ = (2e-3 + 1e-9 * mm + 5e-9 * conv) * noise(i);
      const seconds = (1e-4 + 1e-11 * mm + 3e-11 * conv) * noise(i++);
      points.push({ features, energyJ, seconds });
    }
  return points;
}

describe('nnls', () => {
  it('solves an exact non-negative system', () => {
    const x = nnls(
      [
        [1, 0],
        [0, 1],
        [1, 1]
      ],
      [2, 3, 5]
    );
    expect(x[0]).toBeCloseTo(2, 6);
    expect(x[1]).toBeCloseTo(3, 6);
  });

  it('never returns a negative cost', () => {
    // The unconstrained answer is x1 = -1: the constrained one clamps it to 0.
    const x = nnls(
      [
        [1, 1],
        [1, 2]
      ],
      [1, 0]
    );
    expect(x[1]).toBe(0);
    expect(x[0]).toBeCloseTo(0.5, 6);
  });
});

describe('fitCostModel', () => {
  it('recovers the costs of exact points, with the floor as its spread', () => {
    const fit = fitCostModel(exactPoints());
    expect(fit.energy['flops:matmul/float32']).toBeCloseTo(1e-9, 12);
    expect(fit.energy['flops:conv/float32']).toBeCloseTo(5e-9, 12);
    expect(fit.energy.call).toBeCloseTo(2e-3, 7);
    expect(fit.seconds['flops:conv/float32']).toBeCloseTo(3e-11, 14);
    expect(fit.energySpread).toBe(MIN_SPREAD);
    expect(fit.points).toBe(9);
    const f = { call: 1, 'flops:matmul/float32': 2e6, 'flops:conv/float32': 5e5 };
    expect(evaluate(fit.energy, f)).toBeCloseTo(2e-3 + 2e-3 + 2.5e-3, 7);
  });

  it('widens its spread with the noise of the points', () => {
    // +-30 % noise: the leave-one-out errors are of that order, well above the floor.
    const fit = fitCostModel(exactPoints(i => (i % 2 ? 1.3 : 0.7)));
    expect(fit.energySpread).toBeGreaterThan(0.25);
    expect(fit.energySpread).toBeLessThan(1.5);
  });

  it('needs three points', () => {
    expect(() => fitCostModel(exactPoints().slice(0, 2))).toThrow(/at least 3 points/);
  });
});

describe('featuresOf and priceableFeatures', () => {
  it('turns a graph into per-class FLOP features, a call, its nodes and bytes', () => {
    const work = graphWork(mlpModel({ sizes: [4, 3] }), 2);
    expect(featuresOf(work)).toEqual({
      call: 1,
      nodes: 2,
      bytes: work.bytes,
      'flops:matmul/float32': 2 * 2 * 4 * 3,
      'flops:elementwise/float32': 6
    });
  });

  it('prices work the calibration never measured as its nearest class, and says so', () => {
    const fit = { energy: { call: 1, 'flops:matmul/float32': 1, 'flops:elementwise/float32': 1 } };
    const { features, substitutions } = priceableFeatures(
      { call: 1, 'flops:gemm/float32': 10, 'flops:quantize/uint8': 5, 'flops:cast/float16': 2 },
      fit
    );
    expect(features).toEqual({
      call: 1,
      'flops:matmul/float32': 15,
      'flops:elementwise/float32': 2
    });
    expect(substitutions).toEqual([
      'gemm/float32 not calibrated: priced as matmul/float32',
      'quantize/uint8 not calibrated: priced as matmul/float32',
      'cast/float16 not calibrated: priced as elementwise/float32'
    ]);
  });

  it('interpolates quantiles', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6, 9);
  });
});
