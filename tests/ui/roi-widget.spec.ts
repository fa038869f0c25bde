/**
 * The ROI widget in a real JupyterLab: `gaissa.roi({...})` runs on the `gaissa` kernel, a slider
 * moves (keyboard and mouse), the figures and the charts change, the scenario is saved in the
 * notebook and comes back after a reload; reset returns to the kernel's figures. Screenshots of
 * both themes go to test-results/.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { join } from 'node:path';
import { TIMED_SCENARIO, whatIfPayload } from '../unit/extension/fixtures/roi-payload';
import { openNotebook, readNotebook, runCell, setTheme, writeNotebook } from './jupyterlab-helpers';
import { RESULTS_DIR } from './playwright.config';

const MIME = 'application/vnd.gaissa.roi.v1+json';

test.afterEach(async () => {
  await setTheme('JupyterLab Light');
});

const figure = (widget: Locator, key: string) =>
  widget.locator(`[data-figure="${key}"] .gaissa-roi-value`);

/**
 * What the drawn cost chart shows: its summary and the data of every point drawn (each
 * point's own accessible label), independent of the chart's pixel width.
 */
async function costChartState(widget: Locator): Promise<string> {
  const host = widget.locator('[data-chart="cost"]');
  const points = await host
    .locator('svg [aria-roledescription="point"]')
    .evaluateAll(nodes => nodes.map(n => n.getAttribute('aria-label')));
  return [await host.getAttribute('aria-label'), ...points].join('\n');
}

async function chartsDrawn(widget: Locator): Promise<void> {
  for (const chart of ['cost', 'co2', 'tornado']) {
    await expect(widget.locator(`[data-chart="${chart}"] svg`)).toBeVisible();
  }
}

/** The slider state in the saved notebook file (undefined when there is none). */
async function savedState(name: string): Promise<unknown> {
  const output = (await readNotebook(name)).cells[0].outputs[0] as
    { metadata?: Record<string, unknown> } | undefined;
  return output?.metadata?.[MIME];
}

/**
 * On a loaded machine JupyterLab sometimes asks which kernel to start although the notebook names
 * `gaissa` (the session attaches while the kernel list is still loading): answer it, then run.
 */
async function runOnGaissa(page: Page, index: number): Promise<void> {
  const dialog = page.locator('.jp-Dialog', { hasText: 'Select Kernel' });
  await page.waitForTimeout(1000);
  if (await dialog.isVisible()) {
    await dialog.locator('select').selectOption({ label: 'TypeScript (GAISSA)' });
    await dialog.getByRole('button', { name: 'Select' }).click();
    await expect(dialog).toBeHidden();
  }
  await runCell(page, index);
}

/** The whole widget: a viewport tall enough to show it at once, then back. */
async function screenshot(page: Page, widget: Locator, file: string): Promise<void> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 2000 });
  await chartsDrawn(widget);
  await page.waitForTimeout(500);
  await widget.screenshot({ path: join(RESULTS_DIR, file) });
  if (size) await page.setViewportSize(size);
}

/** Saves with the notebook toolbar's button (a focused slider keeps shortcuts to itself). */
async function save(page: Page): Promise<void> {
  await page.locator('.jp-NotebookPanel-toolbar [data-command="docmanager:save"]').click();
}

