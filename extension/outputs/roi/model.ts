/**
 * The ROI widget's model: the kernel's payload, the values of the inputs (and what is wrong with
 * text typed into them), what core derives from them (computeRoi and roiSensitivity from
 * core/roi.ts, the very functions the kernel ran), and the state saved in the notebook. No DOM:
 * the view (view.ts) renders it and re-renders on `changed`, as JupyterLab's status items pair a
 * model with a renderer.
 *
 * Every change is checked by core before it is computed: invalid input keeps the last valid
 * result and says why in `messages`, so no NaN reaches the view.
 */
import { Signal, type ISignal } from '@lumino/signaling';
import {
  computeRoi,
  roiSensitivity,
  type RoiPayload,
  type RoiResult,
  type RoiScenario,
  type RoiSensitivity
} from '../../../core/roi';
import {
  ROI_CONTROLS,
  controlSpec,
  groupDefaults,
  parseInput,
  unitText,
  type RoiControlField,
  type RoiGroup
} from './controls';
import {
  checkedScenario,
  controlValues,
  readSavedState,
  sameValues,
  type ControlValues
} from './state';

/** The state is written to the notebook this long after the last change. */
export const PERSIST_DELAY_MS = 250;

export interface RoiModelOptions {
  /** Saves the state in the notebook; null goes back to the kernel's scenario. */
  persist(values: ControlValues | null): void;
}

export class RoiModel {
  readonly payload: RoiPayload;
  /** The kernel scenario's values of the inputs. */
  readonly kernelValues: Readonly<ControlValues>;
  readonly currency: string | null;

  constructor(payload: RoiPayload, metadata: unknown, options: RoiModelOptions) {
    this.payload = payload;
    this.persist = options.persist;
    this.kernelValues = controlValues(payload.scenario);
    this.currency = payload.scenario.currency ?? null;
    this._values = { ...this.kernelValues };
    this._scenario = payload.scenario;
    this._result = payload.result;
    const saved = readSavedState(metadata);
    if (saved.kind === 'invalid') {
      this._notice = `The slider state saved in this notebook was ignored: ${saved.reason}.`;
    } else if (saved.kind === 'ok') {
      this.adopt(saved.values, 'The slider state saved in this notebook was ignored');
    }
    this.recompute();
  }

  /** Emitted after every change of the values, the problems, the results or the notice. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The inputs' current valid values (null: the field is left out of the scenario). */
  get values(): Readonly<ControlValues> {
    return this._values;
  }

  /** Inputs whose typed text is not a valid value, with the message to show. */
  get problems(): ReadonlyMap<RoiControlField, string> {
    return this._problems;
  }

  /** Why the results are not those of the current inputs; empty when they are. */
  get messages(): readonly string[] {
    return this._messages;
  }

  /** A saved state that was not taken, and why; null when there is nothing to say. */
  get notice(): string | null {
    return this._notice;
  }

  /** The last valid scenario, and core's result and sensitivity for it. */
  get scenario(): RoiScenario {
    return this._scenario;
  }

  get result(): RoiResult {
    return this._result;
  }

  get sensitivity(): RoiSensitivity | null {
    return this._sensitivity;
  }

