/**
 * The ROI widget (root class `gaissa-roi`): the kernel's ROI payload as headline figures, sliders
 * and live charts. Every recomputation is core's: computeRoi and roiSensitivity from core/roi.ts,
 * the very functions the kernel ran; this file only reads inputs and writes text.
 *
 * Safety: the payload is validated against schema/roi.schema.json first; its strings become text
 * nodes (safe-dom), never markup; the one link (the source of a literature what-if) must be https.
 * Invalid input (a typed "abc", a price of 0) shows a message and keeps the last valid figures:
 * no NaN reaches the screen. The slider state goes back into the notebook through `persist`.
 *
 * Loaded on demand with the first ROI output (it brings ajv's compiled validator and core/roi);
 * the charts' code (Vega) is a further chunk, fetched through `loadCharts`.
 */
import {
  computeRoi,
  roiSensitivity,
  type RoiPayload,
  type RoiResult,
  type RoiScenario,
  type RoiSensitivity
} from '../../../core/roi';
import {
  co2Chart,
  costChart,
  roiChartColors,
  tornadoChart,
  type ChartContent,
  type RoiChartColors
} from './chart-spec';
import type { RoiChartSet } from './charts';
import {
  OPTIONAL_GROUPS,
  ROI_CONTROLS,
  controlSpec,
  fromShown,
  groupDefaults,
  inputText,
  parseInput,
  rangeFor,
  toShown,
  unitText,
  valueText,
  type RoiControlField,
  type RoiControlSpec,
  type RoiGroup
} from './controls';
import {
  expectedText,
  formatCo2Kg,
  formatDays,
  formatInferences,
  formatMoney,
  formatPercent
} from './format';
import {
  checkedScenario,
  controlValues,
  readSavedState,
  sameValues,
  type ControlValues
} from './state';
import { validateRoiPayload } from './validation';

/** For the renderer, which writes the state into the output's metadata. */
export { withSavedState } from './state';
import { clear, el } from '../../shared/safe-dom';
import { recordDuration } from '../../shared/timing';
import { formatNumber, formatSI } from '../../../core/format';

export const ROI_CLASS = 'gaissa-roi';

/** User Timing entries (read by bench/roi-slider.ts): per input event, until figures / charts. */
export const ROI_TIMING = {
  figures: 'gaissa:roi-figures',
  update: 'gaissa:roi-update'
} as const;

/** Slider state is written to the notebook this long after the last move. */
export const PERSIST_DELAY_MS = 250;

export interface RoiWidgetOptions {
  /** Saves the slider state in the notebook; null goes back to the kernel's scenario. */
  persist(values: ControlValues | null): void;
  /** The chart code, loaded on demand. */
  loadCharts(): Promise<{ createRoiCharts: typeof import('./charts').createRoiCharts }>;
}

export interface RoiWidgetHandle {
  node: HTMLElement;
  /** Settles once the first charts are drawn (or could not be). */
  ready: Promise<void>;
  /** The output's metadata changed (another view of it, a collaborator): show its state. */
  applySaved(metadata: unknown): void;
  /** Writes a pending state now (before the output goes away) and frees the charts. */
  dispose(): void;
}

let widgetCount = 0;

/**
 * On each input: JupyterLab's notebook shortcuts (arrows, A, B, D D...) must not act while a
 * slider or a number box has the focus. Lumino stops looking at the first element that has the
 * attribute or matches a shortcut's selector, and `.jp-Notebook... :focus` matches the focused
 * input itself, so the attribute has to be on the input, not on a container.
 */
const SUPPRESS_SHORTCUTS = { 'data-lm-suppress-shortcuts': 'true' } as const;

let shortcutFilterInstalled = false;

/**
 * Keys with Ctrl, Meta or Alt, and Shift+Enter, are JupyterLab's again (Ctrl+S saves the
 * notebook with a slider focused): JupyterLab reads keys on `document` in the capture phase, so
 * this listener on `window`, which runs first, lifts the suppression for just those keys.
 */
