/**
 * Text and HTML views of a training run: the live progress (updated in place while training) and
 * the final report. Every string from the user (names, metric keys) is escaped.
 */
import { provenanceText, type Provenance } from '../../core/provenance';
import { escapeMarkup, formatCo2e, formatEnergy, formatNumber, plainText } from '../../core/format';
import type { TrainingForecast } from '../../core/training-forecast';
import type { PredictionCheck, TrainingPrediction } from '../predict/training-prediction';
import type { MimeBundle } from '../display';
import type { EpochRecord, StopInfo, TrainingRunData } from './training-run';

/** A display the recorder updates in place (made by the API layer; null outside a notebook). */
export interface LiveDisplay {
  update(bundle: MimeBundle): void;
}

export interface ProgressState {
  name: string;
  /** e.g. "variant 2 of 4" in a comparison. */
  header?: string;
  plannedEpochs: number | null;
  epochs: readonly EpochRecord[];
  current: { epoch: number; batch: number; batches: number | null } | null;
  forecast: TrainingForecast | null;
  /** Made before the first epoch; `noPrediction` says why there is none. */
  prediction?: TrainingPrediction | null;
  noPrediction?: string | null;
  stopped: StopInfo | null;
  /** null until the first reading: nothing is measured before anything was read. */
  method: Provenance | null;
  coverage: number | null;
}

const isAccuracy = (metric: string) => /acc/i.test(metric);

