/**
 * Adversarial checks of `gaissa label verify`: each tampering of issue #15 (finding 7) is tried
 * on a real label, issued by the CLI from real measurement records, and must be caught, or, for
 * an unsigned label, reported as checked for internal consistency only, never as authentic.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabelRecord, rerateRecord } from '../../../../core/label/record';
import { drawLabelSvg } from '../../../../core/label/svg';
import { labelText } from '../../../../core/label/plain-text';
import { validateLabelRecord } from '../../../../kernel/label/label-schema';
import { gaissa as api } from '../../../../kernel/api';
import { LabelView } from '../../../../kernel/api/label';
import { runGaissa as gaissa } from '../fixtures/run-cli';
import {
  estimatedRecord,
  measuredRecord,
  partlyMeasuredRecord,
  writeJsonLines
} from '../../fixtures/label-measurements';

let dir: string;
let privateKey: string;
let publicKey: string;
let strangerKey: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gaissa-tamper-'));
  const pair = generateKeyPairSync('ed25519');
  privateKey = file('issuer.pem', pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  publicKey = file('issuer.pub.pem', pair.publicKey.export({ type: 'spki', format: 'pem' }));
  const stranger = generateKeyPairSync('ed25519');
  strangerKey = file('stranger.pem', stranger.privateKey.export({ type: 'pkcs8', format: 'pem' }));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Issues a label from records.jsonl#r1 (energy, CO2e and SCI derived from it) via the CLI. */