function installShortcutFilter(): void {
  if (shortcutFilterInstalled || typeof window === 'undefined') return;
  shortcutFilterInstalled = true;
  window.addEventListener(
    'keydown',
    event => {
      const target = event.target;
      if (!(target instanceof HTMLInputElement) || !target.closest(`.${ROI_CLASS}`)) return;
      const command =
        event.ctrlKey || event.metaKey || event.altKey || (event.shiftKey && event.key === 'Enter');
      if (command) target.removeAttribute('data-lm-suppress-shortcuts');
      else target.setAttribute('data-lm-suppress-shortcuts', 'true');
    },
    true
  );
}

/** The widget for an untrusted payload and the output's metadata (where the state is saved). */
export function renderRoi(
  payload: unknown,
  metadata: unknown,
  options: RoiWidgetOptions
): RoiWidgetHandle {
  const checked = validateRoiPayload(payload);
  if (!checked.ok) {
    return {
      node: invalidRoi(checked.errors),
      ready: Promise.resolve(),
      applySaved: () => undefined,
      dispose: () => undefined
    };
  }
  installShortcutFilter();
  return new RoiWidget(checked.payload, metadata, options);
}

export function invalidRoi(errors: readonly string[]): HTMLElement {
  return el(
    'div',
    { className: `${ROI_CLASS} gaissa-roi-invalid`, attrs: { role: 'alert' } },
    el('strong', {}, 'Invalid GAISSA ROI output: '),
    'this output does not match the ROI schema (v1), so it is not shown.',
    el('ul', {}, ...errors.map(e => el('li', {}, e)))
  );
}

interface Control {
  spec: RoiControlSpec;
  range: HTMLInputElement;
  text: HTMLInputElement;
  error: HTMLElement;
  /** The kernel's value (or the group default) the slider's range was sized for. */
  initial: number | undefined;
}

interface Figure {
  label: HTMLElement;
  value: HTMLElement;
  detail: HTMLElement;
}

type FigureKey = 'breakEven' | 'payback' | 'roi' | 'npv' | 'co2';

interface PendingCharts {
  result: RoiResult;
  sensitivity: RoiSensitivity | null;
  start: number;
}

class RoiWidget implements RoiWidgetHandle {
  readonly node: HTMLElement;
  ready: Promise<void> = Promise.resolve();

  private readonly kernel: RoiPayload;
  private readonly kernelValues: ControlValues;
  private readonly currency: string | null;
  /** The inputs' current valid values. */
  private values: ControlValues;
  /** Fields whose typed text is not a valid value, with the message shown. */
  private readonly problems = new Map<RoiControlField, string>();
  private readonly controls = new Map<RoiControlField, Control>();
  private readonly toggles = new Map<RoiGroup, HTMLInputElement>();
  private readonly fieldsets = new Map<RoiGroup, HTMLFieldSetElement>();
  private readonly figures = new Map<FigureKey, Figure>();
  private readonly prefix = `gaissa-roi-${++widgetCount}`;

  private readonly messages: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly status: HTMLElement;
  private readonly resetButton: HTMLButtonElement;
  private readonly figureList: HTMLElement;
  private readonly unitCosts: HTMLElement;
  private readonly yearly: HTMLDetailsElement;
  private readonly chartHosts: { cost: HTMLElement; co2: HTMLElement; tornado: HTMLElement };

  private charts: RoiChartSet | null = null;
  private chartsFailed = false;
  private pending: PendingCharts | null = null;
  private drawing: Promise<void> | null = null;
  private persistTimer: ReturnType<typeof setTimeout> | null = null;
  private lastResult: RoiResult;
  private lastSensitivity: RoiSensitivity | null = null;
  /** Redraws the charts in the new theme's colours (JupyterLab marks the theme on <body>). */
  private readonly themeWatch: MutationObserver | null = null;
  private disposed = false;

