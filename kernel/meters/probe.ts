/**
 * Which meter supplies each component here, and why a better one could not. The sampler runs the
 * same probe in its worker; the kernel shows it in `%gaissa meters` / `gaissa meters`.
 */
import type { EstimatorConstants, MeterMethod, MeterScope } from '../../core/measurement';
import { estimatorConstants } from './estimate';
import { probeNvidia, type NvidiaProbe } from './nvidia';
import { DEFAULT_POWERCAP_ROOT, discoverRapl, type RaplProbe, type SysfsReader } from './rapl';

/** Options shared by probeMeters and the sampler; plain data, so they can cross to the worker. */
export interface MeterOptions {
  /** Sampling interval while a measurement window is open, ms (default 100, i.e. 10 Hz). */
  intervalMs?: number;
  /** Interval of live updates (status-bar meter), ms (default 1000). */
  liveIntervalMs?: number;
  /** powercap sysfs root (default /sys/class/powercap); tests point it at a fixture tree. */
  raplRoot?: string;
  /** false: never use RAPL (e.g. to compare the estimator with it). */
  rapl?: boolean;
  /** false: never query GPUs. */
  nvidia?: boolean;
  /** nvidia-smi to run (default $GAISSA_NVIDIA_SMI, else `nvidia-smi` on PATH). */
  nvidiaSmi?: string;
  /** Environment for nvidia-smi (default this process's). */
  nvidiaEnv?: Record<string, string>;
  /** Estimator overrides. */
  tdpW?: number;
  ramWPerGB?: number;
  /** Also attribute this process and its live descendants (the CLI twin's command). */
  trackPid?: number;
}

export interface ComponentMeter {
  method: MeterMethod | null;
  scope: MeterScope | null;
}

export interface MeterProbe {
  cpu: ComponentMeter;
  ram: ComponentMeter;
  gpu: ComponentMeter;
  rapl: RaplProbe;
  nvidia: NvidiaProbe;
  estimator: EstimatorConstants;
  /** One line per meter that was not used, saying why. */
  fallbackReasons: string[];
}

export async function probeMeters(
  options: MeterOptions = {},
  sysfs?: SysfsReader
): Promise<MeterProbe> {
  const root = options.raplRoot ?? DEFAULT_POWERCAP_ROOT;
  const rapl: RaplProbe =
    options.rapl === false
      ? {
          available: false,
          reason: 'RAPL turned off in the settings',
          root,
          zones: [],
          counted: [],
          hasDram: false
        }
      : discoverRapl(root, sysfs);
  const nvidia: NvidiaProbe =
    options.nvidia === false
      ? {
          available: false,
          reason: 'GPU metering turned off in the settings',
          binary: options.nvidiaSmi ?? 'nvidia-smi',
          fields: [],
          energyCounter: false,
          gpus: []
        }
      : await probeNvidia({ binary: options.nvidiaSmi, env: options.nvidiaEnv });
  const estimator = estimatorConstants({ tdpW: options.tdpW, ramWPerGB: options.ramWPerGB });
  const fallbackReasons: string[] = [];
  if (!rapl.available) fallbackReasons.push(`CPU energy estimated: ${rapl.reason}`);
  else if (!rapl.hasDram) fallbackReasons.push('RAM energy estimated: RAPL has no dram zone here');
  for (const zone of rapl.available ? rapl.counted : []) {
    if (!Number.isFinite(zone.maxEnergyRangeUj)) {
      fallbackReasons.push(
        `RAPL ${zone.name}: max_energy_range_uj unreadable, so a counter wrap cannot be corrected; such an interval is filled in, not counted`
      );
    }
  }
  if (!nvidia.available) fallbackReasons.push(`no GPU energy: ${nvidia.reason}`);
  return {
    cpu: rapl.available
      ? { method: 'rapl', scope: 'machine' }
      : { method: 'estimate', scope: 'process' },
    ram:
      rapl.available && rapl.hasDram
        ? { method: 'rapl', scope: 'machine' }
        : { method: 'estimate', scope: 'process' },
    gpu: nvidia.available ? { method: 'nvml', scope: 'device' } : { method: null, scope: null },
    rapl,
    nvidia,
    estimator,
    fallbackReasons
  };
}
