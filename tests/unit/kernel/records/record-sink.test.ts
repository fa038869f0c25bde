// The sink writes real files in temporary folders; failures are real ones too: a folder where a
// file should be (cannot be opened) and /dev/full (opens, then every write fails with ENOSPC).
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  existsSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectCloudProvider } from '../../../../kernel/meters/cloud';
import { emissionsCsvCells, parseCsv } from '../../../../kernel/records/emissions-csv';
import { readMeasurementLog } from '../../../../kernel/records/emissions-log';
import {
  EMISSIONS_CSV,
  EMISSIONS_JSONL,
  EmissionsFileSink
} from '../../../../kernel/records/record-sink';
import { sampleRecord } from '../../fixtures/sample-record';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gaissa-sink-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach(d => rmSync(d, { recursive: true, force: true })));

function csvRecords(dir: string): number {
  const path = join(dir, EMISSIONS_CSV);
  return existsSync(path) ? parseCsv(readFileSync(path, 'utf8')).length - 1 : 0;
}

describe('EmissionsFileSink', () => {
  it('writes a record to both files', () => {
    const dir = tempDir();
    const warnings: string[] = [];
    const result = new EmissionsFileSink(dir, { warn: w => warnings.push(w) }).write(
      sampleRecord('m-1')
    );
    expect(result).toEqual({
      ok: true,
      paths: [join(dir, EMISSIONS_CSV), join(dir, EMISSIONS_JSONL)]
    });
    expect(csvRecords(dir)).toBe(1);
    expect(readMeasurementLog(join(dir, EMISSIONS_JSONL)).records.map(r => r.id)).toEqual(['m-1']);
    expect(warnings).toEqual([]);
  });

  // Issue #15: when the CSV could not be written the JSONL still got the record and the warning
  // named the wrong file.
  it('writes neither file when the CSV cannot be opened, and warns naming the CSV', () => {
    const dir = tempDir();
    mkdirSync(join(dir, EMISSIONS_CSV)); // a folder where the CSV should be
    const warnings: string[] = [];
    const result = new EmissionsFileSink(dir, { warn: w => warnings.push(w) }).write(
      sampleRecord('m-2')
    );
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.file).toBe(join(dir, EMISSIONS_CSV));
    expect(existsSync(join(dir, EMISSIONS_JSONL))).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`cannot write ${join(dir, EMISSIONS_CSV)}`);
    expect(warnings[0]).toMatch(/^warning: measurement m-2 not logged/);
    expect(warnings[0]).not.toContain(EMISSIONS_JSONL);
    // The reason names the error code once ("EISDIR: EISDIR: ..." before).
    expect(result.ok === false && result.reason).toBe('EISDIR: illegal operation on a directory');
  });

  it('takes the CSV line back when the JSONL write fails, and warns naming the JSONL', () => {
    const dir = tempDir();
    const sink = new EmissionsFileSink(dir, { warn: () => {} });
    expect(sink.write(sampleRecord('m-3')).ok).toBe(true);
    const csvBefore = readFileSync(join(dir, EMISSIONS_CSV), 'utf8');
    // Every write to /dev/full fails with ENOSPC; opening it works.
    rmSync(join(dir, EMISSIONS_JSONL));
    symlinkSync('/dev/full', join(dir, EMISSIONS_JSONL));
    const warnings: string[] = [];
    const result = new EmissionsFileSink(dir, { warn: w => warnings.push(w) }).write(
      sampleRecord('m-4')
    );
    expect(result).toMatchObject({ ok: false, file: join(dir, EMISSIONS_JSONL), written: [] });
    expect(result.ok === false && result.reason).toMatch(/ENOSPC/);
    // Neither file holds m-4: the CSV is exactly as before.
    expect(readFileSync(join(dir, EMISSIONS_CSV), 'utf8')).toBe(csvBefore);
    expect(warnings[0]).toContain(`cannot write ${join(dir, EMISSIONS_JSONL)}`);
  });

  it('warns on stderr by default, not on stdout', () => {
    const dir = tempDir();
    mkdirSync(join(dir, EMISSIONS_JSONL));
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = jest.spyOn(process.stdout, 'write');
    try {
      new EmissionsFileSink(dir).write(sampleRecord('m-5'));
      expect(stderr).toHaveBeenCalledWith(expect.stringContaining(EMISSIONS_JSONL));
      expect(stdout).not.toHaveBeenCalled();
      expect(csvRecords(dir)).toBe(0);
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
  });
});

