/**
 * The profile's attribution on a fixture: a V8 profile and the power the meters sampled give
 * exact energies per sample, line and function, which add up to the window's energy.
 */
import { MIN_PROFILE_SAMPLES, sampleEnergies } from '../../../core/profile';
import { build, profile, window } from './fixtures/profile';

const close = (x: number) => expect.closeTo(x, 12);

test('each sample gets the power of its instant times its interval', () => {
  const e = sampleEnergies(profile, window);
  expect(e).toEqual([...Array(6).fill(close(0.01)), ...Array(6).fill(close(0.03))]);
});

test('the samples hold the window energy even where the meters add up to less', () => {
  const e = sampleEnergies(profile, { ...window, energyJ: 0.48 });
  expect(e.reduce((a, b) => a + b, 0)).toBeCloseTo(0.48, 12);
  expect(e[0]).toBeCloseTo(0.02, 12);
  expect(e[11]).toBeCloseTo(0.06, 12);
});

test('without power intervals, energy follows time', () => {
  const e = sampleEnergies(profile, { ...window, intervals: [] });
  expect(e).toEqual(Array(12).fill(close(0.02)));
});

test('lines get exact energies, split by V8 ticks, and with the rest add up to the total', () => {
  const r = build();
  expect(r.status).toBe('ok');
  expect(r.lines.map(l => [l.cell, l.line, l.text, l.samples])).toEqual([
    [4, 2, '  while (n--) spin();', 4],
    [5, 3, 'hot(9);', 3],
    [5, 2, 'for (;;) a++;', 2]
  ]);
  // cell [5]'s top level: samples 0-3 (4 x 0.01) and 11 (0.03) = 0.07 J, ticks 2 : 3.
  expect(r.lines.map(l => l.energyJ)).toEqual([close(0.08), close(0.042), close(0.028)]);
  expect(r.lines.map(l => l.share)).toEqual([
    close(0.08 / 0.24),
    close(0.042 / 0.24),
    close(0.028 / 0.24)
  ]);
  expect(r.other).toEqual([
    {
      label: 'library and built-in code called from cell [5]',
      energyJ: close(0.06),
      share: close(0.25),
      samples: 2
    },
    { label: 'garbage collection', energyJ: close(0.03), share: close(0.125), samples: 1 }
  ]);
  const sum = [...r.lines, ...r.other].reduce((a, x) => a + x.energyJ, 0);
  expect(sum).toBeCloseTo(r.totalEnergyJ, 12);
  expect(r.totalEnergyJ).toBe(0.24);
});

test('functions carry their own cell; totals count a function once per sample', () => {
  const r = build();
  expect(r.functions).toEqual([
    { name: 'cell [5]', cell: 5, line: null, selfEnergyJ: close(0.07), totalEnergyJ: close(0.21) },
    { name: 'hot', cell: 4, line: 1, selfEnergyJ: close(0.08), totalEnergyJ: close(0.08) },
    {
      name: 'stringify index.js',
      cell: null,
      line: null,
      selfEnergyJ: close(0.06),
      totalEnergyJ: close(0.06)
    }
  ]);
  expect(r.flame).toEqual([
    {
      name: 'cell [5]',
      cell: 5,
      line: null,
      energyJ: close(0.21),
      children: [
        { name: 'hot', cell: 4, line: 1, energyJ: close(0.08), children: [] },
        { name: 'stringify index.js', cell: null, line: null, energyJ: close(0.06), children: [] }
      ]
    }
  ]);
  expect(r.cells).toEqual([
    { cell: 4, code: ['function hot(n) {', '  while (n--) spin();', '}'] },
    { cell: 5, code: ['let a = 0;', 'for (;;) a++;', 'hot(9);'] }
  ]);
});

test('method and coverage are the measurement’s: an estimate stays estimated', () => {
  expect(build().provenance).toBe('measured');
  const estimated = build(profile, { ...window, method: 'estimate', coverage: 0 });
  expect([estimated.method, estimated.provenance]).toEqual(['estimate', 'estimated']);
  expect(build(profile, { ...window, coverage: 0.5 }).provenance).toBe('partly-measured');
});

test('a cell shorter than a few samples is too short to attribute: no lines, no functions', () => {
  const n = MIN_PROFILE_SAMPLES - 1;
  const short = build(
    {
      ...profile,
      samples: Array(n).fill(2),
      timeDeltas: Array(n).fill(100)
    },
    { ...window, durationS: 0.0009, energyJ: 0.01 }
  );
  expect(short.status).toBe('too-short');
  expect(short.reason).toMatch(/too short to attribute/);
  expect(short.reason).toContain(`${n} profiler samples`);
  expect([short.lines, short.functions, short.flame, short.other]).toEqual([[], [], [], []]);
  // The window's measured energy is still what it is: a measurement, not an attribution.
  expect(short.totalEnergyJ).toBe(0.01);
});

test('samples of the kernel around the cell (compiling it) do not make a short cell long enough', () => {
  // Eleven samples, but only two of them in cell code: the rest are the kernel's (GC here).
  const record = build({
    ...profile,
    samples: [4, 4, 4, 4, 4, 4, 4, 4, 4, 2, 3],
    timeDeltas: Array(11).fill(1000)
  });
  expect(record.status).toBe('too-short');
  expect(record.reason).toContain("the cell's code ran for 2 profiler samples at 1000 µs (of 11");
  expect(record.lines).toEqual([]);
});