  constructor(
    payload: RoiPayload,
    metadata: unknown,
    private readonly options: RoiWidgetOptions
  ) {
    this.kernel = payload;
    this.kernelValues = controlValues(payload.scenario);
    this.currency = payload.scenario.currency ?? null;
    this.values = { ...this.kernelValues };
    this.lastResult = payload.result;

    this.messages = el('div', {
      className: 'gaissa-roi-messages',
      attrs: { 'aria-live': 'polite', id: `${this.prefix}-messages` }
    });
    this.notice = el('p', { className: 'gaissa-roi-notice', attrs: { role: 'status' } });
    this.notice.hidden = true;
    this.status = el('span', { className: 'gaissa-roi-status' });
    this.resetButton = el(
      'button',
      {
        className: 'gaissa-roi-reset jp-Button',
        attrs: { type: 'button', title: 'Back to the scenario the kernel computed' }
      },
      'Reset'
    );
    this.resetButton.addEventListener('click', () => this.reset());
    this.figureList = el('dl', { className: 'gaissa-roi-figures' });
    for (const key of ['breakEven', 'payback', 'roi', 'npv', 'co2'] as FigureKey[]) {
      const figure: Figure = {
        label: el('dt', {}),
        value: el('span', { className: 'gaissa-roi-value' }),
        detail: el('span', { className: 'gaissa-roi-detail' })
      };
      this.figures.set(key, figure);
      this.figureList.appendChild(
        el(
          'div',
          { className: 'gaissa-roi-figure', attrs: { 'data-figure': key } },
          figure.label,
          el('dd', {}, figure.value, figure.detail)
        )
      );
    }
    this.unitCosts = el('p', { className: 'gaissa-roi-unit-costs' });
    this.chartHosts = {
      cost: chartHost('cost'),
      co2: chartHost('co2'),
      tornado: chartHost('tornado')
    };
    this.yearly = el(
      'details',
      { className: 'gaissa-roi-yearly' },
      el('summary', {}, 'Year by year')
    ) as HTMLDetailsElement;
    this.yearly.addEventListener('toggle', () => this.renderYearly());

    this.node = el(
      'div',
      {
        className: ROI_CLASS,
        attrs: {
          role: 'group',
          'aria-label': payload.expected ? 'GAISSA ROI what-if (expected)' : 'GAISSA ROI analysis',
          'data-expected': payload.expected ? 'true' : 'false'
        }
      },
      this.header(),
      payload.expected ? this.expectedBlock() : null,
      this.energies(),
      this.notice,
      this.figureList,
      this.unitCosts,
      this.messages,
      this.controlsBlock(),
      el(
        'div',
        { className: 'gaissa-roi-charts' },
        chartFigure('Cumulative cost: baseline vs optimized', this.chartHosts.cost),
        chartFigure('CO2e avoided over time', this.chartHosts.co2),
        chartFigure('Sensitivity: which input moves the result most', this.chartHosts.tornado, true)
      ),
      this.yearly
    );

    const saved = readSavedState(metadata);
    if (saved.kind === 'invalid') {
      this.showNotice(`The slider state saved in this notebook was ignored: ${saved.reason}.`);
    } else if (saved.kind === 'ok') {
      this.adopt(saved.values, 'The slider state saved in this notebook was ignored');
    }
    this.syncControls();
    this.update(performance.now());
    this.ready = this.drawing ?? Promise.resolve();
    if (typeof MutationObserver === 'function' && typeof document !== 'undefined') {
      this.themeWatch = new MutationObserver(() => this.onThemeChange());
      this.themeWatch.observe(document.body, { attributeFilter: ['data-jp-theme-name'] });
    }
  }

  // ---- state -------------------------------------------------------------------------------

  /** Takes saved values if core accepts the scenario they give; says why not otherwise. */
  private adopt(values: Partial<ControlValues>, ignored: string): boolean {
    const merged = { ...this.kernelValues, ...values };
    const checked = checkedScenario(this.kernel.scenario, merged);
    if (!checked.ok) {
      this.showNotice(`${ignored}: ${checked.messages.slice(0, 2).join('; ')}.`);
      return false;
    }
    this.values = merged;
    return true;
  }

  applySaved(metadata: unknown): void {
    if (this.disposed) return;
    const saved = readSavedState(metadata);
    const values =
      saved.kind === 'ok' ? { ...this.kernelValues, ...saved.values } : this.kernelValues;
    if (saved.kind === 'invalid' || sameValues(values, this.values)) return;
    if (!this.adopt(values, 'A slider state from another view was ignored')) return;
    this.problems.clear();
    this.syncControls();
    this.update(performance.now());
  }

