/**
 * The services our plugins provide one another, each a Token and its interface: a plugin names
 * the token in `requires` or `optional`, so any part can be replaced, or tested alone with a fake.
 * Types only, besides the tokens: importing this file loads nothing else.
 */
import type { NotebookPanel } from '@jupyterlab/notebook';
import { Token } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';
import type { MeterConnection } from './plugins/meters/meter-connection';
import type { NotebookMeasurements } from './plugins/notebook/notebook-measurements';
import type { GaissaSettings } from './plugins/settings/gaissa-settings';

/** Commands one plugin adds and others run. */
export const CommandIDs = {
  /** Opens the measurements panel (the status-bar meter runs it when clicked). */
  showMeasurements: 'gaissa:show-measurements',
  /** Opens the team view (the team's measurements and labels from MLflow). */
  showTeamView: 'gaissa:show-team-view'
} as const;

export const IGaissaSettings = new Token<IGaissaSettings>(
  'gaissa-jupyterlab:IGaissaSettings',
  'The user’s GAISSA settings (Settings Editor), checked field by field, and their changes.'
);

export interface IGaissaSettings {
  /** The settings now: the defaults until the user's are loaded. */
  readonly current: Readonly<GaissaSettings>;
  /** Emitted with the new settings whenever they are (re)read, the first load included. */
  readonly changed: ISignal<IGaissaSettings, Readonly<GaissaSettings>>;
  /**
   * Settles once the user's settings are read, or could not be (the defaults then stay). It never
   * rejects: start-up never waits for it, but a kernel's first message should.
   */
  readonly loaded: Promise<void>;
}

export const IGaissaMeters = new Token<IGaissaMeters>(
  'gaissa-jupyterlab:IGaissaMeters',
  'The live power meters of GAISSA kernels, one comm per kernel, and the one of the active notebook.'
);

export interface IGaissaMeters {
  /** The meter of the active notebook's kernel; null when that is not a GAISSA kernel. */
  readonly active: MeterConnection | null;
  /** Emitted when `active` becomes another meter (or null). */
  readonly activeChanged: ISignal<IGaissaMeters, MeterConnection | null>;
}

export const INotebookMeasurements = new Token<INotebookMeasurements>(
  'gaissa-jupyterlab:INotebookMeasurements',
  'The energy measurements of each open notebook, from its outputs and its cells’ metadata.'
);

export interface INotebookMeasurements {
  /** The measurements of a notebook; undefined for a notebook we do not watch. */
  find(panel: NotebookPanel): NotebookMeasurements | undefined;
  /** Emitted with the notebook whose measurements changed. */
  readonly changed: ISignal<INotebookMeasurements, NotebookPanel>;
}
