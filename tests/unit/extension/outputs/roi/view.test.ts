/**
 * @jest-environment jsdom
 */
import { computeRoi, roiSensitivity, type RoiScenario } from '../../../../../core/roi';
import type { ChartContent } from '../../../../../extension/outputs/roi/chart-spec';
import {
  PERSIST_DELAY_MS,
  renderRoi,
  type RoiViewHandle,
  type RoiViewOptions
} from '../../../../../extension/outputs/roi/view';
import {
  formatDays,
  formatMoney,
  formatPercent
} from '../../../../../extension/outputs/roi/format';
import type { ControlValues } from '../../../../../extension/outputs/roi/state';
import {
  plainPayload,
  timedPayload,
  TIMED_SCENARIO,
  whatIfPayload
} from '../../fixtures/roi-payload';

type Drawn = { cost: ChartContent; co2: ChartContent; tornado: ChartContent };

interface Harness {
  handle: RoiViewHandle;
  node: HTMLElement;
  persist: jest.Mock<void, [ControlValues | null]>;
  drawn: Drawn[];
}

function mount(payload: unknown, metadata: unknown = {}, options: Partial<RoiViewOptions> = {}) {
  const persist = jest.fn<void, [ControlValues | null]>();
  const drawn: Drawn[] = [];
  const handle = renderRoi(payload, metadata, {
    persist,
    loadCharts: async () => ({
      createRoiCharts: () => ({
        draw: async (contents: Drawn) => {
          drawn.push(contents);
        },
        dispose: () => undefined
      })
    }),
    ...options
  });
  document.body.appendChild(handle.node);
  return { handle, node: handle.node, persist, drawn } as Harness;
}

const figure = (node: HTMLElement, key: string) =>
  node.querySelector(`[data-figure="${key}"] .gaissa-roi-value`)?.textContent ?? '';
const slider = (node: HTMLElement, field: string) =>
  node.querySelector(`input[type="range"][data-field="${field}"]`) as HTMLInputElement;
const box = (node: HTMLElement, field: string) =>
  node.querySelector(`input[type="text"][data-field="${field}"]`) as HTMLInputElement;

function slide(node: HTMLElement, field: string, value: number): void {
  const range = slider(node, field);
  range.value = String(value);
  range.dispatchEvent(new Event('input', { bubbles: true }));
}

function type(node: HTMLElement, field: string, text: string): void {
  const input = box(node, field);
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

const settle = () => new Promise(r => setTimeout(r, 0));
/** A task after the next frame: when the view redraws the charts of a move. */
const nextPaint = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));

afterEach(() => {
  document.body.textContent = '';
  jest.useRealTimers();
});

