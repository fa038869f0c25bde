/**
 * Forecast of a whole training run from its first epochs, in the Carbontracker tradition
 * (Anthony, Kanding and Selvan, "Carbontracker: Tracking and Predicting the Carbon Footprint of
 * Training Deep Learning Models", 2020): measure the first epoch(s), then
 *
 *   E_total = sum of the measured epochs + mean epoch energy x (planned epochs - measured epochs)
 *
 * and the same for duration; CO2e follows from the energy (core/carbon.ts). At the end the
 * forecast is set against what the run really cost.
 */
import { co2eGrams, type CarbonSettings } from './carbon';

export interface EpochCost {
  energyJ: number;
  durationS: number;
}

export type ForecastCarbon = Pick<CarbonSettings, 'pue' | 'carbonIntensityGPerKWh'>;

export interface TrainingForecast {
  /** Epochs the forecast rests on (the first ones of the run). */
  basedOnEpochs: number;
  plannedEpochs: number;
  /** Mean of the measured epochs. */
  perEpoch: EpochCost;
  /** The whole planned run. */
  energyJ: number;
  durationS: number;
  co2eG: number;
}

function checkCost(cost: EpochCost, i: number): void {
  for (const key of ['energyJ', 'durationS'] as const) {
    const value = cost[key];
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`epoch ${i + 1}: ${key} must be a number >= 0, got ${value}`);
    }
  }
}

/** The whole run's energy, duration and CO2e, predicted from the epochs measured so far. */
export function forecastTraining(
  measured: readonly EpochCost[],
  plannedEpochs: number,
  carbon: ForecastCarbon
): TrainingForecast {
  if (measured.length === 0) throw new RangeError('a forecast needs at least one measured epoch');
  if (!Number.isInteger(plannedEpochs) || plannedEpochs < measured.length) {
    throw new RangeError(
      `planned epochs must be an integer >= the ${measured.length} measured, got ${plannedEpochs}`
    );
  }
  measured.forEach(checkCost);
  const sumEnergy = measured.reduce((a, c) => a + c.energyJ, 0);
  const sumDuration = measured.reduce((a, c) => a + c.durationS, 0);
  const perEpoch = {
    energyJ: sumEnergy / measured.length,
    durationS: sumDuration / measured.length
  };
  const remaining = plannedEpochs - measured.length;
  const energyJ = sumEnergy + perEpoch.energyJ * remaining;
  return {
    basedOnEpochs: measured.length,
    plannedEpochs,
    perEpoch,
    energyJ,
    durationS: sumDuration + perEpoch.durationS * remaining,
    co2eG: co2eGrams(energyJ, carbon)
  };
}

export interface ForecastCheck {
  forecast: TrainingForecast;
  actual: { epochs: number; energyJ: number; durationS: number; co2eG: number };
  /**
   * The forecast restated for the epochs that really ran (a run stopped early plans more epochs
   * than it runs): what the forecast said those epochs would cost.
   */
  forecastForActualEpochs: { energyJ: number; durationS: number; co2eG: number };
  /** (forecast - actual) / actual x 100 for those epochs: positive means over-forecast. */
  energyErrorPercent: number;
  durationErrorPercent: number;
}

function errorPercent(forecast: number, actual: number): number {
  if (actual === 0) return forecast === 0 ? 0 : Infinity;
  return ((forecast - actual) / actual) * 100;
}

/** Forecast vs what the run cost, epoch for epoch. */
export function checkForecast(
  forecast: TrainingForecast,
  epochs: readonly EpochCost[],
  carbon: ForecastCarbon
): ForecastCheck {
  epochs.forEach(checkCost);
  const energyJ = epochs.reduce((a, c) => a + c.energyJ, 0);
  const durationS = epochs.reduce((a, c) => a + c.durationS, 0);
  // The forecast's own figures for the first measured epochs, its mean for the others.
  const basis = Math.min(forecast.basedOnEpochs, epochs.length);
  const rest = epochs.length - basis;
  const basisEnergy = epochs.slice(0, basis).reduce((a, c) => a + c.energyJ, 0);
  const basisDuration = epochs.slice(0, basis).reduce((a, c) => a + c.durationS, 0);
  const forecastEnergy = basisEnergy + forecast.perEpoch.energyJ * rest;
  const forecastDuration = basisDuration + forecast.perEpoch.durationS * rest;
  return {
    forecast,
    actual: { epochs: epochs.length, energyJ, durationS, co2eG: co2eGrams(energyJ, carbon) },
    forecastForActualEpochs: {
      energyJ: forecastEnergy,
      durationS: forecastDuration,
      co2eG: co2eGrams(forecastEnergy, carbon)
    },
    energyErrorPercent: errorPercent(forecastEnergy, energyJ),
    durationErrorPercent: errorPercent(forecastDuration, durationS)
  };
}
