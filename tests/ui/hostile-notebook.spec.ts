/**
 * A notebook from a stranger: markup and script in every string of our payloads and metadata,
 * and a text/html twin with script. None of it may run; the strings show as text.
 */
import { expect, test } from '@playwright/test';
import { asPayload, sampleRecord } from '../unit/extension/fixtures/measurement-record';
import { openNotebook, writeNotebook } from './jupyterlab-helpers';

const MIME = 'application/vnd.gaissa.measurement.v1+json';
const SCRIPT =
  '<img src=x onerror="window.__gaissaPwned=1"><script>window.__gaissaPwned=1</script>';

function output(data: Record<string, unknown>) {
  return { output_type: 'display_data', metadata: {}, data };
}

test('a crafted notebook runs none of the script in its payloads', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', dialog => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const hostile = sampleRecord({
    label: SCRIPT,
    regionName: SCRIPT,
    notes: [SCRIPT],
    fallbackReasons: [SCRIPT],
    status: 'error',
    error: { name: SCRIPT, message: SCRIPT }
  });
  hostile.host.cpuModel = SCRIPT;
  const summary = {
    id: 'm-hostile',
    label: SCRIPT,
    status: 'ok',
    endedAt: '2025-01-02T03:04:11.000Z',
    energyJ: 1.5,
    durationS: 0.5,
    powerW: 3,
    co2eG: 0.01,
    cost: null,
    currency: null,
    method: 'estimate',
    estimated: true,
    region: 'FRA',
    repeats: 1
  };
  await writeNotebook('hostile.ipynb', [
    {
      source: '// valid record, hostile strings',
      outputs: [output({ [MIME]: asPayload(hostile), 'text/html': SCRIPT, 'text/plain': 'x' })]
    },
    {
      source: '// invalid record',
      outputs: [
        output({
          [MIME]: { schemaVersion: 1, label: SCRIPT },
          'text/html': SCRIPT,
          'text/plain': 'x'
        })
      ]
    },
    {
      source: '// hostile but well-formed cell metadata',
      metadata: { gaissa: { schemaVersion: 1, lastMeasurement: summary } }
    },
    {
      source: '// malformed cell metadata',
      metadata: { gaissa: { schemaVersion: 1, lastMeasurement: { ...summary, energyJ: SCRIPT } } }
    }
  ]);
  await openNotebook(page, 'hostile.ipynb');

  const cells = page.locator('.jp-NotebookPanel .jp-Cell');
  const card = cells.nth(0).locator('.gaissa-measurement');
  await expect(card).toBeVisible();
  await expect(card).toContainText('<img src=x onerror=');
  await expect(cells.nth(1).locator('.gaissa-measurement-invalid')).toContainText(
    'Invalid GAISSA measurement'
  );
  const badge = cells.nth(2).locator('.gaissa-cell-badge');
  await expect(badge).toBeVisible();
  await expect(badge).toHaveAttribute('title', /<img src=x onerror=/);
  await expect(cells.nth(3).locator('.gaissa-cell-badge')).toBeHidden();

  // Give any injected handler the chance to fire, then check that none did.
  await page.waitForTimeout(1000);
  expect(await page.evaluate(() => (window as { __gaissaPwned?: unknown }).__gaissaPwned)).toBe(
    undefined
  );
  expect(
    await page.locator('.jp-NotebookPanel img[src="x"], .jp-NotebookPanel script').count()
  ).toBe(0);
  expect(dialogs).toEqual([]);
});