test('a slider moves the figures and the charts, and the scenario survives save and reload', async ({
  page
}) => {
  const name = 'roi.ipynb';
  await writeNotebook(name, [{ source: `gaissa.roi(${JSON.stringify(TIMED_SCENARIO)})` }]);
  await openNotebook(page, name);
  await runOnGaissa(page, 0);

  const widget = page.locator('.jp-OutputArea .gaissa-roi');
  await expect(widget).toBeVisible();
  await chartsDrawn(widget);
  await expect(widget.locator('.gaissa-roi-status')).toContainText('kernel');
  const kernelNpv = await figure(widget, 'npv').textContent();
  const kernelPayback = await figure(widget, 'payback').textContent();
  const kernelChart = await costChartState(widget);
  expect(kernelNpv).toMatch(/EUR$/);

  // Keyboard: focus the "inferences per day" slider and step it up ten times.
  const perDay = widget.locator('input[type="range"][data-field="inferencesPerDay"]');
  const perDayBox = widget.locator('input[type="text"][data-field="inferencesPerDay"]');
  await perDay.focus();
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  await expect(perDayBox).toHaveValue('2500000');
  await expect(perDay).toBeFocused();
  await expect(figure(widget, 'npv')).not.toHaveText(kernelNpv ?? '');
  await expect(figure(widget, 'payback')).not.toHaveText(kernelPayback ?? '');
  await expect.poll(() => costChartState(widget)).not.toBe(kernelChart);
  await expect(widget.locator('.gaissa-roi-status')).toContainText('Adjusted');
  // The notebook stayed where it was: the arrows moved the slider, not the cell selection.
  await expect(page.locator('.jp-Cell').first()).toHaveClass(/jp-mod-selected/);

  // Mouse: drag the price slider's thumb to the right.
  const price = widget.locator('input[type="range"][data-field="pricePerKWh"]');
  const priceBox = widget.locator('input[type="text"][data-field="pricePerKWh"]');
  const box = await price.boundingBox();
  if (!box) throw new Error('the price slider has no box');
  // The thumb sits at a quarter of the track (0.25 on a slider that ends at 1 EUR per kWh).
  const thumbX = box.x + box.width * 0.25;
  await page.mouse.move(thumbX, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(priceBox).not.toHaveValue('0.25');
  const adjustedNpv = await figure(widget, 'npv').textContent();
  const adjustedPrice = await priceBox.inputValue();
  const adjustedChart = await costChartState(widget);

  // An invalid typed value: a clear message, the figures stay, nothing reads NaN.
  const growthBox = widget.locator('input[type="text"][data-field="annualGrowth"]');
  await growthBox.fill('lots');
  await expect(widget.locator('.gaissa-roi-messages')).toContainText('"lots" is not a number');
  await expect(figure(widget, 'npv')).toHaveText(adjustedNpv ?? '');
  await expect(widget).not.toContainText('NaN');
  await growthBox.fill('20');
  await expect(widget.locator('.gaissa-roi-messages')).toBeEmpty();

  // Saved in the output's metadata when the notebook is saved: Ctrl+S works with the focus
  // still in the widget (plain keys stay with the inputs, shortcuts with modifiers do not).
  await page.waitForTimeout(600);
  await expect(growthBox).toBeFocused();
  await page.keyboard.press('Control+s');
  await expect
    .poll(async () => savedState(name), { timeout: 20_000 })
    .toMatchObject({
      version: 1,
      scenario: { inferencesPerDay: 2_500_000, pricePerKWh: Number(adjustedPrice) }
    });

  // Reload: the same scenario, the same figures, the same chart.
  await openNotebook(page, name);
  await expect(widget).toBeVisible();
  await chartsDrawn(widget);
  await expect(perDayBox).toHaveValue('2500000');
  await expect(priceBox).toHaveValue(adjustedPrice);
  await expect(figure(widget, 'npv')).toHaveText(adjustedNpv ?? '');
  await expect(widget.locator('.gaissa-roi-status')).toContainText('Adjusted');
  await expect.poll(() => costChartState(widget)).toBe(adjustedChart);
  await screenshot(page, widget, 'gaissa-roi-light.png');

  // Reset: back to the kernel's figures, and the saved state goes away.
  await widget.locator('.gaissa-roi-reset').click();
  await expect(figure(widget, 'npv')).toHaveText(kernelNpv ?? '');
  await expect(perDayBox).toHaveValue('2000000');
  await expect(widget.locator('.gaissa-roi-status')).toContainText('kernel');
  await save(page);
  await expect.poll(async () => savedState(name), { timeout: 20_000 }).toBeUndefined();
});

test('a literature what-if says "expected" with its source, in the dark theme too', async ({
  page
}) => {
  const name = 'roi-what-if.ipynb';
  const input = {
    tactic: 'deep-compression',
    baselineEnergyJ: 8,
    pricePerKWh: 0.3,
    implementationCost: 1500,
    inferences: 5_000_000,
    carbonIntensity: 300,
    inferencesPerDay: 400_000,
    horizonYears: 3,
    currency: 'USD'
  };
  await writeNotebook(name, [{ source: `gaissa.roi.whatIf(${JSON.stringify(input)})` }]);
  await setTheme('JupyterLab Dark');
  await openNotebook(page, name);
  await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'false');
  await runOnGaissa(page, 0);
  const widget = page.locator('.jp-OutputArea .gaissa-roi');
  await expect(widget).toBeVisible();
  await expect(widget).toHaveAttribute('data-expected', 'true');
  await expect(widget.locator('.gaissa-roi-expected')).toContainText('Expected, not measured:');
  await expect(widget.locator('.gaissa-roi-expected cite')).not.toBeEmpty();
  await expect(widget.locator('.gaissa-roi-expected a')).toHaveAttribute('href', /^https:\/\//);
  await chartsDrawn(widget);
  await screenshot(page, widget, 'gaissa-roi-dark.png');
});

test('a stranger’s ROI output runs none of the script in its strings or saved state', async ({
  page
}) => {
  const SCRIPT =
    '<img src=x onerror="window.__gaissaPwned=1"><script>window.__gaissaPwned=1</script>';
  const dialogs: string[] = [];
  page.on('dialog', dialog => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const payload = whatIfPayload();
  const expected = payload.expected as NonNullable<typeof payload.expected>;
  expected.name = SCRIPT;
  expected.source = SCRIPT;
  expected.caveat = SCRIPT;
  payload.result.explanations = { ...payload.result.explanations, baselineEnergyJ: SCRIPT };
  const output = (data: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
    output_type: 'display_data',
    metadata,
    data: { ...data, 'text/html': SCRIPT, 'text/plain': 'x' }
  });
  await writeNotebook('roi-hostile.ipynb', [
    {
      source: '// valid payload, hostile strings, hostile saved state',
      outputs: [
        output({ [MIME]: payload }, { [MIME]: { version: 1, scenario: { [SCRIPT]: SCRIPT } } })
      ]
    },
    {
      source: '// invalid payload',
      outputs: [output({ [MIME]: { scenario: SCRIPT, result: SCRIPT } })]
    }
  ]);
  await openNotebook(page, 'roi-hostile.ipynb');
  const widgets = page.locator('.jp-OutputArea .gaissa-roi');
  await expect(widgets).toHaveCount(2);
  await expect(widgets.nth(0).locator('.gaissa-roi-expected')).toContainText(SCRIPT);
  await expect(widgets.nth(0).locator('.gaissa-roi-notice')).toContainText('was ignored');
  await expect(widgets.nth(1)).toContainText('Invalid GAISSA ROI output');
  await expect(page.locator('.jp-OutputArea img[src="x"], .jp-OutputArea script')).toHaveCount(0);
  await page.waitForTimeout(500);
  expect(await page.evaluate('window.__gaissaPwned')).toBeUndefined();
  expect(dialogs).toEqual([]);
});
