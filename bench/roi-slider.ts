/**
 * What one slider key of the ROI widget costs the user in Chromium: how late the next frame comes.
 *
 * For each key on a focused slider: from the key (the keydown's time stamp) to the end of the
 * next frame, with the live widget and with the same slider made inert (its input events stopped
 * before the widget sees them: no recompute, no redraw). Both are measured in the same run, in
 * alternating blocks of keys. Goal: the live median within one frame (16.7 ms) of the inert one.
 * Also printed: the key to the first frame that shows the redrawn charts, and the widget's own
 * User Timing entries (extension/outputs/roi/view.ts, charts.ts):
 *   - `gaissa:roi-figures`: input event -> core computeRoi + roiSensitivity -> figures written;
 *   - `gaissa:roi-update`: input event -> the three charts redrawn with the new data;
 *   - `gaissa:roi-chart-<name>`: drawing one chart.
 *
 * Keyboard: one ArrowRight/ArrowLeft at a time, each waited for, so every key is measured alone.
 * Mouse: a drag with the button held, as fast as Playwright moves; the widget folds moves into
 * one chart draw per frame at most, so it reports how many draws the moves needed. Two
 * scenarios: a 3-year horizon and the largest allowed (100 years).
 *
 * Run: npm run build && node lib/bench/roi-slider.js [--events N]
 * JupyterLab is the project's (.venv): it shows the installed extension, or the build of this
 * checkout first when JUPYTER_PATH names a directory with labextensions/gaissa-jupyterlab linked
 * to ./labextension.
 */
import { chromium, type Locator, type Page } from '@playwright/test';
import { parseArgs } from 'node:util';
import { roiPayload, type RoiScenario } from '../core/roi';
import { writeNotebook } from '../tests/ui/jupyterlab-helpers';
import { startJupyterLab, type JupyterLabServer } from '../tests/ui/jupyterlab-server';
import { TIMED_SCENARIO } from '../tests/unit/extension/fixtures/roi-payload';
import { ROI_MIME } from '../core/mime-types';
import { quantile } from './stats';

const { values } = parseArgs({ options: { events: { type: 'string', default: '200' } } });
const EVENTS = Number(values.events);

const SCENARIOS: Array<{ name: string; scenario: RoiScenario }> = [
  { name: '3-year horizon', scenario: TIMED_SCENARIO },
  { name: '100-year horizon', scenario: { ...TIMED_SCENARIO, horizonYears: 100 } }
];

const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)} ms` : 'n/a');

async function writeRoiNotebook(server: JupyterLabServer, name: string, scenario: RoiScenario) {
  const payload = JSON.parse(JSON.stringify(roiPayload(scenario)));
  const output = {
    output_type: 'execute_result',
    execution_count: 1,
    metadata: {},
    data: { [ROI_MIME]: payload, 'text/plain': 'GAISSA ROI' }
  };
  await writeNotebook(
    name,
    [{ source: `gaissa.roi(${JSON.stringify(scenario)})`, outputs: [output] }],
    server
  );
}

/**
 * In the page: the widget's own measures, and for each slider key the time from the key to the
 * end of the next frame (a task queued from that frame's requestAnimationFrame runs after its
 * paint), and to the end of the first frame that shows the charts redrawn for it. In "inert"
 * mode the slider's input events are stopped before they reach the widget (capture phase on
 * window): the same page, slider and keys, with the widget neither recomputing nor redrawing.
 * That is the reference, measured in the same run, alternating with the live widget.
 */
const INSTRUMENT = `
  window.__roi = { figures: [], update: [], cost: [], co2: [], tornado: [] };
  window.__frames = { inert: false, next: [], charts: [], reference: [] };
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      if (entry.name === 'gaissa:roi-figures') window.__roi.figures.push(entry.duration);
      if (entry.name === 'gaissa:roi-update') window.__roi.update.push(entry.duration);
      for (const chart of ['cost', 'co2', 'tornado']) {
        if (entry.name === 'gaissa:roi-chart-' + chart) window.__roi[chart].push(entry.duration);
      }
    }
  }).observe({ type: 'measure' });
  const isSlider = t => t instanceof HTMLInputElement && t.type === 'range' && !!t.closest('.gaissa-roi');
  const afterFrame = then => requestAnimationFrame(() => setTimeout(then, 0));
  let keyAt = null;
  window.addEventListener('keydown', e => { if (isSlider(e.target)) keyAt = e.timeStamp; }, true);
  window.addEventListener('input', e => {
    if (!isSlider(e.target)) return;
    const frames = window.__frames;
    const inert = frames.inert;
    if (inert) e.stopImmediatePropagation();
    const t0 = keyAt ?? e.timeStamp;
    keyAt = null;
    afterFrame(() => (inert ? frames.reference : frames.next).push(performance.now() - t0));
    if (inert) return;
    // The widget records gaissa:roi-update once the charts of this key are drawn.
    const drawn = () => {
      const m = performance.getEntriesByName('gaissa:roi-update').at(-1);
      return m !== undefined && m.startTime >= t0;
    };
    const frame = () => requestAnimationFrame(() => {
      const done = drawn();
      setTimeout(() => (done ? frames.charts.push(performance.now() - t0) : frame()), 0);
    });
    frame();
  }, true);
