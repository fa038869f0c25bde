/**
 * The energy profile renderer (issue #17) in a real JupyterLab: a stored `%%gaissa profile` output
 * (the attribution fixture's record, checked against schema/profile.schema.json here) shows the
 * hottest lines with their bars, each cell's code with the bars in place and the flame graph; a
 * stranger's profile with markup in its strings shows it as text and runs none of it.
 */
import { expect, test, type Page } from '@playwright/test';
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from '../unit/core/fixtures/profile';
import { openNotebook, writeNotebook } from './jupyterlab-helpers';

const MIME = 'application/vnd.gaissa.profile.v1+json';
const SCRIPT =
  '<img src=x onerror="window.__gaissaPwned=1"><script>window.__gaissaPwned=1</script>';

const validateProfile = new Ajv({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'schema', 'profile.schema.json'), 'utf8'))
);

function schemaValid<T>(payload: T): T {
  if (!validateProfile(payload)) throw new Error(JSON.stringify(validateProfile.errors, null, 2));
  return payload;
}

function output(payload: unknown) {
  return {
    output_type: 'display_data',
    metadata: {},
    data: { [MIME]: payload, 'text/html': SCRIPT, 'text/plain': 'Energy profile' }
  };
}

function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', dialog => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return dialogs;
}

test('a stored profile shows its hottest lines, the code with bars and a flame graph; hostile strings stay text', async ({
  page
}) => {
  const dialogs = watchDialogs(page);
  const record = schemaValid(JSON.parse(JSON.stringify(build())));
  const hostile = JSON.parse(JSON.stringify(build()));
  hostile.lines[0].text = SCRIPT;
  hostile.cells[0].code = [SCRIPT, SCRIPT, SCRIPT];
  hostile.functions[0].name = SCRIPT;
  hostile.flame[0].name = SCRIPT;
  hostile.other[0].label = SCRIPT;
  schemaValid(hostile);
  await writeNotebook('profile.ipynb', [
    { source: '%%gaissa profile\nhot(9);', outputs: [output(record)] },
    { source: '// hostile', outputs: [output(hostile)] }
  ]);
  await openNotebook(page, 'profile.ipynb');
  const cells = page.locator('.jp-NotebookPanel .jp-Cell');

  const first = cells.nth(0).locator('.jp-OutputArea .gaissa-profile');
  await expect(first).toBeVisible();
  await expect(first.locator('.gaissa-profile-headline')).toContainText('Energy profile: 240 mJ');
  await expect(first.locator('.gaissa-profile-hot tbody tr code')).toHaveText([
    'while (n--) spin();',
    'hot(9);',
    'for (;;) a++;'
  ]);
  const barWidths = await first
    .locator('.gaissa-profile-hot .gaissa-profile-bar-fill')
    .evaluateAll(nodes => nodes.map(n => Math.round(n.getBoundingClientRect().width)));
  expect(barWidths[0]).toBeGreaterThan(barWidths[1]);
  expect(barWidths[1]).toBeGreaterThan(barWidths[2]);
  await expect(first.locator('.gaissa-profile-cell figcaption')).toHaveText([
    'Cell [4]',
    'Cell [5]'
  ]);
  const frames = first.locator('.gaissa-profile-frame');
  await expect(frames).toHaveCount(3);
  const [top, callee] = await frames.evaluateAll(nodes =>
    nodes.map(n => {
      const r = n.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width };
    })
  );
  expect(callee.y).toBeGreaterThan(top.y);
  expect(callee.width).toBeLessThan(top.width);
  await expect(first.locator('.gaissa-profile-overhead')).toContainText('Profiling overhead');

  const second = cells.nth(1).locator('.jp-OutputArea .gaissa-profile');
  await expect(second).toBeVisible();
  await expect(second.locator('.gaissa-profile-hot tbody tr').first()).toContainText(SCRIPT);
  await expect(second.locator('img, script, iframe')).toHaveCount(0);
  expect(
    await page.evaluate(() => (window as { __gaissaPwned?: number }).__gaissaPwned)
  ).toBeUndefined();
  expect(dialogs).toEqual([]);
});
