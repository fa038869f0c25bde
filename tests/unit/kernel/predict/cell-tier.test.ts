// The cell predictor: tiers and boundaries, estimates, learning from measured cells, persistence.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellFeatures } from '../../../../kernel/predict/cell-features';
import {
  CellPredictor,
  estimateJ,
  forecastText,
  learnCosts,
  loadCosts,
  PRIOR_COSTS
} from '../../../../kernel/predict/cell-tier';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gaissa-cell-tier-'));
  path = join(dir, 'cell-costs.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const LOOP = (n: number) => `let s = 0;\nfor (let i = 0; i < ${n}; i++) s += i;`;

describe('learning', () => {
  test('one cell moves the dominant cost most of the way to what it measured', () => {
    const f = cellFeatures(LOOP(1e7));
    const before = estimateJ(PRIOR_COSTS, f);
    const measured = before * 10;
    const after = estimateJ(learnCosts(PRIOR_COSTS, f, measured), f);
    // A step of 0.7 in log space: 10^0.7 ≈ 5 times the old estimate.
    expect(after / before).toBeGreaterThan(4);
    expect(after / before).toBeLessThan(6);
    const costs = learnCosts(PRIOR_COSTS, f, measured);
    expect(costs.ops / PRIOR_COSTS.ops).toBeGreaterThan(4);
    // The per-element cost had no share in this cell: unchanged.
    expect(costs.elements).toBe(PRIOR_COSTS.elements);
  });

  test('repeated cells converge; a cell with no work of its own changes nothing', () => {
    const f = cellFeatures(LOOP(1e6));
    let costs = { ...PRIOR_COSTS };
    for (let i = 0; i < 6; i++) costs = learnCosts(costs, f, 2);
    expect(estimateJ(costs, f)).toBeCloseTo(2, 1);
    expect(learnCosts(costs, f, 0)).toEqual(costs);
    expect(learnCosts(costs, f, NaN)).toEqual(costs);
  });

  test('the predictor learns from each measured cell and keeps the costs per machine and meter', async () => {
    const p = new CellPredictor({ path });
    const first = p.predict(LOOP(1e7)).prediction.estimateJ!;
    await p.learn(LOOP(1e7), 20, 'rapl');
    const second = p.predict(LOOP(1e7)).prediction.estimateJ!;
    expect(Math.abs(Math.log(second / 20))).toBeLessThan(Math.abs(Math.log(first / 20)));
    const saved = loadCosts(path);
    expect(saved.lastMeter).toBe('rapl');
    expect(saved.byMeter.rapl.cells).toBe(1);
    // A new session on this machine starts from what was learned.
    expect(new CellPredictor({ path }).predict(LOOP(1e7)).prediction.estimateJ).toBeCloseTo(second);
    expect(new CellPredictor({ path }).predict(LOOP(1e7)).prediction.basis).toMatch(
      /learned from 1 measured cell\(s\) on this machine \(rapl meter\)/
    );
  });

  test('a broken costs file reads as nothing learned', () => {
    writeFileSync(path, '{"version":1,"machine":{}}');
    expect(loadCosts(path).byMeter).toEqual({});
    writeFileSync(path, 'not json');
    expect(new CellPredictor({ path }).learned().costs).toEqual(PRIOR_COSTS);
  });

  test('a function measured in one cell prices its calls in the next', async () => {
    const p = new CellPredictor({ path: null });
    expect(p.predict('train();').prediction.reason).toMatch(
      /calls train\(\), which no measured cell ran/
    );
    await p.learn('train();', 12, 'estimate');
    expect(p.functionEnergyJ.get('train')).toBeGreaterThan(11.9);
    const next = p.predict('train();\ntrain();\ntrain();').prediction;
    expect(next.estimateJ).toBeGreaterThan(35);
    expect(next.tier).toBe('High');
    expect(next.basis).toMatch(/train\(\) measured earlier, 3 call\(s\)/);
  });

  test('a cell of calls priced by a measured function teaches that function, not the costs', async () => {
    const p = new CellPredictor({ path: null });
    await p.learn('train();', 10, 'estimate');
    await p.learn('train();\ntrain();', 30, 'estimate');
    expect(p.learned('estimate').cells).toBe(0);
    expect(p.learned('estimate').costs.base).toBe(PRIOR_COSTS.base);
    // The second cell re-measured it: 15 J per call, less the cell's own small overhead.
    expect(p.functionEnergyJ.get('train')).toBeGreaterThan(14.9);
    expect(p.functionEnergyJ.get('train')).toBeLessThan(15);
  });

  test('functions declared in a measured cell are known to later cells', async () => {
    const p = new CellPredictor({ path: null });
    await p.learn('function work() { for (let i = 0; i < 1e6; i++) s++; }', 0.001, 'estimate');
    const f = p.predict('work();').features;
    expect(f.ops).toBeGreaterThan(1e6);
  });

  test('a cell with unknown calls and no learned function does not teach the costs', async () => {
    const p = new CellPredictor({ path });
    await p.learn(`${LOOP(1e6)}\nmystery(); other();`, 50, 'rapl');
    expect(p.learned('rapl').cells).toBe(0);
  });
});

describe('predictions', () => {
  test('the tier follows the estimate and the boundaries are stated', () => {
    const p = new CellPredictor({ path: null });
    const low = p.predict('const x = 1 + 2;').prediction;
    expect(low).toMatchObject({
      method: 'predicted',
      tier: 'Low',
      boundaries: { mediumFromJ: 1, highFromJ: 30 },
      reason: null
    });
    // 1e10 loop operations at the starting 1e-8 J each: ~100+ J.
    expect(p.predict(LOOP(5e9)).prediction.tier).toBe('High');
    expect(forecastText(low)).toMatch(
      /^Predicted \(not measured\): Low, about .*Low < 1 J ≤ Medium < 30 J ≤ High/
    );
  });

  test('a loop it cannot size gets no prediction, with why', () => {
    const p = new CellPredictor({ path: null }).predict(
      'while (true) { if (Math.random() < 1e-6) break; }'
    ).prediction;
    expect(p.tier).toBeNull();
    expect(p.estimateJ).toBeNull();
    expect(p.reason).toMatch(/cannot size a while loop at line 1/);
    expect(forecastText(p)).toMatch(/no prediction: cannot size/);
  });

  test('the saved file is JSON with the costs', async () => {
    const p = new CellPredictor({ path });
    await p.learn(LOOP(1e6), 1, 'estimate');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    expect(Object.keys(file.byMeter.estimate.costs).sort()).toEqual([
      'base',
      'elements',
      'modelRuns',
      'ops',
      'trainEpochs',
      'waitS'
    ]);
  });
});