  private reset(): void {
    this.values = { ...this.kernelValues };
    this.problems.clear();
    this.hideNotice();
    this.syncControls();
    this.update(performance.now());
    this.cancelPersist();
    this.options.persist(null);
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
    if (this.problems.size > 0) return;
    this.options.persist(sameValues(this.values, this.kernelValues) ? null : { ...this.values });
  }

  dispose(): void {
    if (this.disposed) return;
    if (this.persistTimer !== null) this.persistNow();
    this.disposed = true;
    this.themeWatch?.disconnect();
    this.charts?.dispose();
    this.charts = null;
  }

  // ---- inputs ------------------------------------------------------------------------------

  private groupOn(group: RoiGroup): boolean {
    if (group === 'time') return this.values.inferencesPerDay !== null;
    if (group === 'carbon') {
      return this.values.carbonIntensity !== null || this.problems.has('carbonIntensity');
    }
    return true;
  }

  private onSlide(control: Control): void {
    const start = performance.now();
    const { spec, range } = control;
    const value = Number(range.value);
    if (!Number.isFinite(value)) return;
    const scenarioValue = fromShown(spec, value);
    this.store(spec, scenarioValue);
    this.problems.delete(spec.field);
    control.text.value = inputText(spec, scenarioValue);
    this.showControlState(control);
    this.update(start);
    this.schedulePersist();
  }

  private onType(control: Control): void {
    const start = performance.now();
    const { spec } = control;
    const parsed = parseInput(spec, control.text.value);
    if (parsed.ok) {
      this.problems.delete(spec.field);
      this.store(spec, parsed.value);
      this.placeSlider(control, parsed.value);
    } else {
      this.problems.set(spec.field, parsed.message);
    }
    this.showControlState(control);
    this.update(start);
    if (parsed.ok) this.schedulePersist();
  }

  private onToggle(group: RoiGroup, on: boolean): void {
    const start = performance.now();
    const fields = ROI_CONTROLS.filter(c => c.group === group).map(c => c.field);
    if (on) {
      const defaults = groupDefaults(group, this.kernel.scenario);
      for (const field of fields) {
        const value = this.kernelValues[field] ?? defaults[field] ?? null;
        this.values[field] = value;
        if (value === null && controlSpec(field).neutral === undefined) {
          this.problems.set(
            field,
            `${controlSpec(field).label}: enter a value (${unitText(controlSpec(field), this.currency)}).`
          );
        }
      }
    } else {
      for (const field of fields) {
        this.values[field] = null;
        this.problems.delete(field);
      }
    }
    this.syncControls();
    this.update(start);
    if (on) {
      const missing = fields.find(f => this.problems.has(f));
      if (missing) this.controls.get(missing)?.text.focus();
    }
    this.schedulePersist();
  }

  /**
   * A value from an input. The neutral value of a field the kernel left out (growth 0, PUE 1)
   * leaves it out again, so moving a slider there and back reads as the kernel's scenario.
   */
  private store(spec: RoiControlSpec, value: number): void {
    const neutral = this.kernelValues[spec.field] === null && value === spec.neutral;
    this.values[spec.field] = neutral ? null : value;
  }

  /** What an input shows: its value, or in a switched-on group its neutral value. */
  private shownValue(spec: RoiControlSpec): number | null {
    const value = this.values[spec.field];
    if (value !== null) return value;
    return this.groupOn(spec.group) ? (spec.neutral ?? null) : null;
  }

  /** Puts every input in line with `values` (after a reset, a toggle, a saved state). */
  private syncControls(): void {
    for (const { group } of OPTIONAL_GROUPS) {
      const on = this.groupOn(group);
      const toggle = this.toggles.get(group);
      if (toggle) toggle.checked = on;
      const fieldset = this.fieldsets.get(group);
      if (fieldset) {
        fieldset.disabled = !on;
        fieldset.setAttribute('data-on', String(on));
        const off = fieldset.querySelector<HTMLElement>('.gaissa-roi-group-off');
        if (off) off.hidden = on;
      }
    }
    for (const control of this.controls.values()) {
      const value = this.shownValue(control.spec);
      if (!this.problems.has(control.spec.field)) {
        control.text.value = value === null ? '' : inputText(control.spec, value);
      }
      if (value !== null) this.placeSlider(control, value);
      this.showControlState(control);
    }
  }

