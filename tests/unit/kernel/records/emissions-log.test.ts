// Appends are tested across real processes: two writers at once, and a writer killed with
// SIGKILL in the middle of its loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendLine } from '../../../../kernel/records/append-line';
import {
  CODECARBON_COLUMNS,
  EMISSIONS_CSV_COLUMNS
} from '../../../../kernel/records/codecarbon-columns';
import {
  codecarbonTimestamp,
  emissionsCsvCells,
  EMISSIONS_CSV_HEADER,
  parseCsv
} from '../../../../kernel/records/emissions-csv';
import {
  appendMeasurement,
  EMISSIONS_CSV,
  EMISSIONS_JSONL,
  readMeasurementLog
} from '../../../../kernel/records/emissions-log';
import { sampleRecord } from '../../fixtures/sample-record';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gaissa-records-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach(d => rmSync(d, { recursive: true, force: true })));

const WRITER = join(__dirname, 'fixtures', 'append-writer.js');

function startWriter(dir: string, id: string, count: number): ChildProcess {
  return spawn(process.execPath, [WRITER, dir, id, String(count)], {
    stdio: ['ignore', 'pipe', 'inherit']
  });
}

async function allReady(dir: string, ids: string[]): Promise<void> {
  while (!ids.every(id => existsSync(join(dir, `ready-${id}`)))) {
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise(resolve => child.on('exit', code => resolve(code)));
}

function csvRows(dir: string): string[][] {
  return parseCsv(readFileSync(join(dir, EMISSIONS_CSV), 'utf8'));
}

describe('CSV columns', () => {
  it("start with CodeCarbon 3.x's emissions.csv columns in their order", () => {
    expect(EMISSIONS_CSV_COLUMNS.slice(0, 7)).toEqual([
      'timestamp',
      'project_name',
      'run_id',
      'experiment_id',
      'duration',
      'emissions',
      'emissions_rate'
    ]);
    expect(CODECARBON_COLUMNS).toHaveLength(38);
    expect(CODECARBON_COLUMNS[CODECARBON_COLUMNS.length - 1]).toBe('wue');
    expect(EMISSIONS_CSV_COLUMNS.slice(38).every(c => c.startsWith('gaissa_'))).toBe(true);
    expect(new Set(EMISSIONS_CSV_COLUMNS).size).toBe(EMISSIONS_CSV_COLUMNS.length);
  });

  it("uses CodeCarbon's units: s, kg CO2eq, kWh and W including PUE", () => {
    const record = sampleRecord('r1');
    const cells = emissionsCsvCells(record);
    // Two runs of 2 s at 10 + 0.5 J and 12 + 0.5 J, PUE 1.5.
    expect(cells.duration).toBeCloseTo(4, 12);
    expect(cells.energy_consumed).toBeCloseTo((23 * 1.5) / 3.6e6, 15);
    expect(cells.cpu_energy).toBeCloseTo((22 * 1.5) / 3.6e6, 15);
    expect(cells.cpu_power).toBeCloseTo((22 / 4) * 1.5, 12);
    expect(cells.emissions).toBeCloseTo(record.total.co2eG / 1000, 15);
    expect(cells.emissions_rate).toBeCloseTo(record.total.co2eG / 1000 / 4, 15);
    expect(cells.country_iso_code).toBe('FRA');
    expect(cells.country_name).toBe('France');
    expect(cells.tracking_mode).toBe('process');
    expect(cells.gaissa_method).toBe('estimate');
    expect(cells.gaissa_energy_j_mean).toBeCloseTo(11.5, 12);
    expect(cells.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(codecarbonTimestamp(new Date(2025, 0, 2, 3, 4, 5))).toBe('2025-01-02T03:04:05');
  });

  it('quotes fields with commas and quotes so the row parses back', () => {
    const dir = tempDir();
    appendMeasurement(dir, sampleRecord('r1'));
    const rows = csvRows(dir);
    expect(rows[0]).toEqual([...EMISSIONS_CSV_COLUMNS]);
    const row = Object.fromEntries(rows[0].map((c, i) => [c, rows[1][i]]));
    expect(row.gaissa_label).toBe('cell 1, "fast"');
    expect(row.cpu_model).toBe('Test CPU, "quoted"');
    expect(Number(row.pue)).toBe(1.5);
  });
});

describe('appendLine', () => {
  it('writes the header once and starts a fresh line after a torn tail', () => {
    const dir = tempDir();
    const path = join(dir, 'log.csv');
    appendLine(path, 'a,1', { header: 'h1,h2\n' });
    appendLine(path, 'b,2\n', { header: 'h1,h2\n' });
    writeFileSync(path, readFileSync(path, 'utf8') + 'c,'); // a writer died mid-line
    appendLine(path, 'd,4', { header: 'h1,h2\n' });
    expect(readFileSync(path, 'utf8')).toBe('h1,h2\na,1\nb,2\nc,\nd,4\n');
  });

  it('sets aside a file whose header is different', () => {
    const dir = tempDir();
    const path = join(dir, 'old.csv');
    writeFileSync(path, 'x,y\n1,2\n');
    appendLine(path, 'a,1', { header: 'h1,h2\n' });
    expect(readFileSync(path, 'utf8')).toBe('h1,h2\na,1\n');
  });
});

describe('emission logs across processes', () => {
  it('keeps every line whole and the header single with two writers at once', async () => {
    const dir = tempDir();
    const perWriter = 60;
    const writers = [startWriter(dir, 'A', perWriter), startWriter(dir, 'B', perWriter)];
    await allReady(dir, ['A', 'B']);
    writeFileSync(join(dir, 'go'), '');
    expect(await Promise.all(writers.map(exited))).toEqual([0, 0]);

    const text = readFileSync(join(dir, EMISSIONS_CSV), 'utf8');
    expect(text.startsWith(EMISSIONS_CSV_HEADER)).toBe(true);
    const rows = parseCsv(text);
    expect(rows.filter(r => r[0] === 'timestamp')).toHaveLength(1);
    expect(rows).toHaveLength(1 + 2 * perWriter);
    expect(rows.every(r => r.length === EMISSIONS_CSV_COLUMNS.length)).toBe(true);

    const { records, skipped } = readMeasurementLog(join(dir, EMISSIONS_JSONL));
    expect(skipped).toBe(0);
    const ids = new Set(records.map(r => r.id));
    expect(ids.size).toBe(2 * perWriter);
    // The writers really did overlap: their records alternate somewhere in the file.
    const switches = records.filter((r, i) => i > 0 && r.id[0] !== records[i - 1].id[0]).length;
    expect(switches).toBeGreaterThan(1);
    expect(records.every(r => r.timeline.length === 200)).toBe(true);
  });

  it('leaves earlier records intact and the files parseable after a SIGKILL', async () => {
    const dir = tempDir();
    const writer = startWriter(dir, 'K', 0);
    writeFileSync(join(dir, 'go'), '');
    // Kill once the writer reports 30 records, in the middle of its append loop.
    await new Promise<void>(resolve => {
      writer.stdout!.on('data', (chunk: Buffer) => {
        if (
          chunk
            .toString()
            .split('\n')
            .some(n => Number(n) >= 30)
        )
          resolve();
      });
    });
    writer.kill('SIGKILL');
    await exited(writer);

    const jsonl = join(dir, EMISSIONS_JSONL);
    const before = readMeasurementLog(jsonl);
    expect(before.records.length).toBeGreaterThanOrEqual(30);
    // Only the very last line can be torn.
    expect(before.skipped).toBeLessThanOrEqual(1);
    const numbers = before.records.map(r => Number(r.id.split('-')[1]));
    expect(numbers).toEqual(numbers.map((_, i) => i));
    const rows = csvRows(dir);
    expect(rows[0]).toEqual([...EMISSIONS_CSV_COLUMNS]);
    const whole = rows.slice(1).filter(r => r.length === EMISSIONS_CSV_COLUMNS.length);
    expect(whole.length).toBeGreaterThanOrEqual(rows.length - 2);

    // The next writer (say, the restarted kernel) appends on a fresh line.
    appendMeasurement(dir, sampleRecord('after-kill'));
    const after = readMeasurementLog(jsonl);
    expect(after.records[after.records.length - 1].id).toBe('after-kill');
    expect(after.skipped).toBe(before.skipped);
    const lastRow = csvRows(dir).pop()!;
    expect(lastRow.length).toBe(EMISSIONS_CSV_COLUMNS.length);
    expect(lastRow[EMISSIONS_CSV_COLUMNS.indexOf('gaissa_id')]).toBe('after-kill');
  });
});
