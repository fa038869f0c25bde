// nvidia-smi is a fake shell script put first on PATH (fixtures/fake-nvidia-smi.sh): these
// machines have no NVIDIA GPU. The meter runs it exactly as it would run the real tool.
import { probeMeters } from '../../../../kernel/meters/probe';
import { SamplingEngine } from '../../../../kernel/meters/sampling-engine';
import { rmSync } from 'node:fs';
import {
  NvidiaSampleStream,
  parseNvidiaCsv,
  probeNvidia,
  type NvidiaGpuSample
} from '../../../../kernel/meters/nvidia';
import { envWithFake, installFakeNvidiaSmi } from './fixtures/fake-nvidia-smi';

const fake = installFakeNvidiaSmi();
afterAll(() => rmSync(fake.dir, { recursive: true, force: true }));

describe('parseNvidiaCsv', () => {
  it('reads values and treats [N/A] / [Not Supported] as missing', () => {
    const fields = ['index', 'name', 'power.draw', 'total_energy_consumption'];
    const gpus = parseNvidiaCsv(
      '0, NVIDIA A100-SXM4-40GB, 61.52, 123456\n1, Tesla T4, [N/A], [Not Supported]\n',
      fields
    );
    expect(gpus).toEqual([
      { index: 0, name: 'NVIDIA A100-SXM4-40GB', powerW: 61.52, energyMJ: 123456 },
      { index: 1, name: 'Tesla T4', powerW: null, energyMJ: null }
    ]);
  });

  it('keeps a comma inside the GPU name', () => {
    const gpus = parseNvidiaCsv('3, Odd, Name, 12.5\n', ['index', 'name', 'power.draw']);
    expect(gpus).toEqual([{ index: 3, name: 'Odd, Name', powerW: 12.5, energyMJ: null }]);
  });

  it('prefers power.draw.instant over the one-second average', () => {
    const gpus = parseNvidiaCsv('0, G, 80.0, 95.5\n', [
      'index',
      'name',
      'power.draw',
      'power.draw.instant'
    ]);
    expect(gpus[0].powerW).toBe(95.5);
  });
});

describe('probeNvidia', () => {
  it('uses the energy counter where the driver offers it', async () => {
    const probe = await probeNvidia({
      env: envWithFake(fake.dir, { FAKE_NVSMI_COUNTER: '1' })
    });
    expect(probe.available).toBe(true);
    expect(probe.fields).toContain('total_energy_consumption');
    expect(probe.energyCounter).toBe(true);
    expect(probe.gpus.map(g => [g.index, g.powerW])).toEqual([
      [0, 100],
      [1, 50]
    ]);
  });

  it('falls back to power.draw when total_energy_consumption is not a valid field', async () => {
    const probe = await probeNvidia({ env: envWithFake(fake.dir) });
    expect(probe.available).toBe(true);
    expect(probe.fields).toEqual(['index', 'name', 'power.draw']);
    expect(probe.energyCounter).toBe(false);
  });

  it('retries without the counter when help lists it but the query rejects it', async () => {
    // Help text that names the field while the query refuses it: the probe must not give up.
    const probe = await probeNvidia({
      binary: fake.binary,
      env: envWithFake(fake.dir, { FAKE_NVSMI_HELP_COUNTER: '1' })
    });
    expect(probe.available).toBe(true);
    expect(probe.binary).toBe(fake.binary);
    expect(probe.fields).not.toContain('total_energy_consumption');
    expect(probe.energyCounter).toBe(false);
  });

  it('treats a machine without GPUs as "no GPU", not as an error', async () => {
    const probe = await probeNvidia({ env: envWithFake(fake.dir, { FAKE_NVSMI_GPUS: '0' }) });
    expect(probe.available).toBe(false);
    expect(probe.reason).toMatch(/no GPU/);
  });

  it('treats a missing nvidia-smi as "no NVIDIA driver"', async () => {
    const probe = await probeNvidia({ binary: '/nonexistent/nvidia-smi' });
    expect(probe.available).toBe(false);
    expect(probe.reason).toMatch(/not found/);
  });
});

describe('NvidiaSampleStream', () => {
  // Issue #15: a counter line reading N/A was integrated from power and then counted again by
  // the next counter step. The fake draws 100 W on GPU 0; every other line's counter is N/A.
  it('counts the energy of a stream with N/A counter lines once', async () => {
    const env = envWithFake(fake.dir, { FAKE_NVSMI_COUNTER: '1', FAKE_NVSMI_COUNTER_NA: '1' });
    const probe = await probeNvidia({ env });
    expect(probe.fields).toContain('total_energy_consumption');
    const base = await probeMeters({ rapl: false, nvidia: false });
    const engine = new SamplingEngine(
      { ...base, nvidia: probe, gpu: { method: 'nvml', scope: 'device' } },
      {}
    );
    const seen: NvidiaGpuSample[] = [];
    const stream = new NvidiaSampleStream(
      probe,
      50,
      (s, at) => {
        seen.push(s);
        engine.gpuSample(s, at);
      },
      { env }
    );
    stream.start();
    await new Promise(resolve => setTimeout(resolve, 300));
    const t0 = engine.now();
    engine.begin(1, t0);
    await new Promise(resolve => setTimeout(resolve, 1000));
    const t1 = engine.now();
    // Wait for a line after the window's end, as the sampler thread does.
    while (engine.awaitsGpu(t1)) await new Promise(resolve => setTimeout(resolve, 20));
    stream.stop();
    const reading = engine.end(1, t1);
    engine.close();
    expect(seen.some(s => s.index === 0 && s.energyMJ === null)).toBe(true);
    const gpu0 = reading.gpus.find(g => g.index === 0)!;
    // 100 W over the window; counting the N/A steps twice would give about 150 J.
    expect(gpu0.energyJ / ((t1 - t0) / 1000)).toBeGreaterThan(85);
    expect(gpu0.energyJ / ((t1 - t0) / 1000)).toBeLessThan(115);
    expect(gpu0.coverage).toBe(1);
  });

  it('streams one line per GPU per interval from a single nvidia-smi --loop-ms', async () => {
    const probe = await probeNvidia({ env: envWithFake(fake.dir) });
    const samples: Array<[NvidiaGpuSample, number]> = [];
    const stream = new NvidiaSampleStream(probe, 100, (s, at) => samples.push([s, at]), {
      env: envWithFake(fake.dir)
    });
    stream.start();
    await new Promise(resolve => setTimeout(resolve, 700));
    stream.stop();
    const gpu0 = samples.filter(([s]) => s.index === 0);
    const gpu1 = samples.filter(([s]) => s.index === 1);
    expect(gpu0.length).toBeGreaterThanOrEqual(3);
    expect(gpu1.length).toBeGreaterThanOrEqual(3);
    expect(gpu0.every(([s]) => s.powerW === 100)).toBe(true);
  });
});
