/**
 * The label card in a real JupyterLab: `await gaissa.label({...})` on the gaissa kernel draws the
 * card; a metric reached with the keyboard (and one hovered) shows its details; a training label
 * of the same model enables the phase switch; the JSON download is the record; saving writes
 * metadata.gaissa.labels, and the reopened notebook shows the banner at the top, whose button
 * scrolls to the label's cell. Screenshots of both themes go to test-results/.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openNotebook, readNotebook, runCell, setTheme, writeNotebook } from './jupyterlab-helpers';
import { RESULTS_DIR } from './playwright.config';

const INFERENCE = [
  'await gaissa.label({',
  "  phase: 'inference',",
  "  population: 'fixed',",
  '  metrics: { energyPerInferenceJ: 0.25, co2ePerInferenceG: 0.0000131, latencyMs: 12,',
  '             modelSizeMB: 0.4, accuracy: 0.97 },',
  "  model: { name: 'mnist-mlp' },",
  "  sci: { energyKWh: 0.0000694, carbonIntensity: 56, functionalUnits: 1000, functionalUnit: 'inference' },",
  "  method: 'measured'",
  '})'
].join('\n');

const TRAINING = [
  'await gaissa.label({',
  "  phase: 'training',",
  '  metrics: { trainingEnergyKWh: 0.02, trainingCo2eKg: 0.0011, accuracy: 0.97 },',
  "  model: { name: 'mnist-mlp' },",
  "  method: 'measured'",
  '})'
].join('\n');

/** A saved output tall enough to push the label cells below the fold. */
const TALL_OUTPUT = {
  output_type: 'stream',
  name: 'stdout',
  text: Array.from({ length: 80 }, (_, i) => `line ${i + 1}\n`).join('')
};

/** Output arrival to drawn label, from the renderer's User Timing entry. */
async function labelTiming(page: Page): Promise<number> {
  return page.evaluate(
    () => performance.getEntriesByName('gaissa:label').at(-1)?.duration ?? Number.NaN
  );
}

test.afterEach(async () => {
  await setTheme('JupyterLab Light');
});

async function saveAndWait(page: Page, name: string, labels: number): Promise<void> {
  // Command mode on a cell (not inside the label), then save.
  await page.locator('.jp-NotebookPanel .jp-Cell .jp-InputArea-prompt').first().click();
  await page.keyboard.press('Control+s');
  // Read only once the save is done: a read during the server's atomic write finds a partial
  // file, which the server then moves aside as *.invalid.
  await expect(page.locator('.lm-TabBar-tab.jp-mod-dirty')).toHaveCount(0, { timeout: 20_000 });
  const notebook = (await readNotebook(name)) as unknown as {
    metadata: { gaissa?: { labels?: unknown[] } };
  };
  expect(notebook.metadata.gaissa?.labels?.length ?? 0).toBe(labels);
}

