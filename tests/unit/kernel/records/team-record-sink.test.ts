// The local files come first and never wait: a hung team server leaves write() synchronous and
// the record on disk; the settings choose the team sinks; the texts say what was not delivered.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attribution } from '../../../../kernel/records/attribution';
import { readMeasurementLog } from '../../../../kernel/records/emissions-log';
import { EMISSIONS_JSONL, EmissionsFileSink } from '../../../../kernel/records/record-sink';
import {
  sinksText,
  TeamRecordSink,
  undeliveredText,
  type TeamTargets
} from '../../../../kernel/records/team-record-sink';
import type { LabelRecord } from '../../../../core/label/record';
import { sampleRecord } from '../../fixtures/sample-record';
import { comparisonPayload } from './fixtures/tactics-payload';
import { trainingComparison } from './fixtures/training-payload';
import { FakeClock } from './fixtures/fake-clock';
import { fakeFetch } from './fixtures/fake-fetch';

const who: Attribution = {
  user: 'ann',
  server: null,
  notebook: 'nb.ipynb',
  kernelId: 'k',
  instance: 'k'
};

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'gaissa-team-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function teamSink(targets: TeamTargets, handler: Parameters<typeof fakeFetch>[0]) {
  const { fetch, sent } = fakeFetch(handler);
  const clock = new FakeClock();
  const warnings: string[] = [];
  let current = targets;
  const sink = new TeamRecordSink(new EmissionsFileSink(dir, { warn: () => {} }), () => current, {
    attribution: who,
    fetch,
    clock,
    warn: w => warnings.push(w),
    bounds: { maxTries: 2 }
  });
  return { sink, sent, clock, warnings, retarget: (t: TeamTargets) => (current = t) };
}