  private placeSlider(control: Control, value: number): void {
    const { spec, range } = control;
    const r = rangeFor(spec, control.initial, toShown(spec, value));
    if (range.max !== String(r.max)) range.max = String(r.max);
    range.value = String(toShown(spec, value));
    range.setAttribute('aria-valuetext', valueText(spec, value, this.currency));
  }

  private showControlState(control: Control): void {
    const problem = this.problems.get(control.spec.field);
    control.error.textContent = problem ?? '';
    control.error.hidden = problem === undefined;
    if (problem) control.text.setAttribute('aria-invalid', 'true');
    else control.text.removeAttribute('aria-invalid');
    const value = this.shownValue(control.spec);
    if (value !== null && !problem) {
      control.range.setAttribute('aria-valuetext', valueText(control.spec, value, this.currency));
    }
  }

  // ---- recomputation -----------------------------------------------------------------------

  /** Recomputes with core and rewrites the figures; the charts follow asynchronously. */
  private update(start: number): void {
    if (this.disposed) return;
    const problems = [...this.problems.values()];
    let scenario: RoiScenario | null = null;
    if (problems.length === 0) {
      const checked = checkedScenario(this.kernel.scenario, this.values);
      if (checked.ok) scenario = checked.scenario;
      else problems.push(...checked.messages);
    }
    let result: RoiResult | null = null;
    let sensitivity: RoiSensitivity | null = null;
    if (scenario) {
      try {
        result = sameValues(this.values, this.kernelValues)
          ? this.kernel.result
          : computeRoi(scenario);
        sensitivity = roiSensitivity(scenario);
      } catch (error) {
        problems.push(`The ROI could not be computed: ${(error as Error).message}`);
        result = null;
      }
    }
    this.showProblems(problems);
    const adjusted = !sameValues(this.values, this.kernelValues);
    this.status.textContent = adjusted
      ? 'Adjusted with the sliders (saved with the notebook).'
      : 'The scenario the kernel computed.';
    this.resetButton.disabled = !adjusted && this.problems.size === 0;
    this.node.setAttribute('data-adjusted', String(adjusted));
    if (!result) return;
    this.lastResult = result;
    this.lastSensitivity = sensitivity;
    this.renderFigures(result, scenario as RoiScenario);
    if (this.yearly.open) this.renderYearly();
    recordDuration(ROI_TIMING.figures, start);
    this.scheduleCharts({ result, sensitivity, start });
  }

  private showProblems(problems: string[]): void {
    clear(this.messages);
    const stale = problems.length > 0;
    this.node.setAttribute('data-valid', String(!stale));
    this.figureList.classList.toggle('gaissa-roi-stale', stale);
    if (!stale) return;
    this.messages.appendChild(
      el(
        'div',
        { className: 'gaissa-roi-problem' },
        el('strong', {}, 'Not recomputed: '),
        'the figures and charts show the last valid scenario.',
        el('ul', {}, ...problems.map(p => el('li', {}, p)))
      )
    );
  }

  private showNotice(text: string): void {
    this.notice.textContent = text;
    this.notice.hidden = false;
  }

  private hideNotice(): void {
    this.notice.textContent = '';
    this.notice.hidden = true;
  }

  private setFigure(key: FigureKey, label: string, value: string, detail: string): void {
    const figure = this.figures.get(key) as Figure;
    if (figure.label.textContent !== label) figure.label.textContent = label;
    figure.value.textContent = value;
    figure.detail.textContent = detail;
  }

