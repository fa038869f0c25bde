/**
 * The ROI widget's view (root class `gaissa-roi`): the model (model.ts) as headline figures,
 * sliders and live charts. It builds the DOM once, passes what the user does with the inputs to
 * the model, and on the model's `changed` rewrites what differs: the figures at once, the charts
 * after the next paint, so a moving slider's frame is not held up by the charts.
 *
 * Safety: the payload is validated against schema/roi.schema.json first; its strings become text
 * nodes (safe-dom), never markup; the one link (the source of a literature what-if) must be https.
 * Invalid input (a typed "abc", a price of 0) shows a message and keeps the last valid figures:
 * no NaN reaches the screen. The slider state goes back into the notebook through `persist`.
 *
 * Loaded on demand with the first ROI output (it brings ajv's compiled validator and core/roi);
 * the charts' code is a further chunk, fetched through `loadCharts`.
 */
import type { RoiPayload, RoiResult } from '../../../core/roi';
import {
  co2Chart,
  costChart,
  roiChartColors,
  tornadoChart,
  type ChartContent,
  type RoiChartColors
} from './chart-spec';
import type { RoiChartHosts, RoiChartSet, createRoiCharts } from './charts';
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
import { RoiModel } from './model';
import type { ControlValues } from './state';
import { validateRoiPayload } from './validation';
import { clear, el } from '../../shared/safe-dom';
import { recordDuration } from '../../shared/timing';
import { formatNumber, formatSI } from '../../../core/format';

/** For the renderer, which writes the state into the output's metadata. */
export { withSavedState } from './state';
export { PERSIST_DELAY_MS } from './model';

export const ROI_CLASS = 'gaissa-roi';

/** User Timing entries (read by bench/roi-slider.ts): per input event, until figures / charts. */
export const ROI_TIMING = {
  figures: 'gaissa:roi-figures',
  update: 'gaissa:roi-update'
} as const;

export interface RoiViewOptions {
  /** Saves the slider state in the notebook; null goes back to the kernel's scenario. */
  persist(values: ControlValues | null): void;
  /** The chart code, loaded on demand. */
  loadCharts(): Promise<{ createRoiCharts: typeof createRoiCharts }>;
}

/** What the renderer holds of a rendered ROI output. */
export interface RoiViewHandle {
  node: HTMLElement;
  /** Settles once the first charts are drawn (or could not be). */
  ready: Promise<void>;
  /** The output's metadata changed (another view of it, a collaborator): show its state. */
  applySaved(metadata: unknown): void;
  /** Writes a pending state now (before the output goes away) and frees the charts. */
  dispose(): void;
}

let viewCount = 0;

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

