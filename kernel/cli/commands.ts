/**
 * Every `gaissa` subcommand, in the order `gaissa --help` lists them. Loaded on demand, so that
 * `gaissa kernel` (started by Jupyter for every notebook) does not pay for the other commands.
 */
import { Command } from './command';

export const commands: Record<string, () => Promise<Command>> = {
  kernel: () => import('./kernel').then(m => m.kernel),
  install: () => import('./install').then(m => m.install),
  uninstall: () => import('./install').then(m => m.uninstall),
  measure: () => import('./measure').then(m => m.measure),
  optimize: () => import('./optimize').then(m => m.optimize),
  compare: () => import('./optimize').then(m => m.compare),
  roi: () => import('./roi').then(m => m.roi),
  label: () => import('./label').then(m => m.label),
  sci: () => import('./sci').then(m => m.sci),
  card: () => import('./card').then(m => m.card),
  badge: () => import('./badge').then(m => m.badge),
  hf: () => import('./hf').then(m => m.hf),
  predict: () => import('./predict').then(m => m.predict),
  calibrate: () => import('./predict').then(m => m.calibrate),
  version: () => import('./version').then(m => m.version)
};