  private renderFigures(r: RoiResult, s: RoiScenario): void {
    const money = (x: unknown) => formatMoney(x, this.currency);
    const why = (field: string) => r.explanations[field] ?? '';
    const timed = r.npv !== undefined;
    const years = r.yearly?.length ?? 0;
    const n = formatNumber(r.inferences);

    this.setFigure(
      'breakEven',
      'Break-even',
      r.breakEvenInferences === null ? 'none' : formatInferences(r.breakEvenInferences),
      r.breakEvenInferences === null
        ? why('breakEvenInferences')
        : `saving ${money(r.savingPerInference)} per inference`
    );
    this.setFigure(
      'payback',
      'Payback',
      !timed ? 'n/a' : r.paybackDays === null ? 'never' : formatDays(r.paybackDays),
      !timed ? 'needs a time scenario' : why('paybackDays')
    );
    this.setFigure(
      'roi',
      `ROI after ${n} inferences`,
      r.roi === null ? 'n/a' : formatPercent(r.roi),
      r.roi === null
        ? why('roi')
        : `net ${money(r.netSavings)}; unlimited use ${r.roiUnlimited === null ? 'n/a' : formatPercent(r.roiUnlimited)}`
    );
    this.setFigure(
      'npv',
      timed ? `NPV over ${years} year${years === 1 ? '' : 's'}` : 'NPV',
      timed ? money(r.npv) : 'n/a',
      timed
        ? `discount rate ${formatNumber(toShown(controlSpec('discountRate'), s.discountRate ?? 0))} % per year`
        : 'needs a time scenario'
    );
    const total = r.yearly?.[years - 1]?.cumulativeCo2SavedKg;
    this.setFigure(
      'co2',
      'CO2e avoided',
      r.co2SavedKg === null ? 'n/a' : formatCo2Kg(r.co2SavedKg),
      r.co2SavedKg === null
        ? 'no carbon intensity given'
        : `after ${n} inferences` +
            (typeof total === 'number' ? `; ${formatCo2Kg(total)} over ${years} years` : '')
    );
    this.unitCosts.textContent =
      `Cost per inference: baseline ${money(r.costPerInferenceBaseline)}, ` +
      `optimized ${money(r.costPerInferenceOptimized)}` +
      (r.explanations.effectivePricePerKWh
        ? ` (${r.explanations.effectivePricePerKWh}: ${money(r.effectivePricePerKWh)} per kWh)`
        : '') +
      '.';
  }

  private renderYearly(): void {
    if (!this.yearly.open) return;
    const summary = this.yearly.querySelector('summary') as HTMLElement;
    clear(this.yearly);
    this.yearly.appendChild(summary);
    const rows = this.lastResult.yearly ?? [];
    if (rows.length === 0) {
      this.yearly.appendChild(el('p', {}, 'No time scenario: switch on "Model over time".'));
      return;
    }
    const money = (x: unknown) => formatMoney(x, this.currency);
    const head = ['Year', 'Inferences', 'Savings', 'Cumulative net', 'NPV', 'CO2e avoided'];
    this.yearly.appendChild(
      el(
        'table',
        {},
        el('thead', {}, el('tr', {}, ...head.map(h => el('th', { attrs: { scope: 'col' } }, h)))),
        el(
          'tbody',
          {},
          ...rows.map(y =>
            el(
              'tr',
              {},
              el('th', { attrs: { scope: 'row' } }, formatNumber(y.year)),
              el('td', {}, formatNumber(y.inferences)),
              el('td', {}, money(y.savings)),
              el('td', {}, money(y.cumulativeNetSavings)),
              el('td', {}, money(y.npv)),
              el('td', {}, y.co2SavedKg === null ? 'n/a' : formatCo2Kg(y.co2SavedKg))
            )
          )
        )
      )
    );
  }

  // ---- charts ------------------------------------------------------------------------------

  /** Draws the latest figures; moves that arrive while a draw runs are folded into the next. */
  private scheduleCharts(next: PendingCharts): void {
    if (this.chartsFailed) return;
    this.pending = this.pending
      ? { ...next, start: Math.min(this.pending.start, next.start) }
      : next;
    if (this.drawing) return;
    this.drawing = this.drawLoop().finally(() => (this.drawing = null));
  }

  private async drawLoop(): Promise<void> {
    try {
      while (this.pending && !this.disposed) {
        if (!this.charts) {
          const { createRoiCharts } = await this.options.loadCharts();
          if (this.disposed) return;
          // A theme change may have dropped the set while the chunk loaded.
          this.charts ??= createRoiCharts(this.chartHosts);
        }
        const charts = this.charts;
        const { result, sensitivity, start } = this.pending;
        this.pending = null;
        await charts.draw(this.chartContents(result, sensitivity));
        recordDuration(ROI_TIMING.update, start);
      }
    } catch (error) {
      // The figures above stay readable; only the pictures are missing.
      this.chartsFailed = true;
      this.pending = null;
      const text = `The charts could not be drawn (${(error as Error)?.message ?? error}).`;
      for (const host of Object.values(this.chartHosts)) {
        host.removeAttribute('role');
        host.textContent = text;
      }
    }
  }

