/**
 * The CLI's outputs: written all or none, never over an input, errors as one line naming the
 * file (exit 2, no stack trace), and figures that overflow refused rather than printed as null.
 */
import { execFileSync } from 'node:child_process';
import * as fsPromises from 'node:fs/promises';
import {
  type PathLike,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync
} from 'node:fs';
import { join } from 'node:path';
import { finiteJson, nonFinitePath } from '../../../../kernel/cli/command';
import { OutputError, writeOutputs } from '../../../../kernel/label/write-outputs';
import { runGaissa as gaissa } from '../fixtures/run-cli';
import { estimatedRecord, measuredRecord } from '../../fixtures/label-measurements';
import { scratchDir } from '../fixtures/scratch-dir';

const scratch = scratchDir('gaissa-outputs-');
const write = scratch.write;

const request = {
  phase: 'inference',
  population: 'fixed',
  metrics: { latencyMs: 18, accuracy: 0.77 }
};

/** One line on stderr, no stack trace. */
function expectOneLine(stderr: string, ...parts: string[]): void {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  for (const part of parts) expect(stderr).toContain(part);
}

describe('gaissa label outputs', () => {
  test('--out naming a directory: exit 2, one line naming it, nothing written', async () => {
    const folder = join(scratch.dir, 'labels');
    mkdirSync(folder);
    const svg = join(scratch.dir, 'label.svg');
    const r = await gaissa([
      'label',
      '--json',
      write('in.json', request),
      '--out',
      folder,
      '--svg',
      svg
    ]);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, `cannot write ${folder}: it is a directory`);
    expect(readdirSync(scratch.dir).sort()).toEqual(['in.json', 'labels']);
    expect(r.stdout).toBe('');
  });

  test('--out or --svg equal to the --json input is refused; the input is untouched', async () => {
    const input = write('in.json', request);
    const before = readFileSync(input, 'utf8');
    for (const option of ['--out', '--svg']) {
      const r = await gaissa(['label', '--json', input, option, input]);
      expect(r.code).toBe(2);
      expectOneLine(r.stderr, `cannot write ${input}: it is the input`);
      expect(readFileSync(input, 'utf8')).toBe(before);
    }
    // The same file by another spelling, and the model file, are inputs too.
    const model = write('model.onnx', 'bytes');
    const other = await gaissa([
      'label',
      '--json',
      write('m.json', { ...request, model: { path: model } }),
      '--svg',
      join(scratch.dir, '.', 'sub', '..', 'model.onnx')
    ]);
    expect(other.code).toBe(2);
    expect(readFileSync(model, 'utf8')).toBe('bytes');
  });

  test('--svg that cannot be written: LABEL.json is not written either, no temporary left', async () => {
    const out = join(scratch.dir, 'LABEL.json');
    write('blocker', 'a file where a folder should be');
    const svg = join(scratch.dir, 'blocker', 'label.svg');
    const r = await gaissa([
      'label',
      '--json',
      write('in.json', request),
      '--out',
      out,
      '--svg',
      svg
    ]);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, `gaissa label: cannot write ${svg}:`);
    expect(readdirSync(scratch.dir).sort()).toEqual(['blocker', 'in.json']);
  });

  test('an existing LABEL.json keeps its content when a later rename fails', async () => {
    const out = write('LABEL.json', 'the earlier label');
    const svg = join(scratch.dir, 'label.svg');
    // Injected: a rename failing half-way is hard to provoke for real on a local disk.
    const fs = {
      open: fsPromises.open,
      rename: async (from: PathLike, to: PathLike) => {
        if (String(to) === svg) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
        return fsPromises.rename(from, to);
      }
    };
    const outputs = [
      { path: out, data: 'the new label' },
      { path: svg, data: '<svg/>' }
    ];
    await expect(writeOutputs(outputs, [], fs)).rejects.toThrow(`cannot write ${svg}: EIO`);
    expect(readFileSync(out, 'utf8')).toBe('the earlier label');
    expect(readdirSync(scratch.dir)).toEqual(['LABEL.json']);
    await writeOutputs(outputs);
    expect(readFileSync(out, 'utf8')).toBe('the new label');
    expect(readdirSync(scratch.dir).sort()).toEqual(['LABEL.json', 'label.svg']);
  });

  test('a folder the process may not write to: the error names the file, not a temporary', async () => {
    // Injected: the tests may run as root, for whom a read-only folder is still writable.
    const fs = {
      open: async () => {
        throw Object.assign(new Error("EACCES: permission denied, open '/x/.LABEL.json.1.tmp'"), {
          code: 'EACCES'
        });
      },
      rename: fsPromises.rename
    };
    const out = join(scratch.dir, 'LABEL.json');
    const error = await writeOutputs([{ path: out, data: '{}' }], [], fs).catch(e => e);
    expect(error).toBeInstanceOf(OutputError);
    expect(error.message).toBe(`cannot write ${out}: permission denied`);
    expect(readdirSync(scratch.dir)).toEqual([]);
  });

  test('a requested method above what the records show is lowered, with a warning', async () => {
    const runs = write('run.json', estimatedRecord('e1'));
    const r = await gaissa([
      'label',
      '--json',
      write('in.json', {
        ...request,
        method: 'measured',
        measurements: [{ path: runs }],
        derive: { inferences: 10 }
      })
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).method).toBe('estimated');
    expect(r.stderr).toContain('method "measured" asked, but the records support estimated');
    const ok = await gaissa([
      'label',
      '--json',
      write('ok.json', {
        ...request,
        measurements: [{ path: write('m.json', measuredRecord('m1')) }],
        derive: { inferences: 10 }
      })
    ]);
    expect(JSON.parse(ok.stdout).method).toBe('measured');
  });

  test('a file that is no measurement record exits 2 naming the field', async () => {
    const r = await gaissa([
      'label',
      '--json',
      write('in.json', { ...request, measurements: [{ path: write('notes.json', { id: 'r3' }) }] })
    ]);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, 'measurements[0]: is not a measurement record');
  });

  test('a metric whose index overflows is invalid input, not null', async () => {
    const r = await gaissa([
      'label',
      '--json',
      write('in.json', {
        phase: 'inference',
        population: 'fixed',
        metrics: { energyPerInferenceJ: 5e-324 }
      })
    ]);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, 'metrics.energyPerInferenceJ', 'overflows');
  });
});