describe('TeamRecordSink', () => {
  it('writes the local files before and whatever the team servers do (a hung one included)', async () => {
    const { sink, sent, clock } = teamSink(
      { mlflowTrackingUri: 'http://m', pushgatewayUrl: 'http://p' },
      () => new Promise<never>(() => undefined)
    );
    const result = sink.write(sampleRecord('m-1'));
    expect(result.ok).toBe(true);
    expect(readMeasurementLog(join(dir, EMISSIONS_JSONL)).records.map(r => r.id)).toEqual(['m-1']);
    await clock.advance(0);
    expect(sent.map(r => new URL(r.url).host).sort()).toEqual(['m', 'p']);
    expect(sink.status().map(s => [s.name, s.pending])).toEqual([
      ['MLflow at http://m', 1],
      ['Pushgateway at http://p', 1]
    ]);
    const closing = sink.close(2000);
    await clock.advance(2000);
    const text = undeliveredText(await closing)!;
    expect(text).toContain('1 measurement(s) not delivered to MLflow at http://m');
    expect(text).toContain('m-1 (still waiting at exit');
  });

  it('sends a comparison and a model version label to MLflow only, and says what is missing', async () => {
    const { sink, sent, clock } = teamSink(
      { mlflowTrackingUri: 'http://m', pushgatewayUrl: 'http://p' },
      () => new Promise<never>(() => undefined)
    );
    expect(sink.hasMlflow()).toBe(true);
    sink.writeComparison(comparisonPayload());
    const label = { rating: 'A', model: { name: 'x' } } as unknown as LabelRecord;
    sink.writeLabel(label, () => '<svg/>', { name: 'x', version: '1' });
    await clock.advance(0);
    expect(sent.every(r => new URL(r.url).host === 'm')).toBe(true);
    const closing = sink.close(2000);
    await clock.advance(2000);
    const [mlflow, pushgateway] = await closing;
    expect(mlflow.notDelivered).toEqual({ measurements: 0, labels: 2, comparisons: 1 });
    expect(pushgateway.notDelivered).toEqual({ measurements: 0, labels: 0, comparisons: 0 });
    expect(undeliveredText([mlflow])).toMatch(
      /^gaissa: 2 label\(s\) and 1 comparison\(s\) not delivered to MLflow at http:\/\/m: comparison 1 .*label 1 \(A\) on models:\/x\/1/
    );
    expect(undeliveredText([mlflow])).not.toContain('gaissa-emissions');
  });

  it('sends a training comparison to MLflow only, and lists it by its kind when it cannot', async () => {
    const { sink, sent, clock } = teamSink(
      { mlflowTrackingUri: 'http://m', pushgatewayUrl: 'http://p' },
      () => new Promise<never>(() => undefined)
    );
    const { payload, training } = trainingComparison();
    sink.writeTrainingComparison(payload, training);
    await clock.advance(0);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every(r => new URL(r.url).host === 'm')).toBe(true);
    const closing = sink.close(2000);
    await clock.advance(2000);
    const [mlflow, pushgateway] = await closing;
    expect(mlflow.notDelivered).toEqual({ measurements: 0, labels: 0, comparisons: 1 });
    expect(pushgateway.notDelivered).toEqual({ measurements: 0, labels: 0, comparisons: 0 });
    expect(undeliveredText([mlflow])).toMatch(
      /^gaissa: 1 comparison\(s\) not delivered to MLflow at http:\/\/m: training comparison 1 /
    );
  });

  it('says once, without failing, a training comparison it cannot make into a table', () => {
    const { sink, warnings } = teamSink({ mlflowTrackingUri: 'http://m' }, () => ({ status: 200 }));
    const broken = { variants: null } as never;
    expect(() => sink.writeTrainingComparison(broken, {})).not.toThrow();
    expect(() => sink.writeTrainingComparison(broken, {})).not.toThrow();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: the training comparison not sent to the team servers/);
  });

  it('sends nowhere else when no team server is set', () => {
    const { sink, sent } = teamSink({}, () => ({ status: 200 }));
    expect(sink.write(sampleRecord('m-1')).ok).toBe(true);
    expect(sent).toEqual([]);
    expect(sink.status()).toEqual([]);
    expect(sinksText([])).toContain('No team server');
    expect(sink.hasMlflow()).toBe(false);
  });

  it('numbers the measurements of the session: the MLflow step', async () => {
    const steps: number[] = [];
    const { sink, clock } = teamSink({ mlflowTrackingUri: 'http://m' }, r => {
      if (r.url.includes('get-by-name'))
        return { status: 200, body: { experiment: { experiment_id: '1' } } };
      if (r.url.includes('runs/create'))
        return { status: 200, body: { run: { info: { run_id: 'r' } } } };
      steps.push(...JSON.parse(r.body).metrics.map((m: { step: number }) => m.step));
      return { status: 200, body: {} };
    });
    sink.write(sampleRecord('m-1'));
    sink.write(sampleRecord('m-2'));
    await clock.advance(0);
    expect([...new Set(steps)]).toEqual([1, 2]);
  });

  it('keeps a replaced server delivering what it holds, and lists both', async () => {
    const { sink, clock, retarget } = teamSink({ pushgatewayUrl: 'http://old' }, () => ({
      status: 200
    }));
    sink.write(sampleRecord('m-1'));
    retarget({ pushgatewayUrl: 'http://new' });
    sink.write(sampleRecord('m-2'));
    await clock.advance(0);
    expect(sink.status().map(s => [s.name, s.delivered])).toEqual([
      ['Pushgateway at http://old', 1],
      ['Pushgateway at http://new', 1]
    ]);
  });

  it('says per server what is failing and what was given up', async () => {
    const { sink, clock, warnings } = teamSink({ pushgatewayUrl: 'http://p' }, () => ({
      status: 503,
      body: 'down for maintenance'
    }));
    sink.write(sampleRecord('m-1'));
    await clock.advance(60_000);
    // Reported once, by the next write (the cell that shows it), not when it happened.
    expect(warnings).toEqual([]);
    sink.write(sampleRecord('m-2'));
    sink.write(sampleRecord('m-3'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Pushgateway at http://p: cannot deliver (HTTP 503');
    const text = sinksText(sink.status());
    expect(text).toContain(
      'Pushgateway at http://p: 0 delivered, 2 waiting, 1 not yet pushed (failing: HTTP 503: down for maintenance)'
    );
    expect(text).toContain(
      'not yet pushed: m-1: 2 tries failed (last: HTTP 503: down for maintenance)'
    );
  });

  it('never fails a write or a label for the team servers: the local record stays, said once', () => {
    const { sink, warnings } = teamSink({ pushgatewayUrl: 'http://[not a host' }, () => ({
      status: 200
    }));
    expect(sink.write(sampleRecord('m-1')).ok).toBe(true);
    expect(sink.write(sampleRecord('m-2')).ok).toBe(true);
    expect(() => sink.writeLabel({ rating: 'B' } as never, () => '<svg/>')).not.toThrow();
    expect(readMeasurementLog(join(dir, EMISSIONS_JSONL)).records.map(r => r.id)).toEqual([
      'm-1',
      'm-2'
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^warning: measurement m-1 not sent to the team servers \(.*Invalid URL.*\); it is in the local/
    );
  });

  it("sends MLflow's credentials from the environment only where the targets allow it", async () => {
    const { fetch, sent } = fakeFetch(() => new Promise<never>(() => undefined));
    const clock = new FakeClock();
    let current: TeamTargets = { mlflowTrackingUri: 'http://folder-file' };
    const sink = new TeamRecordSink(new EmissionsFileSink(dir, { warn: () => {} }), () => current, {
      attribution: who,
      env: { MLFLOW_TRACKING_TOKEN: 'tok' },
      fetch,
      clock,
      warn: () => {}
    });
    sink.write(sampleRecord('m-1'));
    current = { mlflowTrackingUri: 'http://chosen', mlflowEnvCredentials: true };
    sink.write(sampleRecord('m-2'));
    await clock.advance(0);
    expect(sent.map(r => [new URL(r.url).host, r.headers.authorization])).toEqual([
      ['folder-file', undefined],
      ['chosen', 'Bearer tok']
    ]);
  });
});