test('gaissa.label draws the card; details, phase switch, download, metadata and banner', async ({
  page
}) => {
  const name = 'labeled.ipynb';
  await writeNotebook(name, [
    { source: '// a long log', outputs: [TALL_OUTPUT] },
    { source: INFERENCE },
    { source: TRAINING }
  ]);
  await openNotebook(page, name);
  // No labels yet: no banner.
  await expect(page.locator('.jp-NotebookPanel .gaissa-label-banner')).toHaveCount(0);

  await runCell(page, 1);
  const cells = page.locator('.jp-NotebookPanel .jp-Cell');
  const label = cells.nth(1).locator('.jp-OutputArea .gaissa-label');
  await expect(label).toBeVisible();
  await expect(label).toHaveAttribute('data-phase', 'inference');
  const rating = await label.getAttribute('data-rating');
  expect(rating).toMatch(/^[A-E]$/);
  await expect(label.locator('.gaissa-label-picture svg')).toContainText('mnist-mlp');
  await expect(label.locator('.gaissa-label-picture svg')).toContainText('Inference phase');
  await expect(label.locator('g.gaissa-label-metric')).toHaveCount(5);
  const drawnIn = await labelTiming(page);
  console.log(`label drawn ${drawnIn.toFixed(1)} ms after its output arrived (first label, cold)`);
  expect(drawnIn).toBeLessThan(2000);
  // The banner appears as soon as the label is recorded.
  await expect(page.locator('.jp-NotebookPanel .gaissa-label-banner')).toContainText('mnist-mlp');

  // Keyboard: from the last button, Tab reaches the first metric; an arrow the next one.
  const details = label.locator('.gaissa-label-details');
  await label.locator('[data-action=download-json]').focus();
  await page.keyboard.press('Tab');
  const energy = label.locator('g.gaissa-label-metric[data-metric=energyPerInferenceJ]');
  await expect(energy).toBeFocused();
  await expect(details).toContainText('Energy');
  await expect(details).toContainText('250 mJ');
  await expect(details).toContainText('J (joules) per inference');
  await expect(details).toContainText('Index');
  await expect(details).toContainText('Reference');
  await page.keyboard.press('ArrowDown');
  await expect(label.locator('g.gaissa-label-metric[data-metric=co2ePerInferenceG]')).toBeFocused();
  await expect(details).toHaveAttribute('data-metric', 'co2ePerInferenceG');
  // The notebook kept its active cell: the arrow stayed with the label.
  await expect(cells.nth(1)).toHaveClass(/jp-mod-active/);
  // Hover shows another metric's details.
  await label.locator('g.gaissa-label-metric[data-metric=latencyMs]').hover();
  await expect(details).toHaveAttribute('data-metric', 'latencyMs');
  await expect(details).toContainText('12 ms');
  await label.screenshot({ path: join(RESULTS_DIR, 'gaissa-label-light.png') });

  // No training label yet: the switch says why; the training label of the same model enables it.
  const training = label.locator('input[type=radio][value=training]');
  await expect(training).toBeDisabled();
  await expect(label.locator('.gaissa-label-phase-note')).toContainText('holds no training label');
  await runCell(page, 2);
  await expect(cells.nth(2).locator('.gaissa-label')).toHaveAttribute('data-phase', 'training');
  await expect(training).toBeEnabled();
  console.log(
    `label drawn ${(await labelTiming(page)).toFixed(1)} ms after its output arrived (warm)`
  );
  await label.locator('label.gaissa-label-phase[data-phase=training]').click();
  await expect(label).toHaveAttribute('data-phase', 'training');
  await expect(label.locator('.gaissa-label-picture svg')).toContainText('Training phase');
  // Rated against the Hugging Face population by default: said, and where the model stands.
  await expect(label.locator('.gaissa-label-picture svg')).toContainText('Rated against:');
  await expect(label.locator('.gaissa-label-picture svg')).toContainText('Where you stand');

  // The JSON download is the record on screen.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    label.locator('[data-action=download-json]').click()
  ]);
  expect(download.suggestedFilename()).toBe('gaissa-label-mnist-mlp-training.json');
  const saved = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(saved).toMatchObject({ format: 'gaissa.label', phase: 'training' });
  await label.locator('label.gaissa-label-phase[data-phase=inference]').click();
  await expect(label).toHaveAttribute('data-phase', 'inference');

  await saveAndWait(page, name, 2);
  const notebook = (await readNotebook(name)) as unknown as {
    metadata: {
      gaissa: { labels: Array<{ key: string; cellId: string; record: { phase: string } }> };
    };
    cells: Array<{ id: string }>;
  };
  const entries = notebook.metadata.gaissa.labels;
  expect(entries.map(e => e.record.phase)).toEqual(['inference', 'training']);
  expect(entries.map(e => e.cellId)).toEqual([notebook.cells[1].id, notebook.cells[2].id]);
  for (const e of entries) expect(e.key).toMatch(/^[0-9a-f]{64}$/);

  // Reopened: the banner sits at the top, above the first cell, from the metadata.
  await openNotebook(page, name);
  const banner = page.locator('.jp-NotebookPanel .gaissa-label-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('Energy labels');
  const items = banner.locator('.gaissa-label-banner-item');
  await expect(items).toHaveCount(2);
  await expect(items.first().locator('.gaissa-rating')).toHaveText(rating!);
  await expect(items.first()).toContainText('mnist-mlp');
  await expect(items.first()).toContainText(/SCI [\d.]+ .?g CO2e per inference/);
  const bannerBox = (await banner.boundingBox())!;
  const firstCell = (await cells.first().boundingBox())!;
  expect(bannerBox.y + bannerBox.height).toBeLessThanOrEqual(firstCell.y + 1);
  await page
    .locator('.jp-NotebookPanel')
    .screenshot({ path: join(RESULTS_DIR, 'gaissa-label-banner-light.png') });

  // Enter on the banner's first label scrolls to its cell and focuses the label there.
  const target = cells.nth(1).locator('.gaissa-label');
  await items.first().focus();
  await page.keyboard.press('Enter');
  await expect(target).toBeFocused();
  await expect(target).toBeInViewport();
  // Reopening changed nothing: the notebook is not dirty.
  await expect(page.locator('.jp-NotebookPanel-toolbar, .jp-Toolbar').first()).toBeVisible();
  await expect(page.locator('.jp-mod-dirty')).toHaveCount(0);

  // Dark theme: the card follows it, the drawing keeps its own white card.
  await setTheme('JupyterLab Dark');
  await openNotebook(page, name);
  await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'false');
  await expect(cells.nth(1).locator('.gaissa-label')).toBeVisible();
  await cells.nth(1).locator('.gaissa-label').scrollIntoViewIfNeeded();
  await cells.nth(1).locator('g.gaissa-label-metric[data-metric=accuracy]').focus();
  await cells
    .nth(1)
    .locator('.gaissa-label')
    .screenshot({ path: join(RESULTS_DIR, 'gaissa-label-dark.png') });
  await page
    .locator('.jp-NotebookPanel')
    .screenshot({ path: join(RESULTS_DIR, 'gaissa-label-banner-dark.png') });
});