describe('outputs that are links, FIFOs or devices (P2-2)', () => {
  /** A FIFO made by mkfifo(1): writing to it would block, renaming over it would replace it. */
  function fifo(name: string): string {
    const path = join(scratch.dir, name);
    execFileSync('mkfifo', [path]);
    return path;
  }

  test('label --out through a symbolic link writes the target; the link stays a link', async () => {
    const target = write('target.json', 'old');
    symlinkSync(target, join(scratch.dir, 'cur.json'));
    const r = await gaissa([
      'label',
      '--json',
      write('in.json', request),
      '--out',
      join(scratch.dir, 'cur.json')
    ]);
    expect(r.code).toBe(0);
    expect(lstatSync(join(scratch.dir, 'cur.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(target, 'utf8')).format).toBe('gaissa.label');
  });

  test('label --svg naming a FIFO: exit 2 "not a regular file", nothing written, FIFO kept', async () => {
    const ff = fifo('ff.svg');
    const out = join(scratch.dir, 'LABEL.json');
    const r = await gaissa([
      'label',
      '--json',
      write('in.json', request),
      '--out',
      out,
      '--svg',
      ff
    ]);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, `cannot write ${ff}: it is not a regular file`);
    expect(lstatSync(ff).isFIFO()).toBe(true);
    expect(readdirSync(scratch.dir).sort()).toEqual(['ff.svg', 'in.json']);
  });

  test('a dangling symbolic link is refused rather than replaced', async () => {
    symlinkSync(join(scratch.dir, 'nowhere.json'), join(scratch.dir, 'dangling.json'));
    const r = await gaissa([
      'label',
      '--json',
      write('in.json', request),
      '--out',
      join(scratch.dir, 'dangling.json')
    ]);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, 'symbolic link to a file that does not exist');
    expect(lstatSync(join(scratch.dir, 'dangling.json')).isSymbolicLink()).toBe(true);
  });

  test('badge --svg and card --readme: FIFOs refused, links written through', async () => {
    const label = join(scratch.dir, 'LABEL.json');
    const training = { phase: 'training', population: 'fixed', metrics: { trainingCo2eKg: 0.1 } };
    expect(
      (await gaissa(['label', '--json', write('t.json', training), '--out', label])).code
    ).toBe(0);
    const badgeFifo = fifo('badge.svg');
    const b = await gaissa(['badge', label, '--svg', badgeFifo]);
    expect(b.code).toBe(2);
    expectOneLine(b.stderr, `cannot write ${badgeFifo}: it is not a regular file`);
    expect(lstatSync(badgeFifo).isFIFO()).toBe(true);
    const badgeTarget = write('badge-target.svg', 'old');
    symlinkSync(badgeTarget, join(scratch.dir, 'badge-link.svg'));
    expect(
      (await gaissa(['badge', label, '--svg', join(scratch.dir, 'badge-link.svg')])).code
    ).toBe(0);
    expect(lstatSync(join(scratch.dir, 'badge-link.svg')).isSymbolicLink()).toBe(true);
    expect(readFileSync(badgeTarget, 'utf8')).toMatch(/^<svg/);

    const readmeFifo = fifo('README.md');
    const c = await gaissa(['card', label, '--readme', readmeFifo]);
    expect(c.code).toBe(2);
    expectOneLine(c.stderr, 'is not a regular file');
    expect(lstatSync(readmeFifo).isFIFO()).toBe(true);
    const cardTarget = write('card-target.md', '# my model\n');
    symlinkSync(cardTarget, join(scratch.dir, 'card-link.md'));
    expect(
      (await gaissa(['card', label, '--readme', join(scratch.dir, 'card-link.md')])).code
    ).toBe(0);
    expect(lstatSync(join(scratch.dir, 'card-link.md')).isSymbolicLink()).toBe(true);
    expect(readFileSync(cardTarget, 'utf8')).toMatch(/co2_eq_emissions:[\s\S]*# my model/);
  });
});

describe('other commands', () => {
  test('gaissa sci with energyKWh 1e308: exit 2 naming the field, never sciG null', async () => {
    const r = await gaissa(
      ['sci', '--json', '-'],
      JSON.stringify({ energyKWh: 1e308, carbonIntensity: 400, functionalUnits: 1 })
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expectOneLine(r.stderr, 'gaissa sci: energyKWh', 'overflows');
  });

  test('--json naming a device: exit 2 at once, one line, instead of reading forever', async () => {
    const r = await gaissa(['sci', '--json', '/dev/zero']);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, 'gaissa sci: cannot read /dev/zero', 'is not a regular file');
  });

  test('gaissa badge --svg naming a directory: exit 2, one line', async () => {
    const label = join(scratch.dir, 'LABEL.json');
    expect(
      (await gaissa(['label', '--json', write('in.json', request), '--out', label])).code
    ).toBe(0);
    const folder = join(scratch.dir, 'badges');
    mkdirSync(folder);
    const r = await gaissa(['badge', label, '--svg', folder]);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, `gaissa badge: cannot write ${folder}: it is a directory`);
    const over = await gaissa(['badge', label, '--svg', label]);
    expect(over.code).toBe(2);
    expect(JSON.parse(readFileSync(label, 'utf8')).format).toBe('gaissa.label');
  });

  test('gaissa card: a README that cannot be written exits 2 naming it; never the label itself', async () => {
    const label = join(scratch.dir, 'LABEL.json');
    const training = { phase: 'training', population: 'fixed', metrics: { trainingCo2eKg: 0.1 } };
    expect(
      (await gaissa(['label', '--json', write('t.json', training), '--out', label])).code
    ).toBe(0);
    write('blocker', 'a file');
    const readme = join(scratch.dir, 'blocker', 'README.md');
    const r = await gaissa(['card', label, '--readme', readme]);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, readme);
    const self = await gaissa(['card', label, '--readme', label]);
    expect(self.code).toBe(2);
    expect(JSON.parse(readFileSync(label, 'utf8')).format).toBe('gaissa.label');
  });

  test('finiteJson refuses NaN and Infinity anywhere, naming where', () => {
    expect(nonFinitePath({ a: [1, { b: Infinity }] })).toBe('a[1].b');
    expect(nonFinitePath({ a: null, b: 'x', c: 2 })).toBeUndefined();
    expect(() => finiteJson({ sciG: NaN }, 'the SCI')).toThrow(/the SCI: sciG overflows/);
    expect(finiteJson({ x: 1 }, 'x')).toBe('{\n  "x": 1\n}\n');
  });
});