  private chartContents(
    result: RoiResult,
    sensitivity: RoiSensitivity | null
  ): { cost: ChartContent; co2: ChartContent; tornado: ChartContent } {
    const colors = this.colors();
    return {
      cost: costChart(result, colors),
      co2: co2Chart(result, colors),
      tornado: sensitivity
        ? tornadoChart(sensitivity, this.currency, colors)
        : { kind: 'none', reason: 'No sensitivity for this scenario.' }
    };
  }

  private onThemeChange(): void {
    if (this.disposed) return;
    this.cachedColors = null;
    // New colours are a new spec: drop the live views so the next draw embeds afresh.
    this.charts?.dispose();
    this.charts = null;
    this.scheduleCharts({
      result: this.lastResult,
      sensitivity: this.lastSensitivity,
      start: performance.now()
    });
  }

  private cachedColors: RoiChartColors | null = null;

  /** Theme colours, read once per widget (reading computed style on every move costs a recalc). */
  private colors(): RoiChartColors {
    if (this.cachedColors) return this.cachedColors;
    const colors = roiChartColors(this.node);
    // Outside the page the theme's variables are not resolved yet: read again next time.
    if (this.node.isConnected) this.cachedColors = colors;
    return colors;
  }

  // ---- static parts ------------------------------------------------------------------------

  private header(): HTMLElement {
    return el(
      'div',
      { className: 'gaissa-roi-header' },
      el('span', { className: 'gaissa-roi-title' }, 'ROI and what-if'),
      this.kernel.expected
        ? el(
            'span',
            {
              className: 'gaissa-badge gaissa-badge-expected',
              attrs: { title: 'The optimized energy is a published reduction, not a measurement' }
            },
            'expected'
          )
        : null,
      this.status,
      this.resetButton
    );
  }

  private expectedBlock(): HTMLElement {
    const expected = this.kernel.expected as NonNullable<RoiPayload['expected']>;
    const { claim, source, caveat } = expectedText(expected);
    const link = /^https:\/\//.test(expected.url)
      ? el(
          'a',
          {
            className: 'gaissa-roi-source-link',
            attrs: { href: expected.url, target: '_blank', rel: 'noopener noreferrer' }
          },
          'read the source'
        )
      : null;
    return el(
      'div',
      { className: 'gaissa-roi-expected', attrs: { role: 'note' } },
      el('p', {}, el('strong', {}, 'Expected, not measured: '), claim, '.'),
      el('p', {}, 'Source: ', el('cite', {}, source), link ? ' (' : '', link, link ? ')' : ''),
      caveat ? el('p', { className: 'gaissa-roi-caveat' }, `Caveat: ${caveat}`) : null,
      el(
        'p',
        { className: 'gaissa-roi-detail' },
        'Measure the optimized model to replace this expectation with a real figure.'
      )
    );
  }

  private energies(): HTMLElement {
    const s = this.kernel.scenario;
    const notes = ['baselineEnergyJ', 'optimizedEnergyJ']
      .map(f => this.kernel.result.explanations[f])
      .filter((x): x is string => typeof x === 'string' && x.length > 0);
    return el(
      'div',
      { className: 'gaissa-roi-energies' },
      el(
        'p',
        {},
        `Energy per inference: baseline ${formatSI(s.baselineEnergyJ, 'J')}, optimized ${formatSI(s.optimizedEnergyJ, 'J')}`,
        this.kernel.expected ? ' (expected)' : '',
        s.pue !== undefined ? `, before PUE` : '',
        '.'
      ),
      notes.length > 0
        ? el('ul', { className: 'gaissa-roi-sources' }, ...notes.map(n => el('li', {}, n)))
        : null
    );
  }

