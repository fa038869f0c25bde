/**
 * The extension in a real JupyterLab: a measurement output renders as a card with its chart, the
 * cell gets its energy badge, the status bar shows the GAISSA meter, and all of it survives save
 * and reload. Screenshots of both themes go to test-results/.
 */
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { asPayload, sampleRecord } from '../unit/extension/fixtures/measurement-record';
import { openNotebook, readNotebook, runCell, setTheme, writeNotebook } from './jupyterlab-helpers';
import { RESULTS_DIR } from './playwright.config';

const MIME = 'application/vnd.gaissa.measurement.v1+json';

/** A cell that displays a measurement the way `%%gaissa measure` will. */
export function displayCell(payload: unknown): string {
  return [
    'gaissa.display({',
    `  '${MIME}': ${JSON.stringify(payload)},`,
    "  'text/plain': 'GAISSA measurement'",
    '});'
  ].join('\n');
}

test.afterEach(async () => {
  await setTheme('JupyterLab Light');
});

test('a measured cell shows the card, the badge and the meter, also after reload', async ({
  page
}) => {
  const name = 'measured.ipynb';
  await writeNotebook(name, [
    { source: displayCell(asPayload(sampleRecord())) },
    { source: 'const answer = 6 * 7;\nanswer' }
  ]);
  await openNotebook(page, name);
  await runCell(page, 0);

  const card = page.locator('.jp-OutputArea .gaissa-measurement');
  await expect(card).toBeVisible();
  await expect(card).toContainText('Energy measurement');
  await expect(card).toContainText('11.5 J');
  await expect(card.locator('.gaissa-badge-estimated')).toHaveText('estimated');
  await expect(card.locator('.gaissa-measurement-chart svg')).toBeVisible();
  // Drawn as SVG, the chart keeps its accessible name.
  await expect(card.locator('.gaissa-measurement-chart')).toHaveAttribute(
    'aria-label',
    'Power over time, by component'
  );

  const badge = page.locator('.jp-Cell').first().locator('.gaissa-cell-badge');
  await expect(badge).toBeVisible();
  await expect(badge).toContainText('11.5 J');
  // Only the measured cell has a badge.
  await expect(page.locator('.jp-Cell').nth(1).locator('.gaissa-cell-badge')).toBeHidden();

  // The meter is there for a GAISSA kernel; clicking it lists the notebook's measurements.
  await expect(page.locator('.gaissa-statusbar')).toBeVisible();
  await page.locator('.gaissa-statusbar').click();
  const panel = page.locator('#gaissa-measurements');
  await expect(panel).toBeVisible();
  await expect(panel.locator('tbody tr')).toHaveCount(1);
  await expect(panel.locator('tbody tr')).toContainText('11.5 J');
  await expect(panel.locator('tbody tr')).toContainText('matrix product');

  await page.keyboard.press('Control+s');
  // Read only once the save is done: a read during the server's atomic write finds a partial
  // file, which the server then moves aside as *.invalid.
  await expect(page.locator('.lm-TabBar-tab.jp-mod-dirty')).toHaveCount(0, { timeout: 20_000 });
  await expect
    .poll(async () => (await readNotebook(name)).cells[0].metadata.gaissa, { timeout: 20_000 })
    .toMatchObject({ schemaVersion: 1, lastMeasurement: { id: 'm-test-1', repeats: 3 } });

  // Reopened in a fresh page: the saved output draws its card (its code fetched as the notebook
  // opens), the badge comes from the saved metadata, the meter from the restarted kernel.
  await openNotebook(page, name);
  await expect(card).toBeVisible();
  await expect(card).toContainText('11.5 J');
  await expect(card.locator('.gaissa-measurement-chart svg')).toBeVisible();
  await expect(badge).toContainText('11.5 J');
  await expect(page.locator('.gaissa-statusbar')).toBeVisible();
  await page
    .locator('.jp-NotebookPanel')
    .screenshot({ path: join(RESULTS_DIR, 'gaissa-light.png') });

  await setTheme('JupyterLab Dark');
  await openNotebook(page, name);
  await expect(page.locator('body')).toHaveAttribute('data-jp-theme-light', 'false');
  await expect(card.locator('.gaissa-measurement-chart svg')).toBeVisible();
  await page
    .locator('.jp-NotebookPanel')
    .screenshot({ path: join(RESULTS_DIR, 'gaissa-dark.png') });
});