`;

interface Samples {
  figures: number[];
  update: number[];
  cost: number[];
  co2: number[];
  tornado: number[];
}

interface Frames {
  next: number[];
  charts: number[];
  reference: number[];
}

const EMPTY = `{ figures: [], update: [], cost: [], co2: [], tornado: [] }`;

/** Up the range and back, so the value keeps changing and stays inside the slider. */
let keysPressed = 0;
const nextKey = () => (Math.floor(keysPressed++ / 40) % 2 === 0 ? 'ArrowRight' : 'ArrowLeft');

/**
 * Key presses on a focused slider, one at a time, each waited for until its frames are measured;
 * blocks of 10 alternate between the live widget and the inert slider (the reference), so both
 * see the same machine load.
 */
async function keyboardRun(page: Page, slider: Locator, events: number): Promise<Frames & Samples> {
  await slider.focus();
  await page.evaluate(
    `window.__roi = ${EMPTY}; Object.assign(window.__frames, { next: [], charts: [], reference: [] })`
  );
  let live = 0;
  let inert = 0;
  for (let i = 0; i < 2 * events; i++) {
    const isInert = Math.floor(i / 10) % 2 === 1;
    await page.evaluate(`window.__frames.inert = ${isInert}`);
    await page.keyboard.press(nextKey());
    if (isInert) inert++;
    else live++;
    await page.waitForFunction(
      `window.__frames.reference.length >= ${inert} && window.__frames.next.length >= ${live} && window.__frames.charts.length >= ${live}`,
      undefined,
      { polling: 'raf', timeout: 10_000 }
    );
  }
  await page.evaluate('window.__frames.inert = false');
  const frames = await page.evaluate<Frames>('window.__frames');
  return { ...frames, ...(await page.evaluate<Samples>('window.__roi')) };
}

/** A mouse drag across the slider and back, moves as fast as they come. */
async function mouseRun(
  page: Page,
  slider: Locator,
  moves: number
): Promise<Samples & { inputs: number }> {
  const box = await slider.boundingBox();
  if (!box) throw new Error('the slider has no box');
  const y = box.y + box.height / 2;
  await page.evaluate(`
    window.__inputs = 0;
    document.querySelector('input[type="range"][data-field="pricePerKWh"]')
      .addEventListener('input', () => window.__inputs++);
  `);
  await page.evaluate(`window.__roi = ${EMPTY}`);
  const at = (f: number) => box.x + box.width * f;
  await page.mouse.move(at(0.25), y);
  await page.mouse.down();
  for (let i = 0; i < moves; i++) {
    await page.mouse.move(at(0.25 + 0.6 * tri(i, moves)), y);
  }
  await page.mouse.up();
  await page.waitForTimeout(500);
  return {
    ...(await page.evaluate<Samples>('window.__roi')),
    inputs: await page.evaluate<number>('window.__inputs')
  };
}

/** 0 -> 1 -> 0 over n steps. */
function tri(i: number, n: number): number {
  const half = n / 2;
  return i < half ? i / half : (n - i) / half;
}

function line(label: string, xs: number[]): string {
  return `  ${label.padEnd(44)} median ${ms(quantile(xs, 0.5)).padStart(9)}   p95 ${ms(quantile(xs, 0.95)).padStart(9)}   max ${ms(Math.max(...xs)).padStart(9)}   (n=${xs.length})`;
}

/** One frame at 60 Hz: the goal's allowance over the reference. */
const FRAME_MS = 1000 / 60;

async function main(): Promise<void> {
  const executablePath = process.env.GAISSA_CHROMIUM ?? '/usr/bin/chromium';
  const server = await startJupyterLab();
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  });
  try {
    console.log(
      `ROI widget: one slider key, live widget vs inert slider (Chromium ${browser.version()}), ${EVENTS} keys of each per scenario`
    );
    console.log(
      `goal: the next frame after a key within one frame (${ms(FRAME_MS)}) of the reference, at the median`
    );
    for (const [index, { name, scenario }] of SCENARIOS.entries()) {
      const file = `roi-bench-${index}.ipynb`;
      await writeRoiNotebook(server, file, scenario);
      const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
      const page = await context.newPage();
      await page.goto(`${server.url}/lab/tree/${file}?token=${server.token}&reset`);
      const widget = page.locator('.jp-OutputArea .gaissa-roi');
      for (const chart of ['cost', 'co2', 'tornado']) {
        await widget.locator(`[data-chart="${chart}"] svg`).waitFor({ timeout: 120_000 });
      }
      const opened = await page.evaluate<[number, number]>(
        `['gaissa:roi-widget', 'gaissa:roi-charts'].map(n => performance.getEntriesByName(n).at(-1)?.duration ?? NaN)`
      );
      await page.evaluate(INSTRUMENT);
      // Warm-up: the specs are embedded once already; this warms the JIT.
      const perDay = widget.locator('input[type="range"][data-field="inferencesPerDay"]');
      await keyboardRun(page, perDay, 20);

      const keys = await keyboardRun(page, perDay, EVENTS);
      const price = widget.locator('input[type="range"][data-field="pricePerKWh"]');
      const drag = await mouseRun(page, price, EVENTS);
      const next = quantile(keys.next, 0.5);
      const reference = quantile(keys.reference, 0.5);
      const lost = next - reference;
      console.log('');
      console.log(`${name} (${scenario.horizonYears} yearly rows, tornado of 13 inputs):`);
      console.log(
        ` notebook opened cold: output to widget ${ms(opened[0])}, to drawn charts ${ms(opened[1])} (chunks fetched then)`
      );
      console.log(' keyboard, "inferences per day", one key at a time');
      console.log(line('key to the next frame, live widget', keys.next));
      console.log(line('key to the next frame, inert slider (ref.)', keys.reference));
      console.log(
        `  next frame: live ${ms(next)} - reference ${ms(reference)} = ${ms(lost)} (goal <= ${ms(FRAME_MS)}): ${lost <= FRAME_MS ? 'met' : 'NOT met'}`
      );
      console.log(line('key to the frame showing the new charts', keys.charts));
      console.log(line('recompute + figures (gaissa:roi-figures)', keys.figures));
      console.log(line('key handler to charts drawn (roi-update)', keys.update));
      console.log(line('  drawing: cost chart', keys.cost));
      console.log(line('  drawing: CO2e chart', keys.co2));
      console.log(line('  drawing: tornado', keys.tornado));
      console.log(
        ` mouse drag, "electricity price": ${drag.inputs} input events -> ${drag.figures.length} recomputes, ${drag.update.length} chart draws`
      );
      console.log(line('recompute + figures (gaissa:roi-figures)', drag.figures));
      console.log(line('input to charts drawn (gaissa:roi-update)', drag.update));
      await context.close();
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
