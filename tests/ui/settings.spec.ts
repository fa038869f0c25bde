/**
 * Settings: GAISSA's settings are in the Settings Editor, and what the user sets there reaches the
 * GAISSA kernel over the `gaissa.meter` comm (in the comm's hello, and in a settings message
 * while the comm is open).
 */
import { expect, test, type Page } from '@playwright/test';
import { api, openNotebook, writeNotebook } from './jupyterlab-helpers';

/** Every message the page sends to a kernel, as text (binary frames hold JSON too). */
function recordKernelFrames(page: Page): string[] {
  const frames: string[] = [];
  page.on('websocket', ws => {
    if (!ws.url().includes('/api/kernels/')) return;
    ws.on('framesent', frame => {
      frames.push(
        typeof frame.payload === 'string' ? frame.payload : frame.payload.toString('utf8')
      );
    });
  });
  return frames;
}

async function setRegionInSettingsEditor(page: Page, region: string): Promise<void> {
  await page.locator('#jp-MainMenu').getByText('Settings', { exact: true }).click();
  await page.locator('.lm-Menu-itemLabel', { hasText: 'Settings Editor' }).click();
  const editor = page.locator('.jp-SettingsPanel, .jp-SettingsEditor').first();
  await editor.getByText('GAISSA green AI').first().click();
  // The form's inputs carry ids made of the plugin id and the property name.
  const field = page.locator('input[id*="gaissa-jupyterlab:plugin"][id$="_region"]');
  await expect(field).toBeVisible();
  await field.fill(region);
  await field.press('Tab');
}

test('the settings are in the Settings Editor and reach the kernel', async ({ page }) => {
  const response = await api('/lab/api/settings/gaissa-jupyterlab:plugin');
  const plugin = (await response.json()) as { schema: { properties: Record<string, unknown> } };
  expect(Object.keys(plugin.schema.properties).sort()).toEqual(
    ['autoMeasure', 'currency', 'defaultRepeats', 'pricePerKWh', 'pue', 'region'].sort()
  );

  const frames = recordKernelFrames(page);
  await writeNotebook('settings.ipynb', [{ source: '1 + 1' }]);
  await openNotebook(page, 'settings.ipynb');
  await expect
    .poll(() => frames.some(f => f.includes('"gaissa.meter"') && f.includes('"type":"hello"')))
    .toBe(true);

  await setRegionInSettingsEditor(page, 'FR');
  await expect
    .poll(async () => {
      const saved = await api('/lab/api/settings/gaissa-jupyterlab:plugin');
      return ((await saved.json()) as { settings: { region?: string } }).settings.region;
    })
    .toBe('FR');

  const status = page.locator('.gaissa-statusbar');
  if ((await status.getAttribute('data-state')) === 'unavailable') {
    // This kernel closed the comm (no gaissa.meter target): the settings go with the next hello.
    await page.locator('.lm-TabBar-tab', { hasText: 'settings.ipynb' }).click();
    await page.locator('#jp-MainMenu').getByText('Kernel', { exact: true }).click();
    await page.locator('.lm-Menu-itemLabel', { hasText: /^Restart Kernel…$/ }).click();
    await page.locator('.jp-Dialog .jp-mod-accept').click();
    await expect
      .poll(() => frames.some(f => f.includes('"type":"hello"') && f.includes('"region":"FR"')), {
        timeout: 60_000
      })
      .toBe(true);
  } else {
    await expect
      .poll(() => frames.some(f => f.includes('"type":"settings"') && f.includes('"region":"FR"')))
      .toBe(true);
  }
});
