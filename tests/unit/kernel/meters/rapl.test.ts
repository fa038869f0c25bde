// RAPL is read from fixture powercap trees in temporary folders: these VMs expose no
// /sys/class/powercap. The reader is the real one; only its root differs.
import * as fs from 'node:fs';
import { join } from 'node:path';
import {
  counterDeltaUj,
  discoverRapl,
  raplEnergyBetween,
  readRaplCounters,
  type SysfsReader
} from '../../../../kernel/meters/rapl';
import { makePowercapTree, removeTree, setEnergy } from './fixtures/powercap-tree';

const roots: string[] = [];
function tree(...args: Parameters<typeof makePowercapTree>): string {
  const root = makePowercapTree(...args);
  roots.push(root);
  return root;
}
afterAll(() => roots.forEach(removeTree));

/** Real fs, except that reads of paths matching `pattern` fail with `code` (EACCES as non-root). */
function failingFs(pattern: RegExp, code: string): SysfsReader {
  return {
    readdirSync: path => fs.readdirSync(path),
    readFileSync: (path, encoding) => {
      if (pattern.test(path)) {
        throw Object.assign(new Error(`${code}: ${path}`), { code });
      }
      return fs.readFileSync(path, encoding);
    }
  };
}

describe('discoverRapl', () => {
  it('finds zones by name and counts package + dram, never core/uncore', () => {
    const root = tree([
      { id: 'intel-rapl:0', name: 'package-0', energyUj: 1000 },
      { id: 'intel-rapl:0:0', name: 'core', energyUj: 500 },
      { id: 'intel-rapl:0:1', name: 'uncore', energyUj: 100 },
      { id: 'intel-rapl:0:2', name: 'dram', energyUj: 300 }
    ]);
    const probe = discoverRapl(root);
    expect(probe.available).toBe(true);
    expect(probe.zones.map(z => `${z.id}=${z.kind}`)).toEqual([
      'intel-rapl:0=package',
      'intel-rapl:0:0=core',
      'intel-rapl:0:1=uncore',
      'intel-rapl:0:2=dram'
    ]);
    expect(probe.counted.map(z => z.name)).toEqual(['package-0', 'dram']);
    expect(probe.hasDram).toBe(true);
    expect(probe.zones.every(z => z.socket === 0)).toBe(true);
  });

  it('does not rely on indices: the dram zone may sit at any subzone number', () => {
    const root = tree([
      { id: 'intel-rapl:0', name: 'package-0' },
      { id: 'intel-rapl:0:0', name: 'dram' },
      { id: 'intel-rapl:0:1', name: 'core' }
    ]);
    const probe = discoverRapl(root);
    expect(probe.counted.map(z => z.id)).toEqual(['intel-rapl:0', 'intel-rapl:0:0']);
  });

  it('handles several sockets and ignores psys and the MMIO duplicate of the package', () => {
    const root = tree(
      [
        { id: 'intel-rapl:0', name: 'package-0' },
        { id: 'intel-rapl:0:0', name: 'core' },
        { id: 'intel-rapl:0:1', name: 'dram' },
        { id: 'intel-rapl:1', name: 'package-1' },
        { id: 'intel-rapl:1:0', name: 'core' },
        { id: 'intel-rapl:1:1', name: 'dram' },
        { id: 'intel-rapl:2', name: 'psys' }
      ],
      ['intel-rapl-mmio:0']
    );
    fs.writeFileSync(join(root, 'intel-rapl-mmio:0', 'name'), 'package-0\n');
    const probe = discoverRapl(root);
    expect(probe.available).toBe(true);
    expect(probe.counted.map(z => `${z.name}@${z.socket}`)).toEqual([
      'package-0@0',
      'dram@0',
      'package-1@1',
      'dram@1'
    ]);
    expect(probe.zones.find(z => z.name === 'psys')?.counted).toBe(false);
  });

  it('explains an absent powercap folder', () => {
    const probe = discoverRapl('/nonexistent/powercap');
    expect(probe.available).toBe(false);
    expect(probe.reason).toMatch(/no powercap interface at \/nonexistent\/powercap/);
  });

  it('explains a powercap folder without RAPL zones', () => {
    const root = tree([]);
    expect(discoverRapl(root).reason).toMatch(/no intel-rapl zones/);
  });

  it('reports permission denied on energy_uj (root-only since Linux 5.10)', () => {
    // Tests run as root, where chmod 000 does not stop reads: an injected fs fails with EACCES.
    const root = tree([{ id: 'intel-rapl:0', name: 'package-0', energyUj: 5 }]);
    const probe = discoverRapl(root, failingFs(/energy_uj$/, 'EACCES'));
    expect(probe.available).toBe(false);
    expect(probe.reason).toMatch(/permission denied .*energy_uj.*Linux 5\.10/);
    expect(probe.zones).toHaveLength(1);
  });

  it('reports an unreadable energy_uj (a directory in its place)', () => {
    const root = tree([{ id: 'intel-rapl:0', name: 'package-0', energyIsDirectory: true }]);
    const probe = discoverRapl(root);
    expect(probe.available).toBe(false);
    expect(probe.reason).toMatch(/cannot read .*energy_uj: EISDIR/);
  });

  it('needs a package zone', () => {
    const root = tree([{ id: 'intel-rapl:0', name: 'psys' }]);
    expect(discoverRapl(root).reason).toMatch(/no RAPL package zone/);
  });
});

describe('RAPL energy between readings', () => {
  it('corrects a wrap at max_energy_range_uj', () => {
    expect(counterDeltaUj(100, 250, 1000)).toBe(150);
    expect(counterDeltaUj(900, 50, 1000)).toBe(150);
    // A wrap with an unknown range: the step's joules are unknown, not 0.
    expect(counterDeltaUj(900, 50, NaN)).toBeNull();
  });

  it('sums packages and dram over sockets, with a wrap on one of them', () => {
    const root = tree([
      { id: 'intel-rapl:0', name: 'package-0', energyUj: 1_000_000, maxEnergyRangeUj: 10_000_000 },
      { id: 'intel-rapl:0:0', name: 'core', energyUj: 0 },
      { id: 'intel-rapl:0:1', name: 'dram', energyUj: 0, maxEnergyRangeUj: 10_000_000 },
      { id: 'intel-rapl:1', name: 'package-1', energyUj: 9_500_000, maxEnergyRangeUj: 10_000_000 },
      { id: 'intel-rapl:1:0', name: 'dram', energyUj: 0, maxEnergyRangeUj: 10_000_000 }
    ]);
    const probe = discoverRapl(root);
    const before = readRaplCounters(probe.counted);
    setEnergy(root, 'intel-rapl:0', 3_000_000); // +2 J
    setEnergy(root, 'intel-rapl:0:0', 1_500_000); // core: inside package, not added
    setEnergy(root, 'intel-rapl:0:1', 250_000); // +0.25 J
    setEnergy(root, 'intel-rapl:1', 500_000); // wrapped: +1 J
    setEnergy(root, 'intel-rapl:1:0', 750_000); // +0.75 J
    const after = readRaplCounters(probe.counted);
    const { packageJ, dramJ } = raplEnergyBetween(probe.counted, before, after);
    expect(packageJ).toBeCloseTo(3, 9);
    expect(dramJ).toBeCloseTo(1, 9);
  });
});
