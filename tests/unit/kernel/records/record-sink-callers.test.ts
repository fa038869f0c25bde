/**
 * Every path that writes measurement records goes through the one sink (issue #15): a folder
 * that cannot take the CSV loses no measurement, writes neither file, and the warning names the
 * CSV on the warning stream. Real meters (estimator, real /proc), real files; the unwritable CSV
 * is a folder in its place.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure as measureCommand } from '../../../../kernel/cli/measure';
import { MeasureSession } from '../../../../kernel/measure/session';
import { EMISSIONS_CSV, EMISSIONS_JSONL } from '../../../../kernel/records/record-sink';

const dirs: string[] = [];
function blockedDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gaissa-callers-'));
  dirs.push(dir);
  mkdirSync(join(dir, EMISSIONS_CSV)); // the CSV cannot be written
  return dir;
}
afterAll(() => dirs.forEach(d => rmSync(d, { recursive: true, force: true })));

/** No GAISSA_* settings from the environment running the tests. */
const env: NodeJS.ProcessEnv = {};

test('a measurement in the kernel keeps its record, writes neither file and warns on stderr', async () => {
  const dir = blockedDir();
  const session = new MeasureSession(dir, env);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const measured = await session.measure(() => 1 + 1, { repeat: 1 });
    expect(measured.record.energyJ).toBeGreaterThanOrEqual(0);
    expect(measured.logged).toMatchObject({ ok: false, file: join(dir, EMISSIONS_CSV) });
    expect(existsSync(join(dir, EMISSIONS_JSONL))).toBe(false);
    expect(stderr).toHaveBeenCalledWith(
      expect.stringContaining(`cannot write ${join(dir, EMISSIONS_CSV)}`)
    );
    // A manual window (gaissa.meter().end) writes through the same sink and keeps its record.
    const window = await session.window();
    const reading = await window.end();
    expect(reading.durationS).toBeGreaterThanOrEqual(0);
  } finally {
    stderr.mockRestore();
    await session.close();
  }
});

// Issue #15: every CLI write error exits 2 with one line naming the file; the record is printed
// first, so the measurement is not lost.
test('gaissa measure prints the record, then one error line naming the CSV, and exits 2', async () => {
  const dir = blockedDir();
  const cwd = process.cwd();
  const out: string[] = [];
  const err: string[] = [];
  process.chdir(dir);
  try {
    const code = await measureCommand.run(['--json', '--', 'true'], {
      stdout: t => out.push(t),
      stderr: t => err.push(t),
      readStdin: async () => ''
    });
    expect(code).toBe(2);
    const record = JSON.parse(out.join(''));
    expect(record.provenance).toMatch(/^(measured|partly-measured|estimated)$/);
    expect(err).toEqual([
      `gaissa measure: cannot write ${join(dir, EMISSIONS_CSV)}: EISDIR: illegal operation on a directory (record ${record.id} not logged)\n`
    ]);
    expect(out.join('')).not.toContain('cannot write');
    expect(existsSync(join(dir, EMISSIONS_JSONL))).toBe(false);
  } finally {
    process.chdir(cwd);
  }
});