export function formatMetric(metric: string, value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  return isAccuracy(metric) ? `${(value * 100).toFixed(2)} %` : formatNumber(value);
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  if (seconds < 60) return `${formatNumber(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

function metricNames(epochs: readonly EpochRecord[]): string[] {
  const names: string[] = [];
  for (const e of epochs)
    for (const k of Object.keys(e.metrics)) if (!names.includes(k)) names.push(k);
  return names;
}

/** Nothing after measured figures; the provenance otherwise ("no reading yet" before any). */
function estimatedMark(method: Provenance | null, coverage: number | null): string {
  if (method === null || coverage === null) return ' (no reading yet)';
  return method === 'measured' ? '' : ` (${provenanceText(coverage)})`;
}

function forecastLine(forecast: TrainingForecast): string {
  return (
    `forecast for ${forecast.plannedEpochs} epochs (from ${forecast.basedOnEpochs}): ` +
    `${formatEnergy(forecast.energyJ)}, ${formatDuration(forecast.durationS)}, ${formatCo2e(forecast.co2eG)}`
  );
}

/** Always says "predicted": a prediction is never shown as a measurement. */
export function predictionLine(p: TrainingPrediction): string {
  return (
    `predicted before training (not measured) for ${p.epochs} epochs: ` +
    `${formatEnergy(p.energyJ)} (${formatEnergy(p.low)} .. ${formatEnergy(p.high)}), ` +
    `${formatDuration(p.durationS)}; ${formatNumber(p.trainingFlopsPerSample)} FLOP per training sample, ` +
    `calibration of ${p.basis.points} points, meter ${p.basis.meter.method}`
  );
}

/** PRE and STEP against the measured epochs; the actual carries its own provenance. */
export function predictionCheckLine(check: PredictionCheck, actualMark: string): string {
  const n = check.actual.epochs;
  const step = check.step
    ? `; forecast after epoch ${check.step.afterEpochs}: ${formatEnergy(check.step.energyJ)} (${signed(check.step.energyErrorPercent)} %)`
    : '';
  return (
    `predicted vs actual for the ${n} epoch${n === 1 ? '' : 's'} run: ` +
    `before training ${formatEnergy(check.pre.energyJ)} (${signed(check.pre.energyErrorPercent)} %, ` +
    `${check.pre.inInterval ? 'inside' : 'outside'} its interval)${step}; ` +
    `actual ${formatEnergy(check.actual.energyJ)}${actualMark}`
  );
}

function stopLine(stopped: StopInfo): string {
  return `stopped after epoch ${stopped.epoch}: ${stopped.detail}`;
}

function epochRows(epochs: readonly EpochRecord[], metrics: string[]): string[][] {
  return epochs.map(e => [
    String(e.epoch),
    ...metrics.map(m => formatMetric(m, e.metrics[m])),
    formatDuration(e.durationS),
    formatEnergy(e.energyJ),
    e.frozenLayers.length > 0 ? `${e.frozenLayers.length} frozen` : 'all',
    e.events.join('; ')
  ]);
}

function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function htmlTable(header: string[], rows: string[][]): string {
  const head = header.map(h => `<th>${escapeMarkup(h)}</th>`).join('');
  const body = rows
    .map(r => `<tr>${r.map(c => `<td>${escapeMarkup(c)}</td>`).join('')}</tr>`)
    .join('');
  return `<table class="gaissa-training-epochs"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function tableHeader(metrics: string[]): string[] {
  return ['epoch', ...metrics, 'time', 'energy', 'layers', 'notes'];
}

function progressLines(state: ProgressState): string[] {
  const energy = state.epochs.reduce((a, e) => a + e.energyJ, 0);
  const planned = state.plannedEpochs === null ? '' : `/${state.plannedEpochs}`;
  const lines: string[] = [];
  const title = `Training '${plainText(state.name)}'` + (state.header ? ` (${state.header})` : '');
  if (state.current) {
    const batch =
      state.current.batches === null
        ? `batch ${state.current.batch + 1}`
        : `batch ${state.current.batch + 1}/${state.current.batches}`;
    lines.push(`${title}: epoch ${state.current.epoch}${planned}, ${batch}`);
  } else {
    lines.push(`${title}: ${state.epochs.length}${planned} epochs done`);
  }
  lines.push(
    `energy so far: ${formatEnergy(energy)}${estimatedMark(state.method, state.coverage)}`
  );
  if (state.prediction) lines.push(predictionLine(state.prediction));
  if (state.noPrediction) lines.push(plainText(state.noPrediction));
  if (state.forecast) lines.push(forecastLine(state.forecast));
  if (state.stopped) lines.push(stopLine(state.stopped));
  return lines;
}

export function progressText(state: ProgressState): string {
  const metrics = metricNames(state.epochs);
  const lines = progressLines(state);
  if (state.epochs.length === 0) return lines.join('\n');
  return `${lines.join('\n')}\n\n${textTable(tableHeader(metrics), epochRows(state.epochs, metrics))}`;
}

export function progressHtml(state: ProgressState): string {
  const metrics = metricNames(state.epochs);
  const lines = progressLines(state).map(l => `<div>${escapeMarkup(l)}</div>`);
  const table =
    state.epochs.length > 0
      ? htmlTable(tableHeader(metrics), epochRows(state.epochs, metrics))
      : '';
  return `<div class="gaissa-training">${lines.join('')}${table}</div>`;
}

function summaryLines(run: TrainingRunData): string[] {
  const lines: string[] = [];
  const ran = run.epochs.length;
  const planned = run.plannedEpochs === null ? '' : ` of ${run.plannedEpochs} planned`;
  lines.push(
    `Training '${plainText(run.name)}': ${ran} epoch${ran === 1 ? '' : 's'}${planned}, ` +
      `${formatEnergy(run.energyJ)}${estimatedMark(run.method, run.coverage)}, ${formatDuration(run.durationS)}, ` +
      `${formatCo2e(run.co2eG)}`
  );
  if (run.stopped) lines.push(stopLine(run.stopped));
  if (run.bestEpoch !== null && run.earlyStopping) {
    const monitor = run.earlyStopping.monitor;
    lines.push(
      `best ${monitor} at epoch ${run.bestEpoch} (${formatMetric(monitor, run.epochs[run.bestEpoch - 1]?.metrics[monitor])})` +
        (run.restoredBestWeights ? ': its weights were restored' : '')
    );
  }
  if (run.frozenAtEnd.length > 0) {
    lines.push(`frozen at the end: ${run.frozenAtEnd.map(plainText).join(', ')}`);
  }
  if (run.test) {
    const parts = [];
    if (run.test.accuracy !== null)
      parts.push(`accuracy ${formatMetric('acc', run.test.accuracy)}`);
    if (run.test.loss !== null) parts.push(`loss ${formatNumber(run.test.loss)}`);
    if (parts.length > 0) lines.push(`test: ${parts.join(', ')}`);
  }
  const check = run.forecastCheck;
  if (check) {
    lines.push(forecastLine(check.forecast));
    const f = check.forecastForActualEpochs;
    lines.push(
      `forecast vs actual for the ${check.actual.epochs} epochs run: ` +
        `energy ${formatEnergy(f.energyJ)} vs ${formatEnergy(check.actual.energyJ)} ` +
        `(${signed(check.energyErrorPercent)} %), ` +
        `time ${formatDuration(f.durationS)} vs ${formatDuration(check.actual.durationS)} ` +
        `(${signed(check.durationErrorPercent)} %)`
    );
  }
  if (run.prediction) lines.push(predictionLine(run.prediction));
  if (run.noPrediction) lines.push(plainText(run.noPrediction));
  if (run.predictionCheck) {
    const mark = estimatedMark(run.method, run.coverage);
    lines.push(predictionCheckLine(run.predictionCheck, mark || ' (measured)'));
  }
  for (const note of run.notes) lines.push(`note: ${plainText(note)}`);
  if (run.logged) lines.push(`record: ${plainText(run.logged)}`);
  return lines;
}

function signed(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  const rounded = Number(value.toFixed(1));
  return rounded > 0 ? `+${rounded}` : String(rounded);
}

export function runText(run: TrainingRunData): string {
  const metrics = metricNames(run.epochs);
  return `${summaryLines(run).join('\n')}\n\n${textTable(tableHeader(metrics), epochRows(run.epochs, metrics))}`;
}

export function runHtml(run: TrainingRunData): string {
  const metrics = metricNames(run.epochs);
  const [title, ...rest] = summaryLines(run);
  return (
    `<div class="gaissa-training"><div><strong>${escapeMarkup(title)}</strong></div>` +
    rest.map(l => `<div>${escapeMarkup(l)}</div>`).join('') +
    htmlTable(tableHeader(metrics), epochRows(run.epochs, metrics)) +
    '</div>'
  );
}