  private controlsBlock(): HTMLElement {
    const groups: Array<{ group: RoiGroup; title: string }> = [
      { group: 'volume', title: 'Volume' },
      { group: 'time', title: 'Over time' },
      { group: 'energy', title: 'Energy and investment' },
      { group: 'carbon', title: 'Carbon' }
    ];
    return el(
      'div',
      { className: 'gaissa-roi-controls' },
      ...groups.map(({ group, title }) => this.fieldset(group, title))
    );
  }

  private fieldset(group: RoiGroup, title: string): HTMLFieldSetElement {
    const optional = OPTIONAL_GROUPS.find(g => g.group === group);
    let legend: HTMLElement;
    if (optional) {
      const id = `${this.prefix}-${group}-on`;
      const toggle = el('input', { attrs: { type: 'checkbox', id, ...SUPPRESS_SHORTCUTS } });
      toggle.addEventListener('change', () => this.onToggle(group, toggle.checked));
      this.toggles.set(group, toggle);
      legend = el('legend', {}, toggle, el('label', { attrs: { for: id } }, optional.label));
    } else {
      legend = el('legend', {}, title);
    }
    const fieldset = el(
      'fieldset',
      { className: 'gaissa-roi-group', attrs: { 'data-group': group } },
      legend
    );
    if (optional) {
      fieldset.appendChild(el('p', { className: 'gaissa-roi-group-off' }, optional.off));
    }
    for (const spec of ROI_CONTROLS.filter(c => c.group === group)) {
      fieldset.appendChild(this.controlRow(spec));
    }
    this.fieldsets.set(group, fieldset);
    return fieldset;
  }

  private controlRow(spec: RoiControlSpec): HTMLElement {
    const id = `${this.prefix}-${spec.field}`;
    const initial = this.kernelValues[spec.field];
    const defaults = groupDefaults(spec.group, this.kernel.scenario)[spec.field];
    const sizedFor = initial ?? defaults ?? undefined;
    const shownInitial = sizedFor === undefined ? undefined : toShown(spec, sizedFor);
    const r = rangeFor(spec, shownInitial);
    const unit = unitText(spec, this.currency);
    const range = el('input', {
      className: 'gaissa-roi-slider',
      attrs: {
        type: 'range',
        id,
        min: r.min,
        max: r.max,
        step: r.step,
        'data-field': spec.field,
        'aria-describedby': `${id}-hint ${id}-error`,
        ...SUPPRESS_SHORTCUTS
      }
    });
    const text = el('input', {
      className: 'gaissa-roi-number',
      attrs: {
        type: 'text',
        inputmode: 'decimal',
        autocomplete: 'off',
        spellcheck: 'false',
        id: `${id}-value`,
        'data-field': spec.field,
        'aria-label': `${spec.label}${unit ? ` (${unit})` : ''}`,
        'aria-describedby': `${id}-error`,
        ...SUPPRESS_SHORTCUTS
      }
    });
    const error = el('div', {
      className: 'gaissa-roi-error',
      // Read with the input (aria-describedby); the summary above is the live region.
      attrs: { id: `${id}-error` }
    });
    error.hidden = true;
    const control: Control = { spec, range, text, error, initial: shownInitial };
    range.addEventListener('input', () => this.onSlide(control));
    text.addEventListener('input', () => this.onType(control));
    this.controls.set(spec.field, control);
    return el(
      'div',
      { className: 'gaissa-roi-control', attrs: { 'data-field': spec.field } },
      el('label', { attrs: { for: id, title: spec.hint } }, spec.label),
      range,
      el('span', { className: 'gaissa-roi-input' }, text, unit ? el('span', {}, unit) : null),
      // Read with the slider (aria-describedby) and shown on hover of the label.
      el('span', { className: 'gaissa-roi-hint', attrs: { id: `${id}-hint` } }, spec.hint),
      error
    );
  }
}

function chartHost(name: string): HTMLElement {
  return el(
    'div',
    { className: 'gaissa-roi-chart', attrs: { 'data-chart': name } },
    'Loading the chart…'
  );
}

function chartFigure(caption: string, host: HTMLElement, wide = false): HTMLElement {
  return el(
    'figure',
    { className: `gaissa-roi-chart-figure${wide ? ' gaissa-roi-chart-wide' : ''}` },
    el('figcaption', {}, caption),
    host
  );
}
