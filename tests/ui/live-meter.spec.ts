/**
 * The live side: the kernel's half of the `gaissa.meter` comm (live power in the status bar, the
 * frontend's settings applied) and `%%gaissa measure`.
 */
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { openNotebook, runCell, writeNotebook } from './jupyterlab-helpers';
import { RESULTS_DIR } from './playwright.config';

test('the status bar shows the live power of a GAISSA kernel', async ({ page }) => {
  await writeNotebook('meter.ipynb', [{ source: '1 + 1' }]);
  await openNotebook(page, 'meter.ipynb');
  const status = page.locator('.gaissa-statusbar');
  // 'unavailable' would mean the kernel did not answer the comm: a failure, not a skip.
  await expect(status).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
  await expect(status.locator('.gaissa-statusbar-text')).toHaveText(
    /^\d[\d.]* [kmµ]?W · [\d.]+ [kmµ]?J · [\d.]+ [kmµ]?g CO2e$/
  );
});

test('a region change applies to the next measurement', async ({ page }) => {
  const received: string[] = [];
  page.on('websocket', ws =>
    ws.on('framereceived', frame => {
      received.push(
        typeof frame.payload === 'string' ? frame.payload : frame.payload.toString('utf8')
      );
    })
  );
  await writeNotebook('region.ipynb', [
    { source: '%gaissa help' },
    { source: '%%gaissa measure\nlet s = 0;\nfor (let i = 0; i < 2e6; i++) s += i;' }
  ]);
  await openNotebook(page, 'region.ipynb');
  await runCell(page, 0);
  const help = await page.locator('.jp-Cell').nth(0).locator('.jp-OutputArea').innerText();
  expect(help).toMatch(/\bmeasure\b/);

  const card = page.locator('.jp-Cell').nth(1).locator('.gaissa-measurement');
  await runCell(page, 1);
  await expect(card).toBeVisible();
  const before = await card
    .locator('.gaissa-measurement-figure-item', { hasText: 'CO2e' })
    .innerText();

  await page.locator('#jp-MainMenu').getByText('Settings', { exact: true }).click();
  await page.locator('.lm-Menu-itemLabel', { hasText: 'Settings Editor' }).click();
  await page.getByText('GAISSA green AI').first().click();
  const region = page.locator('input[id*="gaissa-jupyterlab:plugin"][id$="_region"]');
  await region.fill('PL');
  await region.press('Tab');
  // The kernel confirms the settings it will use for the next measurement.
  await expect
    .poll(() => received.some(f => f.includes('"settings-applied"') && f.includes('"POL"')), {
      timeout: 30_000
    })
    .toBe(true);
  await page.locator('.lm-TabBar-tab', { hasText: 'region.ipynb' }).click();

  await runCell(page, 1);
  await expect(card).toContainText('Poland');
  const after = await card
    .locator('.gaissa-measurement-figure-item', { hasText: 'CO2e' })
    .innerText();
  expect(after).not.toBe(before);

  // The whole workbench for the README: a real measurement, its badge and the live meter.
  await expect(page.locator('.gaissa-statusbar')).toHaveAttribute('data-state', /live|idle/);
  await page.screenshot({ path: join(RESULTS_DIR, 'gaissa-overview.png') });
});
