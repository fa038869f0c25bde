import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cacheDir,
  calibratedThreads,
  calibrationPath,
  fitFor,
  loadCalibration,
  machineKey,
  MAX_MEASURED_POINTS,
  saveCalibration,
  type Calibration,
  type CalibrationPoint
} from '../../../../kernel/predict/calibration';

const CPUINFO = [
  'processor\t: 0\nflags\t\t: fpu sse avx avx2 fma f16c avx512f avx512_vnni\n',
  'processor\t: 1\nflags\t\t: fpu sse avx avx2 fma f16c\n'
].join('\n');

function point(threads: number, scale: number): CalibrationPoint {
  return {
    features: { call: 1, 'flops:matmul/float32': scale * 1e6 },
    energyJ: 1e-3 + scale * 1e-3,
    seconds: 1e-4 + scale * 1e-4,
    model: 'm',
    batch: scale,
    threads,
    source: 'calibrate',
    coverage: 0
  };
}

describe('machine key and cache', () => {
  it('keeps only the vector flags every processor has', () => {
    const key = machineKey(CPUINFO, 'estimate');
    expect(key.flags).toEqual(['avx', 'avx2', 'fma', 'f16c']);
    expect(key.meterMethod).toBe('estimate');
    expect(key.logicalCpus).toBeGreaterThan(0);
    expect(machineKey(undefined, 'rapl').flags).toEqual([]);
  });

  it('names one file per machine and meter', () => {
    const a = calibrationPath(machineKey(CPUINFO, 'estimate'), '/c');
    expect(a).toMatch(/^\/c\/calibration-[0-9a-f]{16}\.json$/);
    expect(calibrationPath(machineKey(CPUINFO, 'estimate'), '/c')).toBe(a);
    expect(calibrationPath(machineKey(CPUINFO, 'rapl'), '/c')).not.toBe(a);
    expect(calibrationPath(machineKey('flags : avx', 'estimate'), '/c')).not.toBe(a);
  });

  it('lives in GAISSA_CACHE_DIR, else XDG_CACHE_HOME/gaissa, else ~/.cache/gaissa', () => {
    expect(cacheDir({ GAISSA_CACHE_DIR: '/g', XDG_CACHE_HOME: '/x' })).toBe('/g');
    expect(cacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/gaissa');
    expect(cacheDir({})).toMatch(/\.cache\/gaissa$/);
  });

  it('saves and loads a calibration, refusing one made for another key or meter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gaissa-cal-'));
    const key = machineKey(CPUINFO, 'estimate');
    const path = calibrationPath(key, dir);
    const c: Calibration = {
      version: 1,
      key,
      createdAt: 't0',
      updatedAt: 't1',
      points: [1, 2, 3].map(s => point(1, s)).concat([point(2, 1)])
    };
    await saveCalibration(path, c);
    expect(loadCalibration(path, key)).toEqual(c);
    expect(loadCalibration(path, machineKey(CPUINFO, 'rapl'))).toBeUndefined();
    expect(loadCalibration(join(dir, 'absent.json'), key)).toBeUndefined();
    expect(calibratedThreads(c)).toEqual([1, 2]);
    expect(fitFor(c, 1)?.points).toBe(3);
    // One point is too few for a fit.
    expect(fitFor(c, 2)).toBeUndefined();
    // A hand-edited point with a non-finite or zero figure is dropped, not fitted.
    const edited = JSON.parse(readFileSync(path, 'utf8'));
    edited.points[0].energyJ = 0;
    edited.points[1].features.call = null;
    writeFileSync(path, JSON.stringify(edited));
    expect(loadCalibration(path, key)!.points).toHaveLength(2);
    writeFileSync(path, 'not json');
    expect(loadCalibration(path, key)).toBeUndefined();
  });

  it('drops a bad point, keeping the rest (the measured ones too)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gaissa-cal-'));
    const key = machineKey(CPUINFO, 'estimate');
    const path = calibrationPath(key, dir);
    const good = [point(1, 1), point(1, 2), measured(1, 3)];
    const file = {
      version: 1,
      key,
      createdAt: 't0',
      updatedAt: 't1',
      points: [null, ...good, 7, 'x', { ...point(1, 4), features: null }]
    };
    writeFileSync(path, JSON.stringify(file));
    expect(loadCalibration(path, key)?.points).toEqual(good);
  });

  it('keeps the newest measured points, and those another kernel saved meanwhile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gaissa-cal-'));
    const key = machineKey(CPUINFO, 'estimate');
    const path = calibrationPath(key, dir);
    const base = [1, 2, 3].map(s => point(1, s));
    const many = Array.from({ length: MAX_MEASURED_POINTS + 5 }, (_, i) => measured(1, i + 1));
    await saveCalibration(path, {
      version: 1,
      key,
      createdAt: 't',
      updatedAt: 't',
      points: [...base, ...many]
    });
    const loaded = loadCalibration(path, key)!;
    expect(loaded.points.slice(0, 3)).toEqual(base);
    expect(loaded.points.slice(3)).toEqual(many.slice(5));

    // Two kernels read the same file; each adds a point; the second write keeps the first's.
    const a = loadCalibration(path, key)!;
    const b = loadCalibration(path, key)!;
    const fromA = measured(1, 1000);
    const fromB = measured(1, 2000);
    a.points.push(fromA);
    await saveCalibration(path, a);
    b.points.push(fromB);
    await saveCalibration(path, b);
    const merged = loadCalibration(path, key)!.points;
    expect(merged).toContainEqual(fromA);
    expect(merged).toContainEqual(fromB);
    expect(merged.filter(p => p.source === 'measured')).toHaveLength(MAX_MEASURED_POINTS);
    expect(b.points).toEqual(merged);
  });
});

function measured(threads: number, scale: number): CalibrationPoint {
  return { ...point(threads, scale), model: 'mine', source: 'measured' };
}