describe('provenance columns', () => {
  it('carries provenance and coverage next to the CodeCarbon columns', () => {
    const cells = emissionsCsvCells(sampleRecord('m-6'));
    expect(cells).toMatchObject({
      gaissa_provenance: 'estimated',
      gaissa_coverage: 0,
      gaissa_cpu_coverage: 0,
      gaissa_gpu_coverage: 1,
      gaissa_estimated: true
    });
    const record = sampleRecord('m-7');
    const counted = { method: 'rapl' as const, scope: 'machine' as const, coverage: 0.4 };
    const partly = {
      ...record,
      coverage: 0.4,
      provenance: 'partly-measured' as const,
      components: {
        ...record.components,
        cpu: { ...record.components.cpu, ...counted },
        ram: { ...record.components.ram, ...counted }
      }
    };
    expect(emissionsCsvCells(partly)).toMatchObject({
      gaissa_provenance: 'partly-measured',
      gaissa_coverage: 0.4
    });
    // A record from before coverage existed reads as its estimated flag says.
    const { coverage: _c, provenance: _p, ...old } = sampleRecord('m-8');
    // Its components had no coverage either: a counter's name meant all of it was counted.
    const oldCounted = (c: { energyJ: number }) => ({
      energyJ: c.energyJ,
      method: 'rapl',
      scope: 'machine'
    });
    const components = {
      cpu: oldCounted(old.components.cpu),
      gpu: old.components.gpu,
      ram: oldCounted(old.components.ram)
    };
    expect(
      emissionsCsvCells({ ...old, components, estimated: false, method: 'rapl' } as never)
    ).toMatchObject({
      gaissa_provenance: 'measured',
      gaissa_coverage: 1
    });
  });

  // Issue #15: on_cloud was always "N".
  it('says on_cloud Y with the provider the firmware names, and leaves it empty when unknown', () => {
    const record = sampleRecord('m-9');
    expect(
      emissionsCsvCells({ ...record, host: { ...record.host, cloudProvider: 'aws' } })
    ).toMatchObject({ on_cloud: 'Y', cloud_provider: 'aws' });
    expect(
      emissionsCsvCells({ ...record, host: { ...record.host, cloudProvider: null } })
    ).toMatchObject({ on_cloud: '', cloud_provider: '' });
  });

  // A fixture DMI folder stands in for /sys/class/dmi/id; the reader is the real one.
  it('recognises a provider from DMI strings', () => {
    const dmi = tempDir();
    writeFileSync(join(dmi, 'sys_vendor'), 'Amazon EC2\n');
    expect(detectCloudProvider(dmi)).toBe('aws');
    const gce = tempDir();
    writeFileSync(join(gce, 'product_name'), 'Google Compute Engine\n');
    expect(detectCloudProvider(gce)).toBe('gcp');
    const laptop = tempDir();
    writeFileSync(join(laptop, 'sys_vendor'), 'LENOVO\n');
    expect(detectCloudProvider(laptop)).toBeNull();
    expect(detectCloudProvider(join(laptop, 'missing'))).toBeNull();
  });
});

// Review P3-7: the CSV left the GPU's coverage empty where the JSONL said 1 (no GPU).
describe('the two files agree', () => {
  it('on every component’s coverage, a machine without a GPU included', () => {
    const dir = tempDir();
    const record = sampleRecord('m-9');
    expect(record.components.gpu.method).toBeNull();
    expect(new EmissionsFileSink(dir, { warn: () => {} }).write(record).ok).toBe(true);
    const [header, row] = parseCsv(readFileSync(join(dir, EMISSIONS_CSV), 'utf8'));
    const [logged] = readMeasurementLog(join(dir, EMISSIONS_JSONL)).records;
    for (const k of ['cpu', 'gpu', 'ram'] as const) {
      const cell = row[header.indexOf(`gaissa_${k}_coverage`)];
      expect(cell).not.toBe('');
      expect(Number(cell)).toBe(logged.components[k].coverage);
    }
    expect(Number(row[header.indexOf('gaissa_coverage')])).toBe(logged.coverage);
  });
});
