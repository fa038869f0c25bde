/**
 * One measurement record as a row of `gaissa-emissions.csv`: CodeCarbon's columns with
 * CodeCarbon's units (s, kg CO2eq, kWh and W including PUE), then ours. A row covers all the
 * measured runs, as a CodeCarbon row covers what its tracker saw; per-run figures are in ours.
 */
import { gramsToKilograms, joulesToKWh } from '../../core/units';
import {
  coverageOfComponent,
  coverageOfRecord,
  provenanceOf,
  type MeasurementRecord
} from '../../core/measurement';
import { EMISSIONS_CSV_COLUMNS } from './codecarbon-columns';

export interface CsvRowContext {
  /** CodeCarbon's project_name; default "gaissa". */
  projectName?: string;
  /** CodeCarbon's run_id (e.g. the kernel session); default the record id. */
  runId?: string;
  experimentId?: string;
  /** Version of this package, for gaissa_version. */
  toolVersion?: string;
}

type Cell = string | number | boolean | null | undefined;

/** RFC 4180: quote a field holding a comma, quote or line break; double inner quotes. */
export function csvField(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text =
    typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly Cell[]): string {
  return cells.map(csvField).join(',') + '\n';
}

export const EMISSIONS_CSV_HEADER = csvLine(EMISSIONS_CSV_COLUMNS);

/** CodeCarbon's timestamp format, "%Y-%m-%dT%H:%M:%S" in local time. */
export function codecarbonTimestamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}` +
    `T${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`
  );
}

/** The cells of one row, keyed by column. */
export function emissionsCsvCells(
  record: MeasurementRecord,
  context: CsvRowContext = {}
): Record<string, Cell> {
  const n = record.repeat.n;
  const duration = record.total.durationS;
  const pue = record.pue;
  // Components are per-run means; the row covers all runs.
  const totalKWh = (energyJ: number) => joulesToKWh(energyJ * n) * pue;
  const powerW = (energyJ: number) => (duration > 0 ? ((energyJ * n) / duration) * pue : 0);
  const { cpu, gpu, ram } = record.components;
  const emissionsKg = gramsToKilograms(record.total.co2eG);
  const ci = record.repeat.energyJ.ci95;
  // Records written before coverage existed read as 1 (estimated false) or 0.
  const coverage = coverageOfRecord(record);
  return {
    timestamp: codecarbonTimestamp(new Date(record.endedAt)),
    project_name: context.projectName ?? 'gaissa',
    run_id: context.runId ?? record.id,
    experiment_id: context.experimentId ?? '',
    duration,
    emissions: emissionsKg,
    emissions_rate: duration > 0 ? emissionsKg / duration : 0,
    cpu_power: powerW(cpu.energyJ),
    gpu_power: powerW(gpu.energyJ),
    ram_power: powerW(ram.energyJ),
    cpu_energy: totalKWh(cpu.energyJ),
    gpu_energy: totalKWh(gpu.energyJ),
    ram_energy: totalKWh(ram.energyJ),
    energy_consumed: totalKWh(cpu.energyJ + gpu.energyJ + ram.energyJ),
    // No water model (CodeCarbon's default WUE is 0 too).
    water_consumed: 0,
    country_name: record.regionName,
    country_iso_code: record.region,
    region: '',
    cloud_provider: record.host.cloudProvider ?? '',
    cloud_region: '',
    os: record.host.os,
    python_version: '',
    codecarbon_version: '',
    cpu_count: record.host.logicalCpus,
    cpu_model: record.host.cpuModel,
    gpu_count: record.host.gpuCount,
    gpu_model: record.host.gpuModel ? `${record.host.gpuCount} x ${record.host.gpuModel}` : '',
    longitude: '',
    latitude: '',
    ram_total_size: record.host.ramTotalGB,
    tracking_mode: cpu.scope === 'process' ? 'process' : 'machine',
    cpu_utilization_percent: record.cpuUtilisationPercent,
    // Not measured: left empty rather than 0.
    gpu_utilization_percent: '',
    ram_utilization_percent: '',
    ram_used_gb: record.ramUsedGB,
    // Y where the firmware names a provider; empty where none was recognised (unknown, not "N").
    on_cloud: record.host.cloudProvider ? 'Y' : '',
    pue,
    wue: 0,
    gaissa_id: record.id,
    gaissa_label: record.label,
    gaissa_status: record.status,
    gaissa_method: record.method,
    gaissa_estimated: record.estimated,
    gaissa_cpu_method: cpu.method,
    gaissa_gpu_method: gpu.method,
    gaissa_ram_method: ram.method,
    gaissa_provenance: provenanceOf(coverage),
    gaissa_coverage: coverage,
    // As in the JSONL: an absent component (no GPU) has coverage 1, nothing to miss.
    gaissa_cpu_coverage: coverageOfComponent(cpu),
    gaissa_gpu_coverage: coverageOfComponent(gpu),
    gaissa_ram_coverage: coverageOfComponent(ram),
    gaissa_started_at: record.startedAt,
    gaissa_ended_at: record.endedAt,
    gaissa_repeat_n: n,
    gaissa_warmup: record.repeat.warmup,
    gaissa_energy_j_mean: record.energyJ,
    gaissa_energy_j_sd: record.repeat.energyJ.sd,
    gaissa_energy_j_ci95_low: ci?.low,
    gaissa_energy_j_ci95_high: ci?.high,
    gaissa_duration_s_mean: record.durationS,
    gaissa_co2e_g_mean: record.co2eG,
    gaissa_carbon_intensity_g_per_kwh: record.carbonIntensityGPerKWh,
    gaissa_carbon_intensity_source: record.carbonIntensitySource,
    gaissa_cost: record.total.cost,
    gaissa_currency: record.currency,
    gaissa_price_per_kwh: record.pricePerKWh,
    gaissa_baseline_power_w: record.baseline?.powerW,
    gaissa_dynamic_energy_j: record.dynamicEnergyJ,
    gaissa_cpu_tdp_w: record.constants.estimator?.cpuTdpW,
    gaissa_fallback_reasons: record.fallbackReasons.join('; '),
    gaissa_version: context.toolVersion ?? ''
  };
}

export function emissionsCsvRow(record: MeasurementRecord, context: CsvRowContext = {}): string {
  const cells = emissionsCsvCells(record, context);
  return csvLine(EMISSIONS_CSV_COLUMNS.map(column => cells[column]));
}

/** Parse RFC 4180 text into rows (quoted fields may hold commas, quotes and line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
