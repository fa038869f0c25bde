/** A meter that reports a fixed energy per window: training tests need numbers, not a sampler. */
import type { MeterReading } from '../../../core/measurement';
import { resolveCarbonSettings } from '../../../core/carbon';
import type { EnergyMeter } from '../../../kernel/training/training-meter';

export function fakeReading(
  energyJ: number,
  durationS = 1,
  method: 'rapl' | 'estimate' = 'rapl'
): MeterReading {
  const startedAt = Date.now();
  return {
    startedAt,
    endedAt: startedAt + durationS * 1000,
    durationS,
    components: {
      cpu: { energyJ, method, scope: 'machine', coverage: method === 'rapl' ? 1 : 0 },
      gpu: { energyJ: 0, method: null, scope: null, coverage: 1 },
      ram: { energyJ: 0, method, scope: 'machine', coverage: method === 'rapl' ? 1 : 0 }
    },
    gpus: [],
    intervals: [],
    constants: { samplingIntervalMs: 100 },
    host: {
      os: 'test',
      cpuModel: 'test cpu',
      logicalCpus: 1,
      ramTotalGB: 1,
      gpuCount: 0,
      gpuModel: null
    },
    fallbackReasons: [],
    notes: [],
    cpuUtilisationPercent: 100,
    ramUsedGB: 0.1,
    samples: 1,
    samplerCpuS: 0
  };
}

/**
 * Every window reports `energyJ(index)` joules (index counts windows as they end), read by the
 * meter `method(index)` says (RAPL by default).
 */
export function fakeMeter(
  energyJ: (index: number) => number = () => 1000,
  method: (index: number) => 'rapl' | 'estimate' = () => 'rapl'
): EnergyMeter & {
  ended: number;
} {
  const meter = {
    ended: 0,
    begin() {
      return {
        end: async () => {
          const index = meter.ended++;
          return fakeReading(energyJ(index), 1, method(index));
        }
      };
    }
  };
  return meter;
}

/** The options a unit test passes: its own meter, fixed carbon settings, no log files. */
export function testEnvironment(energyJ?: (index: number) => number) {
  return {
    meter: fakeMeter(energyJ),
    carbon: resolveCarbonSettings({ region: 'FR' }),
    log: false as const,
    display: false
  };
}