test('a stranger’s labeled notebook runs none of the script in its labels', async ({ page }) => {
  const SCRIPT =
    '<img src=x onerror="window.__gaissaPwned=1"><script>window.__gaissaPwned=1</script>';
  const record = {
    format: 'gaissa.label',
    version: 1,
    phase: 'inference',
    rating: 'B',
    score: 1.2,
    metrics: { energyPerInferenceJ: { value: 0.5, index: 2, rating: 'B' } },
    basis: {
      reference: { energyPerInferenceJ: 1 },
      boundaries: { energyPerInferenceJ: [2, 1.25, 0.8, 0.5] },
      weights: { energyPerInferenceJ: 1 }
    },
    model: { name: SCRIPT },
    measurements: [],
    issued: '2025-01-02T03:04:05.000Z',
    method: 'estimated',
    context: { location: SCRIPT }
  };
  const key = 'c'.repeat(64);
  const mime = 'application/vnd.gaissa.label.v1+json';
  const output = (data: unknown, meta: unknown) => ({
    output_type: 'display_data',
    metadata: { [mime]: meta },
    data: { [mime]: data, 'image/svg+xml': `<svg>${SCRIPT}</svg>`, 'text/plain': 'label' }
  });
  await writeNotebook('stranger.ipynb', [
    { source: '// hostile but valid', outputs: [output(record, { record: true, key })] },
    {
      source: '// wrong types',
      outputs: [output({ ...record, rating: SCRIPT, score: 'x' }, { record: true, key: SCRIPT })]
    }
  ]);
  // The hostile entries in the metadata, too.
  const { api } = await import('./jupyterlab-helpers');
  const content = (await (await api('/api/contents/stranger.ipynb?content=1')).json()) as {
    content: { metadata: Record<string, unknown> };
  };
  content.content.metadata.gaissa = {
    labels: [
      { key, cellId: SCRIPT, record },
      { key: SCRIPT, record: SCRIPT }
    ]
  };
  await api('/api/contents/stranger.ipynb', {
    method: 'PUT',
    body: JSON.stringify({ type: 'notebook', format: 'json', content: content.content })
  });
  await openNotebook(page, 'stranger.ipynb');
  const cells = page.locator('.jp-NotebookPanel .jp-Cell');
  await expect(cells.nth(0).locator('.gaissa-label svg')).toContainText('<img src=x');
  await expect(cells.nth(1).locator('.gaissa-label-invalid')).toContainText('Invalid GAISSA label');
  const banner = page.locator('.jp-NotebookPanel .gaissa-label-banner');
  await expect(banner.locator('.gaissa-label-banner-item')).toHaveCount(1);
  await expect(banner).toContainText('<img src=x');
  await page.waitForTimeout(1000);
  expect(await page.evaluate(() => (window as { __gaissaPwned?: unknown }).__gaissaPwned)).toBe(
    undefined
  );
  expect(
    await page.locator('.jp-NotebookPanel img[src="x"], .jp-NotebookPanel script').count()
  ).toBe(0);
});