async function issue(
  options: { sign?: boolean; record?: object; name?: string } = {}
): Promise<string> {
  file('model.onnx', 'the real model');
  writeJsonLines(join(dir, 'records.jsonl'), [
    options.record ?? measuredRecord('r1'),
    measuredRecord('r2', 360)
  ]);
  const label = join(dir, options.name ?? 'label.json');
  const request = file('request.json', {
    phase: 'inference',
    population: 'fixed',
    metrics: { latencyMs: 5, modelSizeMB: 0.85, accuracy: 0.97 },
    model: { name: 'mnist-mlp', path: join(dir, 'model.onnx') },
    measurements: [{ path: join(dir, 'records.jsonl'), id: 'r1' }],
    derive: { inferences: 1000, sci: true }
  });
  const args = ['label', '--json', request, '--out', label];
  if (options.sign) args.push('--sign', privateKey);
  const r = await gaissa(args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return label;
}

const read = (label: string): LabelRecord => JSON.parse(readFileSync(label, 'utf8'));
const save = (label: string, record: LabelRecord) => writeFileSync(label, JSON.stringify(record));

async function verify(label: string, trust = true) {
  const args = ['label', 'verify', label, '--json'];
  if (trust) args.push('--trust', publicKey);
  const r = await gaissa(args);
  return {
    code: r.code,
    report: r.code === 2 ? undefined : JSON.parse(r.stdout),
    stderr: r.stderr
  };
}

/** Re-rates metrics and rating after an edit, as a careful forger would. */
function rerated(record: LabelRecord): LabelRecord {
  const again = rerateRecord(record);
  return { ...record, metrics: again.metrics, rating: again.rating, score: again.score };
}

describe('a label as issued', () => {
  test('verifies, signed by the trusted key; the method is derived from the record', async () => {
    const label = await issue({ sign: true });
    const record = read(label);
    expect(record.method).toBe('measured');
    expect(record.derivation).toEqual({
      measurement: 0,
      inferences: 1000,
      metrics: ['energyPerInferenceJ', 'co2ePerInferenceG'],
      sci: true
    });
    expect(record.basis.name).toBe('gaissa-inference-v1');
    const { code, report } = await verify(label);
    expect(code).toBe(0);
    expect(report.authenticated).toBe(true);
    const text = await gaissa(['label', 'verify', label, '--trust', publicKey]);
    expect(text.stdout).toContain('signed by the key you trust');
  });

  test('unsigned: verifies, but says only its internal consistency was checked', async () => {
    const label = await issue();
    const { code, report } = await verify(label, false);
    expect(code).toBe(0);
    expect(report.authenticated).toBe(false);
    expect(report.scope).toMatch(/^internal consistency only/);
    expect(report.scope).toMatch(/measurement records themselves carry no signature/);
    const text = await gaissa(['label', 'verify', label]);
    expect(text.stdout).toMatch(/verified: every check matches; internal consistency only/);
    expect(text.stdout).toMatch(/note\s+signature\s.*unsigned/);
    expect(text.stdout).not.toMatch(/signed by the key you trust|authentic/);
  });
});

describe('tamperings verify catches', () => {
  test('model swapped, its SHA-256 rewritten: the signature fails', async () => {
    const label = await issue({ sign: true });
    const record = read(label);
    const other = file('other.onnx', 'a 10x worse model');
    save(label, {
      ...record,
      model: { ...record.model, path: 'other.onnx', sha256: sha256(other) }
    });
    const { code, report } = await verify(label);
    expect(code).toBe(1);
    expect(report.authenticated).toBe(false);
    expect(report.checks).toContainEqual(
      expect.objectContaining({ kind: 'signature', status: 'mismatch' })
    );
  });

  test('model swapped on an unsigned label: consistent, so never reported as authentic', async () => {
    const label = await issue();
    const record = read(label);
    const other = file('other.onnx', 'a 10x worse model');
    save(label, {
      ...record,
      model: { ...record.model, path: 'other.onnx', sha256: sha256(other) }
    });
    const plain = await verify(label, false);
    expect(plain.code).toBe(0);
    expect(plain.report.authenticated).toBe(false);
    expect(plain.report.scope).toMatch(/^internal consistency only/);
    // Asked to trust a key, an unsigned label fails: it is not from that key.
    const trusted = await verify(label, true);
    expect(trusted.code).toBe(1);
    expect(trusted.report.checks).toContainEqual(
      expect.objectContaining({ kind: 'signature', status: 'mismatch' })
    );
  });

  test('re-signed by another key after the swap: not the trusted key', async () => {
    const label = await issue({ sign: true, record: measuredRecord('r1') });
    const forged = await gaissa([
      'label',
      '--json',
      join(dir, 'request.json'),
      '--out',
      join(dir, 'forged.json'),
      '--sign',
      strangerKey
    ]);
    expect(forged.code).toBe(0);
    const { code, report } = await verify(join(dir, 'forged.json'));
    expect(code).toBe(1);
    expect(report.checks).toContainEqual(
      expect.objectContaining({ kind: 'signature', detail: expect.stringMatching(/another key/) })
    );
    expect((await verify(label)).code).toBe(0);
  });

  test('method edited from estimated to measured', async () => {
    const label = await issue({ record: estimatedRecord('r1') });
    const record = read(label);
    expect(record.method).toBe('estimated');
    save(label, { ...record, method: 'measured' });
    const { code, report } = await verify(label, false);
    expect(code).toBe(1);
    expect(report.checks).toContainEqual(
      expect.objectContaining({
        kind: 'method',
        status: 'mismatch',
        expected: 'measured',
        actual: 'estimated',
        detail: expect.stringMatching(/the records show estimated/)
      })
    );
  });

  test('method edited from partly measured to measured', async () => {
    const label = await issue({ record: partlyMeasuredRecord('r1') });
    const record = read(label);
    expect(record.method).toBe('partly-measured');
    save(label, { ...record, method: 'measured' });
    expect((await verify(label, false)).code).toBe(1);
  });

  test('a partly measured label carries and shows its counter share; an edited share fails (P2-3)', async () => {
    const label = await issue({ record: partlyMeasuredRecord('r1') });
    const record = read(label);
    expect(record.coverage).toBeCloseTo(0.6, 12);
    const shown = 'partly measured (60 % counter)';
    expect(drawLabelSvg(record)).toContain(`>${shown}</text>`);
    expect(labelText(record)).toContain(shown);
    const badge = await gaissa(['badge', label, '--svg', join(dir, 'badge.svg')]);
    expect(badge.code).toBe(0);
    expect(badge.stdout).toContain(shown);
    // In the picture itself, not only in its alt text (P4).
    expect(readFileSync(join(dir, 'badge.svg'), 'utf8')).toMatch(
      /<text [^>]*>[A-E] · partly measured \(60 % counter\) · SCI [^<]*<\/text>/
    );
    expect((await verify(label, false)).code).toBe(0);
    save(label, { ...record, coverage: 0.95 });
    const { code, report } = await verify(label, false);
    expect(code).toBe(1);
    expect(report.checks).toContainEqual(
      expect.objectContaining({
        kind: 'method',
        status: 'mismatch',
        expected: '0.95',
        detail: expect.stringMatching(/counter share of 0.95, the record gives 0.6/)
      })
    );
  });

  test('issue date edited: the signature fails, with or without a trusted key', async () => {
    const label = await issue({ sign: true });
    save(label, { ...read(label), issued: '2020-01-01T00:00:00.000Z' });
    for (const trust of [true, false]) {
      const { code, report } = await verify(label, trust);
      expect(code).toBe(1);
      expect(report.checks).toContainEqual(
        expect.objectContaining({
          kind: 'signature',
          status: 'mismatch',
          detail: expect.stringMatching(/changed after signing/)
        })
      );
    }
  });

  test('measurement list emptied: the measured method has nothing to rest on', async () => {
    const label = await issue();
    save(label, { ...read(label), measurements: [] });
    const { code, report } = await verify(label, false);
    expect(code).toBe(1);
    expect(report.checks).toContainEqual(
      expect.objectContaining({ kind: 'method', status: 'mismatch', actual: 'declared' })
    );
    expect(report.checks).toContainEqual(
      expect.objectContaining({ kind: 'derivation', status: 'mismatch' })
    );
  });

  test("measurement pointing at another file with that file's real hash", async () => {
    const label = await issue();
    const other = file('other-run.json', measuredRecord('r9', 360));
    const record = read(label);
    save(label, { ...record, measurements: [{ path: 'other-run.json', sha256: sha256(other) }] });
    const { code, report } = await verify(label, false);
    expect(code).toBe(1);
    expect(report.checks).toContainEqual(
      expect.objectContaining({ kind: 'measurement', status: 'match' })
    );
    const derived = report.checks.filter((c: { kind: string }) => c.kind === 'derivation');
    expect(derived.map((c: { status: string }) => c.status)).toEqual([
      'mismatch',
      'mismatch',
      'mismatch'
    ]);
  });

  test("measurement pointing at another line of the log, with that line's hash", async () => {
    const label = await issue();
    const record = read(label);
    const line = readFileSync(join(dir, 'records.jsonl'), 'utf8').split('\n')[1];
    const hash = createHash('sha256').update(line).digest('hex');
    save(label, { ...record, measurements: [{ path: 'records.jsonl', id: 'r2', sha256: hash }] });
    const { code, report } = await verify(label, false);
    expect(code).toBe(1);
    expect(report.checks).toContainEqual(
      expect.objectContaining({ kind: 'derivation', status: 'mismatch' })
    );
  });

  test('own boundaries that give a 10x worse model an A: named basis flagged, custom shown', async () => {
    const label = await issue({ record: measuredRecord('r1', 10 * 36 * 1000) });
    const honest = read(label);
    expect(honest.metrics.energyPerInferenceJ?.rating).toBe('E');
    const forged = rerated({
      ...honest,
      basis: {
        ...honest.basis,
        boundaries: {
          ...honest.basis.boundaries,
          energyPerInferenceJ: [0.001, 0.0005, 0.0002, 0.0001],
          co2ePerInferenceG: [0.001, 0.0005, 0.0002, 0.0001],
          latencyMs: [0.001, 0.0005, 0.0002, 0.0001]
        }
      }
    });
    expect(forged.rating).toBe('A');
    save(label, forged);
    const named = await verify(label, false);
    expect(named.code).toBe(1);
    expect(named.report.checks).toContainEqual(
      expect.objectContaining({
        kind: 'basis',
        status: 'mismatch',
        detail: expect.stringContaining('basis.boundaries')
      })
    );
    // Without the name but still claiming the fixed reference: a mismatch.
    const { name: _name, against: _against, ...custom } = forged.basis;
    void _name;
    save(label, { ...forged, basis: { ...custom, against: _against } });
    const claiming = await verify(label, false);
    expect(claiming.code).toBe(1);
    expect(claiming.report.checks).toContainEqual(
      expect.objectContaining({
        kind: 'basis',
        status: 'mismatch',
        detail: expect.stringContaining(
          'says it was rated against gaissa-inference-v1 but names no basis'
        )
      })
    );
    // Without name or claim, the basis is custom: verify notes it and the label shows it.
    save(label, { ...forged, basis: custom });
    const unnamed = await verify(label, false);
    expect(unnamed.report.checks).toContainEqual(
      expect.objectContaining({
        kind: 'basis',
        status: 'note',
        detail: expect.stringMatching(/^custom basis/)
      })
    );
    expect(unnamed.report.authenticated).toBe(false);
    expect(drawLabelSvg(read(label))).toContain('custom basis');
    expect(labelText(read(label))).toContain('custom basis');
    // An unknown basis name is flagged too.
    save(label, { ...forged, basis: { ...custom, name: 'gaissa-inference-v9' } });
    const unknown = await verify(label, false);
    expect(unknown.code).toBe(1);
    expect(unknown.report.checks).toContainEqual(
      expect.objectContaining({ kind: 'basis', detail: expect.stringMatching(/unknown basis/) })
    );
  });

  test('real measurement plus invented metrics', async () => {
    const label = await issue();
    const record = read(label);
    const invented = rerated({
      ...record,
      metrics: {
        ...record.metrics,
        energyPerInferenceJ: { ...record.metrics.energyPerInferenceJ!, value: 0.0001 }
      }
    });
    save(label, invented);
    const { code, report } = await verify(label, false);
    expect(code).toBe(1);
    expect(report.checks).toContainEqual(
      expect.objectContaining({
        kind: 'derivation',
        subject: 'energyPerInferenceJ (from measurements[0])',
        status: 'mismatch'
      })
    );
    // Dropping the link as well leaves typed figures: not measured.
    const { derivation: _d, ...unlinked } = invented;
    void _d;
    save(label, unlinked);
    const again = await verify(label, false);
    expect(again.code).toBe(1);
    expect(again.report.checks).toContainEqual(
      expect.objectContaining({ kind: 'method', status: 'mismatch', actual: 'declared' })
    );
  });

  test('1e6 measurements: the schema rejects the label before anything is drawn', async () => {
    const label = await issue();
    const record = read(label);
    const huge = { ...record, measurements: new Array(1e6).fill(record.measurements[0]) };
    expect(() => validateLabelRecord(huge)).toThrow(
      /measurements: must NOT have more than 100 items/
    );
    // Through the CLI, just over the bound (a million entries would be an 80 MB file).
    save(label, { ...record, measurements: new Array(101).fill(record.measurements[0]) });
    const r = await gaissa(['label', 'verify', label]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('measurements');
  });
});

describe('records that are not what they claim (P1-1)', () => {
  /** Issues from `records.jsonl#x` holding `record`; the CLI's exit code, stdout and stderr. */
  async function issueFrom(record: object) {
    writeJsonLines(join(dir, 'fake.jsonl'), [record]);
    const request = file('fake-request.json', {
      phase: 'inference',
      population: 'fixed',
      metrics: { latencyMs: 5 },
      measurements: [{ path: join(dir, 'fake.jsonl'), id: 'x' }],
      derive: { inferences: 100 }
    });
    return gaissa(['label', '--json', request, '--out', join(dir, 'fake-label.json')]);
  }

  /** A real estimated record edited to look measured at the top level only. */
  function flipped(): object {
    return {
      ...estimatedRecord('x'),
      coverage: 1,
      provenance: 'measured',
      estimated: false,
      method: 'rapl',
      fallbackReasons: ['CPU energy estimated: RAPL is not readable here']
    };
  }

  test('a hand-written "record" is refused: it does not match the measurement schema', async () => {
    const r = await issueFrom({
      energyJ: 0.001,
      co2eG: 1e-7,
      coverage: 1,
      estimated: false,
      status: 'ok',
      id: 'x'
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /measurements\[0\]: is not a measurement record \(schema\/measurement/
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('an estimated record with its flags flipped to measured is refused, saying why', async () => {
    const r = await issueFrom(flipped());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/measurements\[0\]: is not a consistent measurement record/);
    expect(r.stderr).toMatch(/coverage 1 but its components' joules give 0/);
    // Components flipped too: the fallback reasons still say the CPU was estimated.
    const deeper = flipped() as ReturnType<typeof estimatedRecord>;
    const cpu = { ...deeper.components.cpu, method: 'rapl' as const, coverage: 1 };
    const again = await issueFrom({ ...deeper, components: { ...deeper.components, cpu } });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /fallback reasons say "CPU energy estimated", yet components.cpu is fully counted/
    );
  });

  test('energy that is not the sum of the components is refused', async () => {
    const r = await issueFrom({ ...measuredRecord('x'), energyJ: 0.001 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/energyJ 0.001 is not the sum of its components \(36\)/);
  });

  test('verify reports a record edited after issuing, with the line hash rewritten', async () => {
    const label = await issue({ record: estimatedRecord('r1') });
    const record = read(label);
    expect(record.method).toBe('estimated');
    const line = JSON.stringify({ ...flipped(), id: 'r1' });
    writeJsonLines(join(dir, 'records.jsonl'), [JSON.parse(line)]);
    const hash = createHash('sha256').update(line).digest('hex');
    save(label, {
      ...record,
      method: 'measured',
      measurements: [{ ...record.measurements[0], sha256: hash }]
    });
    const { code, report } = await verify(label, false);
    expect(code).toBe(1);
    expect(report.checks).toContainEqual(
      expect.objectContaining({
        kind: 'measurement',
        status: 'mismatch',
        detail: expect.stringMatching(/not a consistent measurement record/)
      })
    );
    expect(report.checks).toContainEqual(
      expect.objectContaining({ kind: 'method', status: 'mismatch', actual: 'estimated' })
    );
  });
});

describe('the method comes from the record the figures were computed from (P1-2)', () => {
  test('figures from an estimated record, a measured one attached: estimated, not partly', async () => {
    writeJsonLines(join(dir, 'records.jsonl'), [estimatedRecord('e1'), measuredRecord('m1')]);
    const log = join(dir, 'records.jsonl');
    const request = file('two.json', {
      phase: 'inference',
      population: 'fixed',
      metrics: { latencyMs: 5 },
      measurements: [
        { path: log, id: 'e1' },
        { path: log, id: 'm1' }
      ],
      derive: { measurement: 0, inferences: 100 }
    });
    const label = join(dir, 'two-label.json');
    const r = await gaissa(['label', '--json', request, '--out', label]);
    expect(r.code).toBe(0);
    expect(read(label).method).toBe('estimated');
    // Edited to the mixed method the two records would give together: verify refuses it.
    save(label, { ...read(label), method: 'partly-measured' });
    const { code, report } = await verify(label, false);
    expect(code).toBe(1);
    expect(report.checks).toContainEqual(
      expect.objectContaining({
        kind: 'method',
        status: 'mismatch',
        actual: 'estimated',
        detail: expect.stringMatching(/measurements\[0\]: estimated/)
      })
    );
  });

  test('figures from the measured record, an estimated one attached: measured', async () => {
    writeJsonLines(join(dir, 'records.jsonl'), [estimatedRecord('e1'), measuredRecord('m1')]);
    const log = join(dir, 'records.jsonl');
    const request = file('two.json', {
      phase: 'inference',
      population: 'fixed',
      metrics: { latencyMs: 5 },
      measurements: [
        { path: log, id: 'e1' },
        { path: log, id: 'm1' }
      ],
      derive: { measurement: 1, inferences: 100 }
    });
    const label = join(dir, 'two-label.json');
    expect((await gaissa(['label', '--json', request, '--out', label])).code).toBe(0);
    expect(read(label).method).toBe('measured');
    expect((await verify(label, false)).code).toBe(0);
  });
});

describe('files that never end (P2-1)', () => {
  test('verify with model.path or a measurement path at /dev/zero: unverifiable, at once', async () => {
    const label = await issue();
    const record = read(label);
    save(label, {
      ...record,
      model: { ...record.model, path: '/dev/zero' },
      measurements: [{ ...record.measurements[0], path: '/dev/zero' }]
    });
    const started = Date.now();
    const { code, report } = await verify(label, false);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(code).toBe(1);
    for (const kind of ['model', 'measurement']) {
      expect(report.checks).toContainEqual(
        expect.objectContaining({
          kind,
          status: 'unverifiable',
          detail: '/dev/zero is not a regular file'
        })
      );
    }
  }, 10000);

  test('verify and badge refuse a label file that is not a regular file', async () => {
    for (const args of [
      ['label', 'verify', '/dev/zero'],
      ['badge', '/dev/zero']
    ]) {
      const r = await gaissa(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/cannot read label \/dev\/zero: \/dev\/zero is not a regular file/);
    }
    const label = await issue();
    const key = await gaissa(['label', 'verify', label, '--trust', '/dev/zero']);
    expect(key.code).toBe(2);
    expect(key.stderr).toMatch(/trust: cannot read \/dev\/zero: \/dev\/zero is not a regular file/);
  });

  test('label refuses a model or record that is not a regular file, naming the field', async () => {
    const request = file('dev.json', {
      phase: 'inference',
      population: 'fixed',
      metrics: { latencyMs: 5 },
      model: { path: '/dev/zero' }
    });
    const r = await gaissa(['label', '--json', request, '--out', join(dir, 'x.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/model\.path: \/dev\/zero is not a regular file/);
    const records = file('dev-records.json', {
      phase: 'inference',
      population: 'fixed',
      metrics: { latencyMs: 5 },
      measurements: [{ path: '/dev/zero', id: 'r1' }]
    });
    const m = await gaissa(['label', '--json', records, '--out', join(dir, 'y.json')]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/measurements\[0\]\.path: \/dev\/zero is not a regular file/);
  });
});

describe('a signed declared label (P3-3)', () => {
  test('with nothing to hash, it verifies against the trusted key, and not without it', async () => {
    const request = file('declared.json', {
      phase: 'inference',
      population: 'fixed',
      metrics: { latencyMs: 5, energyPerInferenceJ: 0.02 }
    });
    const label = join(dir, 'declared-label.json');
    const r = await gaissa(['label', '--json', request, '--out', label, '--sign', privateKey]);
    expect(r.code).toBe(0);
    expect(read(label).method).toBe('declared');
    const trusted = await verify(label, true);
    expect(trusted.code).toBe(0);
    expect(trusted.report.authenticated).toBe(true);
    expect(trusted.report.checks).toContainEqual(
      expect.objectContaining({
        kind: 'model',
        status: 'note',
        detail: expect.stringMatching(/rest on the word of the trusted signer/)
      })
    );
    // Unsigned or untrusted, nothing was checked: it must not pass.
    expect((await verify(label, false)).code).toBe(1);
    const { signature: _s, ...unsigned } = read(label);
    void _s;
    save(label, unsigned as LabelRecord);
    expect((await verify(label, true)).code).toBe(1);
  });
});

describe('issue dates (P4)', () => {
  const request = (issued: string) =>
    file('dated.json', {
      phase: 'inference',
      population: 'fixed',
      metrics: { latencyMs: 5 },
      measurements: [{ path: join(dir, 'records.jsonl'), id: 'r1' }],
      derive: { inferences: 1000 },
      issued
    });

  test('label refuses a date in the future or before the measurement ended', async () => {
    writeJsonLines(join(dir, 'records.jsonl'), [measuredRecord('r1')]);
    const ended = measuredRecord('r1').endedAt;
    const future = await gaissa(['label', '--json', request('2999-01-01T00:00:00Z')]);
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/issued: 2999-01-01T00:00:00.000Z is in the future/);
    const early = await gaissa(['label', '--json', request('2020-01-01T00:00:00Z')]);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain(
      `issued: 2020-01-01T00:00:00.000Z is before measurements[0] ended (${ended})`
    );
    const fine = await gaissa(['label', '--json', request('2025-06-01T00:00:00Z')]);
    expect(fine.code).toBe(0);
  });

  test('verify flags an edited date on an unsigned label', async () => {
    const label = await issue();
    expect((await verify(label, false)).report.checks).toContainEqual(
      expect.objectContaining({ kind: 'issued', status: 'match' })
    );
    for (const [issued, why] of [
      ['2999-01-01T00:00:00.000Z', /is in the future/],
      ['2020-01-01T00:00:00.000Z', /is before measurements\[0\] ended/]
    ] as const) {
      save(label, { ...read(label), issued });
      const { code, report } = await verify(label, false);
      expect(code).toBe(1);
      expect(report.checks).toContainEqual(
        expect.objectContaining({
          kind: 'issued',
          status: 'mismatch',
          detail: expect.stringMatching(why)
        })
      );
    }
  });
});

describe('in the notebook', () => {
  test('gaissa.label(..., { sign }) signs; verify({ trust }) authenticates, and catches an edit', async () => {
    const model = file('model.onnx', 'the real model');
    const view = await api.label(
      {
        phase: 'inference',
        population: 'fixed',
        metrics: { latencyMs: 5 },
        model: { path: model }
      },
      { sign: privateKey, out: join(dir, 'LABEL.json'), record: false }
    );
    expect(view.record.signature?.algorithm).toBe('Ed25519');
    expect((await view.verify({ trust: publicKey })).authenticated).toBe(true);
    expect((await view.verify()).authenticated).toBe(false);
    const edited = new LabelView(
      { ...view.record, issued: '2020-01-01T00:00:00.000Z' },
      { file: join(dir, 'LABEL.json') }
    );
    const report = await edited.verify({ trust: publicKey });
    expect(report.ok).toBe(false);
    expect(report.authenticated).toBe(false);
  });
});