describe('ROI widget', () => {
  it('shows the kernel figures, with words for break-even, payback, ROI, NPV and CO2e', async () => {
    const payload = timedPayload();
    const { node, handle, drawn } = mount(payload);
    await handle.ready;
    expect(node.classList.contains('gaissa-roi')).toBe(true);
    const r = payload.result;
    expect(figure(node, 'roi')).toBe(formatPercent(r.roi));
    expect(figure(node, 'npv')).toBe(formatMoney(r.npv, 'EUR'));
    expect(figure(node, 'payback')).toBe(formatDays(r.paybackDays));
    expect(figure(node, 'breakEven')).toMatch(/inferences$/);
    expect(figure(node, 'co2')).toMatch(/CO2e$/);
    expect(node.querySelector('.gaissa-roi-status')?.textContent).toContain('kernel');
    expect((node.querySelector('.gaissa-roi-reset') as HTMLButtonElement).disabled).toBe(true);
    // The charts got the kernel's curve, the break-even marker and the sensitivity.
    expect(drawn).toHaveLength(1);
    const cost = drawn[0].cost;
    expect(cost.kind).toBe('chart');
    if (cost.kind === 'chart') expect(cost.data.breakEven).toHaveLength(1);
    expect(drawn[0].tornado.kind).toBe('chart');
    expect(drawn[0].co2.kind).toBe('chart');
  });

  // schema/roi.schema.json types yearly[].co2SavedKg as "number", but core/roi.ts writes null there
  // for a time scenario without carbonIntensity, so the kernel's own output fails the schema and
  // the widget refuses it. Reported to the lead (schema/ is not the widget's to edit): once the
  // schema says ["number", "null"], this test passes and `.failing` must go.
  it('renders a time scenario without carbon intensity (no CO2 figures, null in the payload)', () => {
    const { node } = mount(
      timedPayload({ carbonIntensity: undefined, carbonPricePerTonne: undefined })
    );
    expect(node.classList.contains('gaissa-roi-invalid')).toBe(false);
  });

  it('recomputes with core computeRoi as a slider moves', async () => {
    const { node, handle, drawn } = mount(timedPayload());
    await handle.ready;
    const before = figure(node, 'npv');
    slide(node, 'inferencesPerDay', 4_000_000);
    const expected = computeRoi({ ...TIMED_SCENARIO, inferencesPerDay: 4_000_000 });
    expect(figure(node, 'npv')).toBe(formatMoney(expected.npv, 'EUR'));
    expect(figure(node, 'npv')).not.toBe(before);
    expect(figure(node, 'payback')).toBe(formatDays(expected.paybackDays));
    expect(box(node, 'inferencesPerDay').value).toBe('4000000');
    expect(slider(node, 'inferencesPerDay').getAttribute('aria-valuetext')).toBe(
      '4,000,000 per day'
    );
    expect(node.getAttribute('data-adjusted')).toBe('true');
    await nextPaint();
    const last = drawn[drawn.length - 1];
    expect(last.tornado.kind).toBe('chart');
    if (last.tornado.kind === 'chart') {
      const sens = roiSensitivity({ ...TIMED_SCENARIO, inferencesPerDay: 4_000_000 });
      expect(last.tornado.data.base).toEqual([{ base: sens.base }]);
    }
  });

  it('shows percentages for growth and discount, and stores fractions', () => {
    const { node } = mount(timedPayload());
    expect(box(node, 'annualGrowth').value).toBe('20');
    type(node, 'discountRate', '12 %');
    const expected = computeRoi({ ...TIMED_SCENARIO, discountRate: 0.12 });
    expect(figure(node, 'npv')).toBe(formatMoney(expected.npv, 'EUR'));
    expect(node.querySelector('[data-figure="npv"] .gaissa-roi-detail')?.textContent).toBe(
      'discount rate 12 % per year'
    );
  });

  it.each([
    ['pricePerKWh', 'abc', /is not a number/],
    ['pricePerKWh', '0', /greater than 0 \(a price of zero/],
    ['pricePerKWh', '-1', /greater than 0/],
    ['pue', '0.5', /at least 1/],
    ['horizonYears', '2.5', /whole number/],
    ['annualGrowth', '-150', /greater than -100 %/],
    ['implementationCost', '', /enter a number/],
    ['inferences', '1e400', /too large/]
  ])('a typed %s of "%s" gets a message and no NaN', (field, text, message) => {
    const { node, persist } = mount(timedPayload());
    const before = figure(node, 'npv');
    type(node, field, text);
    const error = node.querySelector(`#${box(node, field).id.replace(/-value$/, '-error')}`);
    expect(error?.textContent).toMatch(message);
    expect(box(node, field).getAttribute('aria-invalid')).toBe('true');
    expect(node.getAttribute('data-valid')).toBe('false');
    expect(node.querySelector('.gaissa-roi-messages')?.textContent).toContain(
      'show the last valid scenario'
    );
    // The figures stay those of the last valid scenario.
    expect(figure(node, 'npv')).toBe(before);
    expect(node.textContent).not.toMatch(/NaN|Infinity/);
    jest.useFakeTimers();
    jest.advanceTimersByTime(PERSIST_DELAY_MS * 2);
    expect(persist).not.toHaveBeenCalled();
  });

  it('accepts grouped thousands, decimal commas and exponents', () => {
    const { node } = mount(timedPayload());
    type(node, 'inferencesPerDay', '3,000,000');
    expect(node.getAttribute('data-valid')).toBe('true');
    type(node, 'pricePerKWh', '0,3');
    type(node, 'inferences', '2e8');
    const expected = computeRoi({
      ...TIMED_SCENARIO,
      inferencesPerDay: 3e6,
      pricePerKWh: 0.3,
      inferences: 2e8
    });
    expect(figure(node, 'roi')).toBe(formatPercent(expected.roi));
    // A typed value past the slider's end widens the slider.
    type(node, 'inferencesPerDay', '90000000');
    expect(Number(slider(node, 'inferencesPerDay').max)).toBeGreaterThanOrEqual(9e7);
    expect(slider(node, 'inferencesPerDay').value).toBe('90000000');
  });

  it('saves the slider state after the last move, and reset goes back to the kernel', () => {
    jest.useFakeTimers();
    const { node, persist } = mount(timedPayload());
    slide(node, 'pricePerKWh', 0.4);
    slide(node, 'pricePerKWh', 0.5);
    expect(persist).not.toHaveBeenCalled();
    jest.advanceTimersByTime(PERSIST_DELAY_MS);
    expect(persist).toHaveBeenCalledTimes(1);
    expect(persist.mock.calls[0][0]).toMatchObject({ pricePerKWh: 0.5, inferencesPerDay: 2e6 });
    const reset = node.querySelector('.gaissa-roi-reset') as HTMLButtonElement;
    expect(reset.disabled).toBe(false);
    reset.click();
    expect(persist).toHaveBeenLastCalledWith(null);
    expect(box(node, 'pricePerKWh').value).toBe('0.25');
    expect(figure(node, 'npv')).toBe(formatMoney(timedPayload().result.npv, 'EUR'));
    expect(reset.disabled).toBe(true);
  });

  it('moving back to the kernel values saves no state', () => {
    jest.useFakeTimers();
    const { node, persist } = mount(timedPayload());
    slide(node, 'horizonYears', 5);
    slide(node, 'horizonYears', 3);
    jest.advanceTimersByTime(PERSIST_DELAY_MS);
    expect(persist).toHaveBeenCalledWith(null);
  });

  it('opens with the state saved in the notebook', () => {
    const metadata = {
      'application/vnd.gaissa.roi.v1+json': {
        version: 1,
        scenario: { inferencesPerDay: 5_000_000, pricePerKWh: 0.3 }
      }
    };
    const { node } = mount(timedPayload(), metadata);
    const expected = computeRoi({ ...TIMED_SCENARIO, inferencesPerDay: 5e6, pricePerKWh: 0.3 });
    expect(figure(node, 'npv')).toBe(formatMoney(expected.npv, 'EUR'));
    expect(box(node, 'inferencesPerDay').value).toBe('5000000');
    expect(node.getAttribute('data-adjusted')).toBe('true');
  });

  it.each([
    ['not an object', 'oops'],
    ['a string value', { version: 1, scenario: { pricePerKWh: '0.3' } }],
    ['an unknown field', { version: 1, scenario: { baselineEnergyJ: 1 } }],
    ['a value core refuses', { version: 1, scenario: { pricePerKWh: 0 } }],
    ['another version', { version: 2, scenario: {} }],
    ['a prototype key', JSON.parse('{"version":1,"scenario":{"__proto__":{"x":1}}}')]
  ])('ignores a saved state with %s, and says so', (_, entry) => {
    const { node } = mount(timedPayload(), { 'application/vnd.gaissa.roi.v1+json': entry });
    expect(node.querySelector('.gaissa-roi-notice')?.textContent).toMatch(/was ignored/);
    expect(figure(node, 'npv')).toBe(formatMoney(timedPayload().result.npv, 'EUR'));
    expect(node.textContent).not.toMatch(/NaN/);
  });

  it('follows a state saved by another view, and keeps its own otherwise', () => {
    const { node, handle } = mount(timedPayload());
    handle.applySaved({
      'application/vnd.gaissa.roi.v1+json': { version: 1, scenario: { horizonYears: 7 } }
    });
    expect(box(node, 'horizonYears').value).toBe('7');
    expect(node.querySelector('[data-figure="npv"] dt')?.textContent).toBe('NPV over 7 years');
    handle.applySaved({});
    expect(box(node, 'horizonYears').value).toBe('3');
  });

  it('switches the time scenario off and on', () => {
    jest.useFakeTimers();
    const { node, persist } = mount(timedPayload());
    const toggle = node.querySelector('[data-group="time"] legend input') as HTMLInputElement;
    expect(toggle.checked).toBe(true);
    toggle.checked = false;
    toggle.dispatchEvent(new Event('change'));
    const fieldset = node.querySelector('[data-group="time"]') as HTMLFieldSetElement;
    expect(fieldset.disabled).toBe(true);
    expect(figure(node, 'npv')).toBe('n/a');
    expect(figure(node, 'payback')).toBe('n/a');
    expect(node.querySelector('[data-figure="payback"] .gaissa-roi-detail')?.textContent).toBe(
      'needs a time scenario'
    );
    jest.advanceTimersByTime(PERSIST_DELAY_MS);
    expect(persist.mock.calls[0][0]).toMatchObject({
      inferencesPerDay: null,
      annualGrowth: null,
      horizonYears: null,
      discountRate: null
    });
    toggle.checked = true;
    toggle.dispatchEvent(new Event('change'));
    expect(figure(node, 'npv')).toBe(formatMoney(timedPayload().result.npv, 'EUR'));
  });

  it('starts a time scenario the kernel did not have from the reported volume', () => {
    const { node } = mount(plainPayload());
    const toggle = node.querySelector('[data-group="time"] legend input') as HTMLInputElement;
    expect(toggle.checked).toBe(false);
    expect(figure(node, 'npv')).toBe('n/a');
    toggle.checked = true;
    toggle.dispatchEvent(new Event('change'));
    const scenario: RoiScenario = {
      ...plainPayload().scenario,
      inferencesPerDay: Math.round(1_000_000 / 365),
      annualGrowth: 0,
      horizonYears: 3,
      discountRate: 0
    };
    expect(figure(node, 'npv')).toBe(formatMoney(computeRoi(scenario).npv, null));
  });

  it('asks for a grid intensity when carbon is switched on without one', () => {
    const { node } = mount(plainPayload());
    expect(figure(node, 'co2')).toBe('n/a');
    const toggle = node.querySelector('[data-group="carbon"] legend input') as HTMLInputElement;
    toggle.checked = true;
    toggle.dispatchEvent(new Event('change'));
    expect(node.getAttribute('data-valid')).toBe('false');
    expect(node.textContent).toContain('Carbon intensity: enter a value (g CO2e per kWh)');
    expect(document.activeElement).toBe(box(node, 'carbonIntensity'));
    type(node, 'carbonIntensity', '400');
    expect(node.getAttribute('data-valid')).toBe('true');
    const expected = computeRoi({ ...plainPayload().scenario, carbonIntensity: 400 });
    expect(figure(node, 'co2')).toContain('CO2e');
    expect(expected.co2SavedKg).not.toBeNull();
  });

  it('shows the neutral value of a field the kernel left out, and keeps it out', () => {
    jest.useFakeTimers();
    const { node, persist } = mount(whatIfPayload());
    // The what-if has a carbon intensity but no PUE, growth, discount or carbon price.
    expect(box(node, 'pue').value).toBe('1');
    expect(box(node, 'carbonPricePerTonne').value).toBe('0');
    expect(slider(node, 'pue').value).toBe('1');
    slide(node, 'pue', 1.5);
    expect(node.getAttribute('data-adjusted')).toBe('true');
    slide(node, 'pue', 1);
    expect(node.getAttribute('data-adjusted')).toBe('false');
    jest.advanceTimersByTime(PERSIST_DELAY_MS);
    expect(persist).toHaveBeenLastCalledWith(null);
  });

  it('says "expected" and names the source of a literature what-if', () => {
    const payload = whatIfPayload();
    const { node } = mount(payload);
    expect(node.getAttribute('data-expected')).toBe('true');
    const block = node.querySelector('.gaissa-roi-expected') as HTMLElement;
    expect(block.textContent).toContain('Expected, not measured:');
    expect(block.textContent).toContain(payload.expected?.name);
    expect(block.querySelector('cite')?.textContent).toBe(payload.expected?.source);
    const link = block.querySelector('a') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe(payload.expected?.url);
    expect(link.rel).toBe('noopener noreferrer');
    expect(node.querySelector('.gaissa-badge-expected')?.textContent).toBe('expected');
    expect(node.querySelector('.gaissa-roi-energies')?.textContent).toContain('(expected)');
  });

  it('labels every input and keeps notebook shortcuts away from them', () => {
    const { node } = mount(timedPayload());
    for (const input of node.querySelectorAll('.gaissa-roi-controls input')) {
      expect(input.hasAttribute('data-lm-suppress-shortcuts')).toBe(true);
    }
    for (const range of node.querySelectorAll('input[type="range"]')) {
      expect(node.querySelector(`label[for="${range.id}"]`)?.textContent).toBeTruthy();
      expect(range.getAttribute('aria-valuetext')).toBeTruthy();
    }
    for (const text of node.querySelectorAll('input[type="text"]')) {
      expect(text.getAttribute('aria-label')).toBeTruthy();
    }
    for (const toggle of node.querySelectorAll('input[type="checkbox"]')) {
      expect(node.querySelector(`label[for="${toggle.id}"]`)?.textContent).toBeTruthy();
    }
    // Shortcuts with a modifier (Ctrl+S) go back to JupyterLab; plain keys stay suppressed.
    const range = slider(node, 'pue');
    range.dispatchEvent(new KeyboardEvent('keydown', { key: 's', ctrlKey: true, bubbles: true }));
    expect(range.hasAttribute('data-lm-suppress-shortcuts')).toBe(false);
    range.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
    expect(range.getAttribute('data-lm-suppress-shortcuts')).toBe('true');
    // Two widgets on a page do not share ids.
    const other = mount(timedPayload()).node;
    const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(other.querySelector('input[type="range"]')?.id).not.toBe(
      node.querySelector('input[type="range"]')?.id
    );
  });

  it('keeps the figures when the charts cannot load', async () => {
    const { node, handle } = mount(
      timedPayload(),
      {},
      {
        loadCharts: async () => {
          throw new Error('chunk failed');
        }
      }
    );
    await handle.ready;
    for (const host of node.querySelectorAll('.gaissa-roi-chart')) {
      expect(host.textContent).toBe('The charts could not be drawn (chunk failed).');
    }
    slide(node, 'pricePerKWh', 0.5);
    expect(figure(node, 'npv')).toBe(
      formatMoney(computeRoi({ ...TIMED_SCENARIO, pricePerKWh: 0.5 }).npv, 'EUR')
    );
  });

  it('folds moves that arrive while the charts draw into one more draw', async () => {
    let release: () => void = () => undefined;
    const draws: Drawn[] = [];
    const { node, handle } = mount(
      timedPayload(),
      {},
      {
        loadCharts: async () => ({
          createRoiCharts: () => ({
            draw: (contents: Drawn) => {
              draws.push(contents);
              return new Promise<void>(r => (release = r));
            },
            dispose: () => undefined
          })
        })
      }
    );
    await settle();
    expect(draws).toHaveLength(1);
    slide(node, 'pricePerKWh', 0.3);
    slide(node, 'pricePerKWh', 0.4);
    slide(node, 'pricePerKWh', 0.5);
    release();
    // The first draw ends; the moves' one draw follows after the next paint.
    await settle();
    await nextPaint();
    expect(draws).toHaveLength(2);
    release();
    await handle.ready;
    const last = draws[1].cost;
    const expected = computeRoi({ ...TIMED_SCENARIO, pricePerKWh: 0.5 });
    if (last.kind === 'chart') {
      expect(last.data.lines[last.data.lines.length - 2]).toMatchObject({
        cost: expected.costCurve?.[expected.costCurve.length - 1].baseline
      });
    }
  });

  it('writes the figures at once and draws the charts after the next paint, once per frame', async () => {
    const { node, handle, drawn } = mount(timedPayload());
    await handle.ready;
    expect(drawn).toHaveLength(1);
    slide(node, 'pricePerKWh', 0.3);
    slide(node, 'pricePerKWh', 0.4);
    expect(figure(node, 'npv')).toBe(
      formatMoney(computeRoi({ ...TIMED_SCENARIO, pricePerKWh: 0.4 }).npv, 'EUR')
    );
    // Not in the input's task: the slider's frame goes out with the figures alone.
    await settle();
    expect(drawn).toHaveLength(1);
    await nextPaint();
    expect(drawn).toHaveLength(2);
    const cost = drawn[1].cost;
    const expected = computeRoi({ ...TIMED_SCENARIO, pricePerKWh: 0.4 });
    expect(cost.kind).toBe('chart');
    if (cost.kind === 'chart') {
      expect(cost.data.lines[cost.data.lines.length - 2]).toMatchObject({
        cost: expected.costCurve?.[expected.costCurve.length - 1].baseline
      });
    }
    // A move that changes nothing (typed as the value it has) asks for no draw.
    type(node, 'pricePerKWh', '0,4');
    await nextPaint();
    expect(drawn).toHaveLength(2);
  });

  it('lists the years when "Year by year" is opened, and follows the sliders', async () => {
    const { node } = mount(timedPayload());
    const details = node.querySelector('.gaissa-roi-yearly') as HTMLDetailsElement;
    expect(details.querySelector('table')).toBeNull();
    details.open = true;
    // The browser (and jsdom) fire "toggle" in a later task.
    await settle();
    expect(details.querySelectorAll('tbody tr')).toHaveLength(3);
    slide(node, 'horizonYears', 5);
    expect(details.querySelectorAll('tbody tr')).toHaveLength(5);
    expect(details.querySelector('summary')?.textContent).toBe('Year by year');
  });

  it('redraws its charts in the new colours when the theme changes', async () => {
    const created = jest.fn(() => ({ draw: async () => undefined, dispose: jest.fn() }));
    const { handle } = mount(
      timedPayload(),
      {},
      {
        loadCharts: async () => ({ createRoiCharts: created })
      }
    );
    await handle.ready;
    expect(created).toHaveBeenCalledTimes(1);
    document.body.setAttribute('data-jp-theme-name', 'JupyterLab Dark');
    await settle();
    await settle();
    expect(created).toHaveBeenCalledTimes(2);
    handle.dispose();
    document.body.setAttribute('data-jp-theme-name', 'JupyterLab Light');
    await settle();
    expect(created).toHaveBeenCalledTimes(2);
  });

  it('writes a pending state when it goes away', () => {
    jest.useFakeTimers();
    const { node, handle, persist } = mount(timedPayload());
    slide(node, 'pue', 1.5);
    handle.dispose();
    expect(persist).toHaveBeenCalledWith(expect.objectContaining({ pue: 1.5 }));
  });
});