  /** The inputs differ from the kernel's scenario. */
  get adjusted(): boolean {
    return !sameValues(this._values, this.kernelValues);
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Whether a group of inputs is in the scenario (a group with a typed problem counts as on). */
  groupOn(group: RoiGroup): boolean {
    if (group === 'time') return this._values.inferencesPerDay !== null;
    if (group === 'carbon') {
      return this._values.carbonIntensity !== null || this._problems.has('carbonIntensity');
    }
    return true;
  }

  /** What an input shows: its value, or in a switched-on group its neutral value. */
  shownValue(field: RoiControlField): number | null {
    const value = this._values[field];
    if (value !== null) return value;
    const spec = controlSpec(field);
    return this.groupOn(spec.group) ? (spec.neutral ?? null) : null;
  }

  /** A valid value from a slider, in scenario units. */
  setValue(field: RoiControlField, value: number): void {
    if (this._disposed || !Number.isFinite(value)) return;
    this.store(field, value);
    this._problems.delete(field);
    this.update();
    this.schedulePersist();
  }

  /** Text typed into a number box: a value, or a problem shown until it is fixed. */
  setText(field: RoiControlField, text: string): void {
    if (this._disposed) return;
    const parsed = parseInput(controlSpec(field), text);
    if (parsed.ok) {
      this._problems.delete(field);
      this.store(field, parsed.value);
    } else {
      this._problems.set(field, parsed.message);
    }
    this.update();
    if (parsed.ok) this.schedulePersist();
  }

  /**
   * Switches an optional group on (from the kernel's values, or defaults; a grid intensity is
   * never invented, so it becomes a problem until typed) or off (all its fields left out).
   */
  setGroup(group: RoiGroup, on: boolean): void {
    if (this._disposed) return;
    const fields = ROI_CONTROLS.filter(c => c.group === group).map(c => c.field);
    const defaults = on ? groupDefaults(group, this.payload.scenario) : {};
    for (const field of fields) {
      const value = on ? (this.kernelValues[field] ?? defaults[field] ?? null) : null;
      this._values[field] = value;
      const spec = controlSpec(field);
      if (on && value === null && spec.neutral === undefined) {
        this._problems.set(
          field,
          `${spec.label}: enter a value (${unitText(spec, this.currency)}).`
        );
      } else {
        this._problems.delete(field);
      }
    }
    this.update();
    this.schedulePersist();
  }

  /** Back to the kernel's scenario; the saved state goes at once. */
  reset(): void {
    if (this._disposed) return;
    this._values = { ...this.kernelValues };
    this._problems.clear();
    this._notice = null;
    this.update();
    this.cancelPersist();
    this.persist(null);
  }

  /** The output's metadata changed (another view of it, a collaborator): take its state. */
  applySaved(metadata: unknown): void {
    if (this._disposed) return;
    const saved = readSavedState(metadata);
    const values =
      saved.kind === 'ok' ? { ...this.kernelValues, ...saved.values } : this.kernelValues;
    if (saved.kind === 'invalid' || sameValues(values, this._values)) return;
    if (this.adopt(values, 'A slider state from another view was ignored')) {
      this._problems.clear();
      this.update();
    } else {
      this._changed.emit();
    }
  }

  /** Writes a pending state now (before the output goes away); no change is taken after. */
  dispose(): void {
    if (this._disposed) return;
    if (this.persistTimer !== null) {
      this.cancelPersist();
      this.persistNow();
    }
    this._disposed = true;
    Signal.clearData(this);
  }

  // ---- internals -----------------------------------------------------------------------------

  /** Takes saved values if core accepts the scenario they give; says why not otherwise. */
  private adopt(values: Partial<ControlValues>, ignored: string): boolean {
    const merged = { ...this.kernelValues, ...values };
    const checked = checkedScenario(this.payload.scenario, merged);
    if (!checked.ok) {
      this._notice = `${ignored}: ${checked.messages.slice(0, 2).join('; ')}.`;
      return false;
    }
    this._values = merged;
    return true;
  }

  /**
   * The neutral value of a field the kernel left out (growth 0, PUE 1) leaves it out again, so
   * moving a slider there and back reads as the kernel's scenario.
   */
  private store(field: RoiControlField, value: number): void {
    const neutral = this.kernelValues[field] === null && value === controlSpec(field).neutral;
    this._values[field] = neutral ? null : value;
  }

  private update(): void {
    this.recompute();
    this._changed.emit();
  }

  /** The messages of the current values; core runs again only when the values changed. */
  private recompute(): void {
    const messages = [...this._problems.values()];
    if (messages.length === 0) {
      if (this.lastRun === null || !sameValues(this._values, this.lastRun.values)) {
        this.lastRun = { values: { ...this._values }, messages: this.run() };
      }
      messages.push(...this.lastRun.messages);
    }
    this._messages = messages;
  }

  /** Core's check, result and sensitivity for the values; kept only when all succeed. */
  private run(): string[] {
    const checked = checkedScenario(this.payload.scenario, this._values);
    if (!checked.ok) return checked.messages;
    try {
      const kernel = sameValues(this._values, this.kernelValues);
      const result = kernel ? this.payload.result : computeRoi(checked.scenario);
      this._sensitivity = roiSensitivity(checked.scenario);
      this._result = result;
      this._scenario = checked.scenario;
      return [];
    } catch (error) {
      return [`The ROI could not be computed: ${(error as Error).message}`];
    }
  }

  private schedulePersist(): void {
    this.cancelPersist();
    this.persistTimer = setTimeout(() => this.persistNow(), PERSIST_DELAY_MS);
  }

  private cancelPersist(): void {
    if (this.persistTimer !== null) clearTimeout(this.persistTimer);
    this.persistTimer = null;
  }

  private persistNow(): void {
    this.persistTimer = null;
    if (this._problems.size > 0) return;
    this.persist(this.adjusted ? { ...this._values } : null);
  }

  private readonly persist: (values: ControlValues | null) => void;
  private readonly _changed = new Signal<this, void>(this);
  private _values: ControlValues;
  private readonly _problems = new Map<RoiControlField, string>();
  private _messages: readonly string[] = [];
  private _notice: string | null = null;
  private _scenario: RoiScenario;
  private _result: RoiResult;
  private _sensitivity: RoiSensitivity | null = null;
  /** The values core last ran for, and its messages (none: the results are theirs). */
  private lastRun: { values: ControlValues; messages: string[] } | null = null;
  private persistTimer: ReturnType<typeof setTimeout> | null = null;
  private _disposed = false;
}
