// The exposition text (escaping of untrusted label values, counters that add up to the records),
// the group path, and the sink's cumulative pushes against a fake Pushgateway.
import type { MeasurementRecord } from '../../../../core/measurement';
import type { Attribution } from '../../../../kernel/records/attribution';
import {
  addRecords,
  emptyTotals,
  escapeLabelValue,
  exposition,
  groupPath,
  PushgatewaySink,
  sharesOf
} from '../../../../kernel/records/pushgateway-sink';
import { sinksText } from '../../../../kernel/records/team-record-sink';
import { sampleRecord } from '../../fixtures/sample-record';
import { FakeClock } from './fixtures/fake-clock';
import { fakeFetch } from './fixtures/fake-fetch';

const who: Attribution = {
  user: 'ann',
  server: null,
  notebook: 'a "b"\\c\nd.ipynb',
  kernelId: 'k-1',
  instance: 'k-1'
};

/** A record whose CPU a counter measured for 75% of its joules. */
function partlyMeasured(id: string): MeasurementRecord {
  const r = sampleRecord(id);
  return {
    ...r,
    components: { ...r.components, cpu: { ...r.components.cpu, method: 'rapl', coverage: 0.75 } }
  };
}

/** Parses `name{labels} value` lines back, unescaping as Prometheus does. */
function samples(
  text: string
): Array<{ name: string; labels: Record<string, string>; value: number }> {
  return text
    .split('\n')
    .filter(l => l && !l.startsWith('#'))
    .map(line => {
      const m = /^(\w+)\{(.*)\} (\S+)$/.exec(line)!;
      const labels: Record<string, string> = {};
      for (const [, k, v] of m[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
        labels[k] = v.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      }
      return { name: m[1], labels, value: Number(m[3]) };
    });
}

describe('escapeLabelValue', () => {
  it('escapes backslash, double quote and line feed, and nothing else', () => {
    expect(escapeLabelValue('a\\b"c\nd}{,=é')).toBe('a\\\\b\\"c\\nd}{,=é');
  });
});

describe('sharesOf', () => {
  it('splits each component by coverage and adds up to the record over all runs', () => {
    const record = partlyMeasured('m-1');
    const shares = sharesOf(record);
    const sum = (f: (s: (typeof shares)[0]) => number) => shares.reduce((a, s) => a + f(s), 0);
    expect(sum(s => s.energyJ)).toBeCloseTo(record.total.energyJ, 9);
    expect(sum(s => s.co2eG)).toBeCloseTo(record.total.co2eG, 12);
    const cpu = record.components.cpu.energyJ * record.repeat.n;
    expect(shares.find(s => s.component === 'cpu' && s.method === 'rapl')!.energyJ).toBeCloseTo(
      cpu * 0.75
    );
    expect(shares.find(s => s.component === 'cpu' && s.method === 'estimate')!.energyJ).toBeCloseTo(
      cpu * 0.25
    );
    expect(shares.some(s => s.component === 'gpu')).toBe(false); // no GPU: no series
  });
});

describe('exposition', () => {
  it('writes counters and the gauge with escaped labels that parse back to the same values', () => {
    const totals = addRecords(emptyTotals(), [sampleRecord('m-1'), sampleRecord('m-2')]);
    const text = exposition(totals, { user: who.user, notebook: who.notebook!, kernel_id: 'k-1' });
    expect(text).toContain('# TYPE gaissa_energy_joules_total counter\n');
    expect(text).toContain('# TYPE gaissa_co2e_grams_total counter\n');
    expect(text).toContain('# TYPE gaissa_power_watts gauge\n');
    // The notebook's line feed is escaped: every line is a comment or a whole sample.
    expect(
      text.split('\n').every(l => l === '' || l.startsWith('#') || l.startsWith('gaissa_'))
    ).toBe(true);
    const parsed = samples(text);
    for (const s of parsed) expect(s.labels.notebook).toBe(who.notebook);
    const energy = parsed.filter(s => s.name === 'gaissa_energy_joules_total');
    expect(energy.reduce((a, s) => a + s.value, 0)).toBeCloseTo(
      2 * sampleRecord('m-1').total.energyJ,
      9
    );
    const power = parsed.filter(s => s.name === 'gaissa_power_watts');
    const r = sampleRecord('m-2');
    expect(power.reduce((a, s) => a + s.value, 0)).toBeCloseTo(r.powerW, 9);
  });
});

describe('groupPath', () => {
  it('puts any instance name in one base64url path segment', () => {
    const path = groupPath('a/b c?');
    expect(path).toBe(
      `/metrics/job/gaissa/instance@base64/${Buffer.from('a/b c?').toString('base64url')}`
    );
    expect(path.split('/')).toHaveLength(6); // '', metrics, job, gaissa, instance@base64, id
  });
});

describe('PushgatewaySink', () => {
  it('PUTs the running totals: a failed push is made good by the next one', async () => {
    let up = false;
    const { fetch, sent } = fakeFetch(() => (up ? { status: 200 } : { status: 503, body: 'busy' }));
    const clock = new FakeClock();
    const sink = new PushgatewaySink({
      url: 'http://pgw:9091/',
      attribution: who,
      fetch,
      clock,
      warn: () => {}
    });
    sink.push({ record: sampleRecord('m-1'), n: 1 });
    await clock.advance(0);
    expect(sink.status()).toMatchObject({ delivered: 0, pending: 1, down: 'HTTP 503: busy' });
    up = true;
    sink.push({ record: sampleRecord('m-2'), n: 2 });
    await clock.advance(1000);
    expect(sink.status()).toMatchObject({ delivered: 2, pending: 0 });
    const last = sent[sent.length - 1];
    expect(last.method).toBe('PUT');
    expect(last.url).toBe(`http://pgw:9091${groupPath('k-1')}`);
    const energy = samples(last.body).filter(s => s.name === 'gaissa_energy_joules_total');
    expect(energy.reduce((a, s) => a + s.value, 0)).toBeCloseTo(
      2 * sampleRecord('m-1').total.energyJ,
      9
    );
    expect(energy[0].labels).toMatchObject({ user: 'ann', server: '', kernel_id: 'k-1' });
    // The next push counts on from the delivered totals.
    sink.push({ record: sampleRecord('m-3'), n: 3 });
    await clock.advance(0);
    const again = samples(sent[sent.length - 1].body).filter(
      s => s.name === 'gaissa_energy_joules_total'
    );
    expect(again.reduce((a, s) => a + s.value, 0)).toBeCloseTo(
      3 * sampleRecord('m-1').total.energyJ,
      9
    );
  });

  it('counts records the queue gave up in the totals: the next push that succeeds carries them', async () => {
    let up = false;
    const { fetch, sent } = fakeFetch(() => (up ? { status: 200 } : { status: 503, body: 'busy' }));
    const clock = new FakeClock();
    const sink = new PushgatewaySink({
      url: 'http://pgw',
      attribution: who,
      fetch,
      clock,
      warn: () => {},
      // No background re-push here: the next record's push carries the one given up.
      bounds: { maxTries: 2, catchUpMs: 0 }
    });
    sink.push({ record: sampleRecord('m-1'), n: 1 });
    await clock.advance(60_000);
    expect(sink.status()).toMatchObject({ delivered: 0, pending: 0, cumulative: true });
    expect(sink.status().undelivered.map(u => u.id)).toEqual(['m-1']);
    expect(sinksText([sink.status()])).toContain('not yet pushed: m-1: 2 tries failed');
    up = true;
    sink.push({ record: sampleRecord('m-2'), n: 2 });
    await clock.advance(0);
    const energy = samples(sent[sent.length - 1].body).filter(
      s => s.name === 'gaissa_energy_joules_total'
    );
    expect(energy.reduce((a, s) => a + s.value, 0)).toBeCloseTo(
      2 * sampleRecord('m-1').total.energyJ,
      9
    );
    expect(sink.status()).toMatchObject({ delivered: 2, pending: 0, undelivered: [] });
  });

  it("labels every series with JupyterHub's named server", async () => {
    const { fetch, sent } = fakeFetch(() => ({ status: 200 }));
    const clock = new FakeClock();
    const sink = new PushgatewaySink({
      url: 'http://pgw',
      attribution: { ...who, server: 'gpu' },
      fetch,
      clock,
      warn: () => {}
    });
    sink.push({ record: sampleRecord('m-1'), n: 1 });
    await clock.advance(0);
    const pushed = samples(sent[sent.length - 1].body);
    expect(pushed.length).toBeGreaterThan(0);
    for (const s of pushed) expect(s.labels).toMatchObject({ user: 'ann', server: 'gpu' });
  });

  it('re-pushes the totals once the outage ends, without waiting for a new record', async () => {
    let up = false;
    const { fetch, sent } = fakeFetch(() => (up ? { status: 200 } : { status: 503, body: 'busy' }));
    const clock = new FakeClock();
    const sink = new PushgatewaySink({
      url: 'http://pgw',
      attribution: who,
      fetch,
      clock,
      warn: () => {},
      bounds: { maxTries: 2 }
    });
    sink.push({ record: sampleRecord('m-1'), n: 1 });
    sink.push({ record: sampleRecord('m-2'), n: 2 });
    await clock.advance(60_000);
    expect(sink.status()).toMatchObject({
      delivered: 0,
      pending: 0,
      notDelivered: { measurements: 2 }
    });
    const failed = sent.length;
    up = true;
    await clock.advance(15_000); // at most the longest backoff
    expect(sent.length).toBe(failed + 1);
    const energy = samples(sent[sent.length - 1].body).filter(
      s => s.name === 'gaissa_energy_joules_total'
    );
    expect(energy.reduce((a, s) => a + s.value, 0)).toBeCloseTo(
      2 * sampleRecord('m-1').total.energyJ,
      9
    );
    expect(sink.status()).toMatchObject({
      delivered: 2,
      notDelivered: { measurements: 0 },
      undelivered: [],
      down: null
    });
  });

  it('sends the credentials of its address as Basic auth, and never shows them', async () => {
    const { fetch, sent } = fakeFetch(() => ({ status: 200 }));
    const clock = new FakeClock();
    const sink = new PushgatewaySink({
      url: 'http://u:p@pgw:9091',
      attribution: who,
      fetch,
      clock
    });
    sink.push({ record: sampleRecord('m-1'), n: 1 });
    await clock.advance(0);
    expect(sent[0].url).toBe(`http://pgw:9091${groupPath('k-1')}`);
    expect(sent[0].headers.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(sink.name).toBe('Pushgateway at http://pgw:9091');
  });

  it("quotes a bounded start of the server's answer, without its control characters", async () => {
    const body = '\u001b[2J\u001b]0;owned\u0007bad\n' + 'x'.repeat(100_000);
    const { fetch } = fakeFetch(() => ({ status: 400, body }));
    const clock = new FakeClock();
    const warnings: string[] = [];
    const sink = new PushgatewaySink({
      url: 'http://pgw',
      attribution: who,
      fetch,
      clock,
      warn: w => warnings.push(w)
    });
    sink.push({ record: sampleRecord('m-1'), n: 1 });
    await clock.advance(0);
    const [{ reason }] = sink.status().undelivered;
    expect(reason).toMatch(/^refused: HTTP 400: \[2J ]0;owned bad x+$/);
    expect(reason.length).toBeLessThan(400);
    expect(warnings.join('')).not.toContain('\u001b');
    expect(warnings.join('')).not.toContain('\u0007');
  });

  it('gives a refused push up at once (400: a bad body is not retried)', async () => {
    const { fetch } = fakeFetch(() => ({ status: 400, body: 'text format parsing error' }));
    const clock = new FakeClock();
    const sink = new PushgatewaySink({
      url: 'http://pgw',
      attribution: who,
      fetch,
      clock,
      warn: () => {}
    });
    sink.push({ record: sampleRecord('m-1'), n: 1 });
    await clock.advance(0);
    expect(sink.status().undelivered).toEqual([
      { id: 'm-1', reason: 'refused: HTTP 400: text format parsing error' }
    ]);
  });
});