/** The view of an untrusted payload and the output's metadata (where the state is saved). */
export function renderRoi(
  payload: unknown,
  metadata: unknown,
  options: RoiViewOptions
): RoiViewHandle {
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
  const model = new RoiModel(checked.payload, metadata, { persist: options.persist });
  return new RoiView(model, options.loadCharts);
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

/** Writes only what differs: an unchanged text or attribute costs no style or layout work. */
function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

function setProperty<T extends object, K extends keyof T>(node: T, key: K, value: T[K]): void {
  if (node[key] !== value) node[key] = value;
}

function setAttr(node: Element, name: string, value: string): void {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
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

type ChartContents = { cost: ChartContent; co2: ChartContent; tornado: ChartContent };

/** Resolves in a task after the next frame is painted (at once, in effect, in a hidden page). */
function afterNextPaint(): Promise<void> {
  return new Promise(resolve => {
    if (typeof requestAnimationFrame !== 'function' || document.hidden) {
      setTimeout(resolve, 0);
    } else {
      requestAnimationFrame(() => setTimeout(resolve, 0));
    }
  });
}

/**
 * The three charts, drawn from the latest contents: the first draw as soon as the chart code is
 * loaded, each later one in a task after the next paint. Requests that arrive before a draw
 * starts, or while one runs, fold into one draw, so a drag costs at most one draw per frame.
 */
class RoiChartSchedule {
  private charts: RoiChartSet | null = null;
  private failed = false;
  /** Start of the oldest request not drawn yet (its User Timing start); null: none. */
  private since: number | null = null;
  private drawing: Promise<void> | null = null;
  private disposed = false;

  constructor(
    private readonly hosts: RoiChartHosts,
    private readonly load: RoiViewOptions['loadCharts'],
    private readonly contents: () => ChartContents
  ) {}

  /** Asks for a draw of the latest contents; `start` is the input's, for User Timing. */
  request(start: number): void {
    if (this.failed || this.disposed) return;
    this.since = Math.min(this.since ?? start, start);
    // The loop awaits before it can end, so `drawing` is set before the loop clears it.
    this.drawing ??= this.drawLoop();
  }

  /** Settles once no request is left undrawn (or the charts failed). */
  settled(): Promise<void> {
    return this.drawing ?? Promise.resolve();
  }

  /** New colours are a new spec: drops the live charts, so the next draw builds them afresh. */
  restyle(): void {
    if (this.disposed) return;
    // A chart chunk that failed to load gets another chance with the next theme.
    this.failed = false;
    this.charts?.dispose();
    this.charts = null;
    this.request(performance.now());
  }

  dispose(): void {
    this.disposed = true;
    this.charts?.dispose();
    this.charts = null;
  }

  private async drawLoop(): Promise<void> {
    try {
      while (this.since !== null && !this.disposed) {
        if (this.charts) {
          await afterNextPaint();
        } else {
          const { createRoiCharts } = await this.load();
          if (this.disposed) return;
          this.charts = createRoiCharts(this.hosts);
        }
        // A theme change while we waited dropped the set: the next round builds them afresh.
        const charts = this.charts;
        if (this.disposed || !charts) continue;
        const start = this.since ?? performance.now();
        this.since = null;
        await charts.draw(this.contents());
        recordDuration(ROI_TIMING.update, start);
      }
    } catch (error) {
      // The figures stay readable; only the pictures are missing.
      this.failed = true;
      this.since = null;
      const text = `The charts could not be drawn (${(error as Error)?.message ?? error}).`;
      for (const host of Object.values(this.hosts)) {
        host.removeAttribute('role');
        host.textContent = text;
      }
    } finally {
      this.drawing = null;
    }
  }
}

class RoiView implements RoiViewHandle {
  readonly node: HTMLElement;
  readonly ready: Promise<void>;

  private readonly kernel: RoiPayload;
  private readonly currency: string | null;
  private readonly controls = new Map<RoiControlField, Control>();
  private readonly toggles = new Map<RoiGroup, HTMLInputElement>();
  private readonly fieldsets = new Map<RoiGroup, HTMLFieldSetElement>();
  private readonly figures = new Map<FigureKey, Figure>();
  private readonly prefix = `gaissa-roi-${++viewCount}`;

  private readonly messages: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly status: HTMLElement;
  private readonly resetButton: HTMLButtonElement;
  private readonly figureList: HTMLElement;
  private readonly unitCosts: HTMLElement;
  private readonly yearly: HTMLDetailsElement;
  private readonly chartHosts: RoiChartHosts;
  private readonly charts: RoiChartSchedule;

  /** When the user's current input began (the User Timing start); null: not from an input. */
  private inputStart: number | null = null;
  /** The result the figures show, and the messages shown with them. */
  private shownResult: RoiResult | null = null;
  private shownMessages: string | null = null;
  private cachedColors: RoiChartColors | null = null;
  /** Set while charts drawn outside the page wait for it, to redraw in the theme's colours. */
  private placedWatch: IntersectionObserver | null = null;
  /** Redraws the charts in the new theme's colours (JupyterLab marks the theme on <body>). */
  private readonly themeWatch: MutationObserver | null = null;
  private disposed = false;

  constructor(
    private readonly model: RoiModel,
    loadCharts: RoiViewOptions['loadCharts']
  ) {
    const payload = model.payload;
    this.kernel = payload;
    this.currency = model.currency;

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
    this.resetButton.addEventListener('click', () => this.onReset());
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
    this.charts = new RoiChartSchedule(this.chartHosts, loadCharts, () => this.chartContents());
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

    this.render();
    this.ready = this.charts.settled();
    model.changed.connect(this.render, this);
    if (typeof MutationObserver === 'function' && typeof document !== 'undefined') {
      this.themeWatch = new MutationObserver(() => this.onThemeChange());
      this.themeWatch.observe(document.body, { attributeFilter: ['data-jp-theme-name'] });
    }
  }

  applySaved(metadata: unknown): void {
    if (this.disposed) return;
    this.model.applySaved(metadata);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.dispose();
    this.themeWatch?.disconnect();
    this.placedWatch?.disconnect();
    this.charts.dispose();
  }

  // ---- inputs to the model -----------------------------------------------------------------

  private onSlide(control: Control): void {
    const value = Number(control.range.value);
    if (!Number.isFinite(value)) return;
    this.inputStart = performance.now();
    this.model.setValue(control.spec.field, fromShown(control.spec, value));
  }

  private onType(control: Control): void {
    this.inputStart = performance.now();
    this.model.setText(control.spec.field, control.text.value);
  }

  private onToggle(group: RoiGroup, on: boolean): void {
    this.inputStart = performance.now();
    this.model.setGroup(group, on);
    if (!on) return;
    // A switched-on group that needs a value the kernel did not have: the box to type it in.
    const missing = ROI_CONTROLS.find(c => c.group === group && this.model.problems.has(c.field));
    if (missing) this.controls.get(missing.field)?.text.focus();
  }

  private onReset(): void {
    this.inputStart = performance.now();
    this.model.reset();
  }

  // ---- the model on screen -----------------------------------------------------------------

  /**
   * Puts the DOM in line with the model, writing only what differs. The figures are written at
   * once; the charts are asked for, to be drawn after the next paint.
   */
  private render(): void {
    const start = this.inputStart ?? performance.now();
    this.inputStart = null;
    if (this.disposed) return;
    const model = this.model;
    this.renderControls();
    setProperty(this.notice, 'hidden', model.notice === null);
    setText(this.notice, model.notice ?? '');
    this.renderMessages(model.messages);
    const adjusted = model.adjusted;
    setText(
      this.status,
      adjusted
        ? 'Adjusted with the sliders (saved with the notebook).'
        : 'The scenario the kernel computed.'
    );
    setProperty(this.resetButton, 'disabled', !adjusted && model.problems.size === 0);
    setAttr(this.node, 'data-adjusted', String(adjusted));
    if (model.result === this.shownResult) return;
    this.shownResult = model.result;
    this.renderFigures();
    if (this.yearly.open) this.renderYearly();
    recordDuration(ROI_TIMING.figures, start);
    this.charts.request(start);
  }

  /** Every input shows the model: toggles, fieldsets, boxes, sliders and their messages. */
  private renderControls(): void {
    const model = this.model;
    for (const { group } of OPTIONAL_GROUPS) {
      const on = model.groupOn(group);
      const toggle = this.toggles.get(group);
      if (toggle) setProperty(toggle, 'checked', on);
      const fieldset = this.fieldsets.get(group);
      if (fieldset) {
        setProperty(fieldset, 'disabled', !on);
        setAttr(fieldset, 'data-on', String(on));
        const off = fieldset.querySelector<HTMLElement>('.gaissa-roi-group-off');
        if (off) setProperty(off, 'hidden', on);
      }
    }
    for (const control of this.controls.values()) {
      const { spec, text, range, error } = control;
      const problem = model.problems.get(spec.field);
      const value = model.shownValue(spec.field);
      // Text that reads as the value stays as typed ("1,000", "12 %"); a problem stays too.
      if (problem === undefined && !readsAs(spec, text.value, value)) {
        text.value = value === null ? '' : inputText(spec, value);
      }
      if (value !== null) this.placeSlider(control, value);
      setText(error, problem ?? '');
      setProperty(error, 'hidden', problem === undefined);
      if (problem === undefined) text.removeAttribute('aria-invalid');
      else setAttr(text, 'aria-invalid', 'true');
      if (value !== null && problem === undefined) {
        setAttr(range, 'aria-valuetext', valueText(spec, value, this.currency));
      }
    }
  }

  private placeSlider(control: Control, value: number): void {
    const { spec, range } = control;
    const shown = toShown(spec, value);
    const r = rangeFor(spec, control.initial, shown);
    setProperty(range, 'max', String(r.max));
    if (Number(range.value) !== shown) range.value = String(shown);
    setAttr(range, 'aria-valuetext', valueText(spec, value, this.currency));
  }

  private renderMessages(problems: readonly string[]): void {
    const key = problems.join('\n');
    if (key === this.shownMessages) return;
    this.shownMessages = key;
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

  private setFigure(key: FigureKey, label: string, value: string, detail: string): void {
    const figure = this.figures.get(key) as Figure;
    setText(figure.label, label);
    setText(figure.value, value);
    setText(figure.detail, detail);
  }

  private renderFigures(): void {
    const r = this.model.result;
    const s = this.model.scenario;
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
    setText(
      this.unitCosts,
      `Cost per inference: baseline ${money(r.costPerInferenceBaseline)}, ` +
        `optimized ${money(r.costPerInferenceOptimized)}` +
        (r.explanations.effectivePricePerKWh
          ? ` (${r.explanations.effectivePricePerKWh}: ${money(r.effectivePricePerKWh)} per kWh)`
          : '') +
        '.'
    );
  }

  private renderYearly(): void {
    if (!this.yearly.open) return;
    const summary = this.yearly.querySelector('summary') as HTMLElement;
    clear(this.yearly);
    this.yearly.appendChild(summary);
    const rows = this.model.result.yearly ?? [];
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

  /** The charts of the model's latest result, built when a draw starts (not per input). */
  private chartContents(): ChartContents {
    const colors = this.colors();
    const { result, sensitivity } = this.model;
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
    this.charts.restyle();
  }

  /** Theme colours, read once per view (reading computed style on every move costs a recalc). */
  private colors(): RoiChartColors {
    if (this.cachedColors) return this.cachedColors;
    const colors = roiChartColors(this.node);
    // Outside the page (a notebook being opened) the theme's variables are not resolved yet:
    // the charts get fallback colours, and are redrawn once the output is in the page.
    if (this.node.isConnected) this.cachedColors = colors;
    else this.redrawWhenPlaced();
    return colors;
  }

  private redrawWhenPlaced(): void {
    if (this.placedWatch || typeof IntersectionObserver !== 'function') return;
    this.placedWatch = new IntersectionObserver(() => {
      if (!this.node.isConnected) return;
      this.placedWatch?.disconnect();
      this.placedWatch = null;
      if (!this.cachedColors) this.onThemeChange();
    });
    this.placedWatch.observe(this.node);
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
    const initial = this.model.kernelValues[spec.field];
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

/** Whether the text of a number box already reads as `value` (null: an empty box). */
function readsAs(spec: RoiControlSpec, text: string, value: number | null): boolean {
  if (value === null) return text === '';
  const parsed = parseInput(spec, text);
  return parsed.ok && parsed.value === value;
}
