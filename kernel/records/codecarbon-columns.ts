/**
 * CodeCarbon's `emissions.csv` columns, in CodeCarbon's order, so that tools written for
 * CodeCarbon read `gaissa-emissions.csv`. Source: CodeCarbon 3.3.2 (PyPI), the field order of the
 * EmissionsData dataclass in codecarbon/output_methods/emissions_data.py, which FileOutput writes
 * as the CSV header; units from codecarbon/emissions_tracker.py and the "Output" page of its docs.
 * CodeCarbon multiplies powers and energies by the PUE, and so do we in these columns.
 */
export const CODECARBON_COLUMNS = [
  'timestamp', // "%Y-%m-%dT%H:%M:%S", local time
  'project_name',
  'run_id',
  'experiment_id',
  'duration', // s
  'emissions', // kg CO2eq
  'emissions_rate', // kg CO2eq / s
  'cpu_power', // W (x PUE)
  'gpu_power', // W (x PUE)
  'ram_power', // W (x PUE)
  'cpu_energy', // kWh (x PUE)
  'gpu_energy', // kWh (x PUE)
  'ram_energy', // kWh (x PUE)
  'energy_consumed', // kWh (x PUE), cpu + gpu + ram
  'water_consumed', // L
  'country_name',
  'country_iso_code', // ISO 3166-1 alpha-3
  'region',
  'cloud_provider',
  'cloud_region',
  'os',
  'python_version',
  'codecarbon_version',
  'cpu_count',
  'cpu_model',
  'gpu_count',
  'gpu_model',
  'longitude',
  'latitude',
  'ram_total_size', // GB
  'tracking_mode', // "machine" | "process"
  'cpu_utilization_percent',
  'gpu_utilization_percent',
  'ram_utilization_percent',
  'ram_used_gb',
  'on_cloud', // "Y" | "N"
  'pue',
  'wue' // L/kWh
] as const;

/** Our columns after CodeCarbon's: provenance and statistics CodeCarbon has no place for. */
export const GAISSA_COLUMNS = [
  'gaissa_id',
  'gaissa_label',
  'gaissa_status',
  'gaissa_method', // rapl | nvml | estimate (estimate whenever coverage < 1)
  'gaissa_estimated', // true | false (coverage < 1)
  'gaissa_cpu_method',
  'gaissa_gpu_method',
  'gaissa_ram_method',
  'gaissa_provenance', // measured | partly-measured | estimated
  'gaissa_coverage', // 0..1: share of the energy a hardware counter measured
  'gaissa_cpu_coverage',
  'gaissa_gpu_coverage',
  'gaissa_ram_coverage',
  'gaissa_started_at', // ISO 8601, UTC
  'gaissa_ended_at',
  'gaissa_repeat_n',
  'gaissa_warmup',
  'gaissa_energy_j_mean', // J per run, IT energy (before PUE)
  'gaissa_energy_j_sd',
  'gaissa_energy_j_ci95_low',
  'gaissa_energy_j_ci95_high',
  'gaissa_duration_s_mean',
  'gaissa_co2e_g_mean', // g per run
  'gaissa_carbon_intensity_g_per_kwh',
  'gaissa_carbon_intensity_source',
  'gaissa_cost', // all runs, in gaissa_currency
  'gaissa_currency',
  'gaissa_price_per_kwh',
  'gaissa_baseline_power_w',
  'gaissa_dynamic_energy_j', // J per run above the idle baseline
  'gaissa_cpu_tdp_w',
  'gaissa_fallback_reasons',
  'gaissa_version'
] as const;

export const EMISSIONS_CSV_COLUMNS: readonly string[] = [...CODECARBON_COLUMNS, ...GAISSA_COLUMNS];
