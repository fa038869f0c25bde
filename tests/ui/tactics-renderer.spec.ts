/**
 * The tactics renderer (issue #5) in a real JupyterLab: a notebook with stored comparison outputs
 * (a real `gaissa.compare` record and a training-phase comparison, both checked against
 * schema/tactics.schema.json here) shows the table of variants, the recommended variant and the
 * energy-vs-quality chart with its Pareto front; a stranger's notebook with markup, event handlers
 * and javascript: URLs in its strings, or wrong types, shows them as text or as a clear error, and
 * runs none of it.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inferencePayload, trainingPayload } from '../unit/extension/fixtures/tactics-payload';
import { openNotebook, writeNotebook } from './jupyterlab-helpers';

const MIME = 'application/vnd.gaissa.tactics.v1+json';
const SCRIPT =
  '<img src=x onerror="window.__gaissaPwned=1"><script>window.__gaissaPwned=1</script>';
const LINK = '<a href="javascript:window.__gaissaPwned=1">open</a>';

const validateTactics = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'schema', 'tactics.schema.json'), 'utf8'))
);

/** The payload as the kernel would store it: the test fails on a fixture the schema refuses. */
function schemaValid<T>(payload: T): T {
  if (!validateTactics(payload)) throw new Error(JSON.stringify(validateTactics.errors, null, 2));
  return payload;
}

/** A stored output with the text twins the kernel sends along for other viewers. */
function output(payload: unknown, html = '<p>tactics comparison</p>') {
  return {
    output_type: 'display_data',
    metadata: {},
    data: { [MIME]: payload, 'text/html': html, 'text/plain': 'GAISSA tactics comparison' }
  };
}

/** Variant names in table order. */
async function rowNames(tactics: Locator): Promise<string[]> {
  return tactics.locator('tbody tr .gaissa-tactics-variant').allTextContents();
}

/**
 * The points drawn, with their fill: each point's accessible label lists the chart's tooltip
 * fields, "...; front: Pareto front; variant: NAME; ...". The recommended ring is an unfilled
 * point without a front.
 */
async function chartPoints(
  tactics: Locator
): Promise<Array<{ name: string; front: string; fill: string }>> {
  const svg = tactics.locator('.gaissa-tactics-chart svg');
  await expect(svg).toBeVisible();
  return svg.locator('[aria-roledescription="point"]').evaluateAll(nodes =>
    nodes.map(n => {
      const label = n.getAttribute('aria-label') ?? '';
      const field = (key: string) => new RegExp(`(?:^|; )${key}: ([^;]*)`).exec(label)?.[1] ?? '';
      return { name: field('variant'), front: field('front'), fill: n.getAttribute('fill') ?? '' };
    })
  );
}

async function themeColor(tactics: Locator, name: string): Promise<string> {
  return tactics
    .locator('.gaissa-tactics-chart')
    .evaluate((host, n) => getComputedStyle(host).getPropertyValue(n).trim(), name);
}

function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', dialog => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return dialogs;
}

test('a stored comparison shows its table, recommendation and Pareto chart, training too', async ({
  page
}) => {
  const dialogs = watchDialogs(page);
  const inference = schemaValid(inferencePayload());
  const training = schemaValid(trainingPayload());
  await writeNotebook('tactics.ipynb', [
    { source: 'await gaissa.compare(variants, { inputs })', outputs: [output(inference)] },
    { source: 'await gaissa.train.compare(baseline, variants)', outputs: [output(training)] }
  ]);
  await openNotebook(page, 'tactics.ipynb');
  const cells = page.locator('.jp-NotebookPanel .jp-Cell');

  // --- inference: one row per variant, in the record's order, with its figures
  const first = cells.nth(0).locator('.jp-OutputArea .gaissa-tactics');
  await expect(first).toBeVisible();
  await expect(first).toHaveAttribute('data-phase', 'inference');
  await expect(first.locator('.gaissa-tactics-title')).toHaveText('Green tactics compared');
  expect(await rowNames(first)).toEqual(inference.variants.map(v => v.name));
  await expect(first.locator('caption')).toHaveText(
    `4 variants, deltas against ${inference.baseline}`
  );
  await expect(first.locator('thead th').nth(1)).toHaveText('Energy / inference');
  await expect(first.locator('thead')).toContainText('Agreement');

  // --- the recommended variant: named in the headline, one row marked, ringed on the chart
  await expect(first.locator('.gaissa-tactics-recommendation')).toContainText(
    'Recommended: quantize-dynamic.'
  );
  const recommended = first.locator('tbody tr[data-recommended]');
  await expect(recommended).toHaveCount(1);
  await expect(recommended.locator('.gaissa-tactics-variant')).toHaveText('quantize-dynamic');
  await expect(recommended.locator('.gaissa-tactics-badge-recommended')).toHaveText(
    '★ recommended'
  );
  await expect(first.locator('tbody tr[data-baseline] .gaissa-tactics-variant')).toHaveText(
    inference.baseline
  );
  const front = inference.variants.filter(v => v.pareto).map(v => v.name);
  expect(front.sort()).toEqual(['fp16', 'quantize-dynamic']);
  expect(
    (await first.locator('tbody tr[data-pareto] .gaissa-tactics-variant').allTextContents())
      .slice()
      .sort()
  ).toEqual(front);

  // --- the chart: every variant a point, the Pareto front in its own colour and as a line
  const points = await chartPoints(first);
  const pareto = await themeColor(first, '--gaissa-tactics-pareto-color');
  const variants = points.filter(p => p.front !== '');
  expect(variants.map(p => p.name).sort()).toEqual(inference.variants.map(v => v.name).sort());
  const onFront = variants.filter(p => p.front === 'Pareto front');
  expect(onFront.map(p => p.name).sort()).toEqual(front);
  expect(onFront.map(p => p.fill)).toEqual(onFront.map(() => pareto));
  expect(variants.filter(p => p.fill === pareto)).toHaveLength(front.length);
  const ring = points.filter(p => p.front === '');
  expect(ring.map(p => p.name)).toEqual(['quantize-dynamic']);
  await expect(first.locator('.gaissa-tactics-chart svg .mark-line path')).toHaveCount(1);
  await expect(first.locator('.gaissa-tactics-chart svg')).toContainText('Pareto front');
  await expect(first.locator('.gaissa-tactics-chart')).toHaveAttribute(
    'aria-label',
    /Pareto front: quantize-dynamic, fp16\. Recommended: quantize-dynamic\./
  );

  // --- training phase: energy per run, its own recommendation and chart axis
  const second = cells.nth(1).locator('.jp-OutputArea .gaissa-tactics');
  await expect(second).toBeVisible();
  await expect(second).toHaveAttribute('data-phase', 'training');
  await expect(second.locator('.gaissa-tactics-title')).toHaveText('Training tactics compared');
  await expect(second.locator('thead th').nth(1)).toHaveText('Energy / run');
  expect(await rowNames(second)).toEqual(['full training', 'early stopping', 'freeze:2']);
  await expect(second.locator('tbody tr[data-recommended] .gaissa-tactics-variant')).toHaveText(
    'early stopping'
  );
  await expect(second.locator('tbody tr').nth(2)).toContainText('over budget');
  await expect(second.locator('tbody tr').nth(1)).toContainText('stopped at epoch 4 of 10');
  const trainingPoints = await chartPoints(second);
  expect(
    trainingPoints
      .filter(p => p.front === 'Pareto front')
      .map(p => p.name)
      .sort()
  ).toEqual(['early stopping', 'full training']);
  await expect(second.locator('.gaissa-tactics-chart svg')).toContainText(
    'energy per training run (J)'
  );
  expect(dialogs).toEqual([]);
});

test('a crafted comparison shows its markup as text or an error, and runs none of it', async ({
  page
}) => {
  const dialogs = watchDialogs(page);
  // Valid per the schema, hostile strings everywhere a string goes.
  const hostile = inferencePayload();
  const names = hostile.variants.map((_, i) => `${SCRIPT}${i}`);
  hostile.variants.forEach((v, i) => {
    v.name = names[i];
    v.tactics = ['javascript:window.__gaissaPwned=1', SCRIPT];
    v.notes = [SCRIPT, LINK];
    v.leftAsIs = [`<svg onload="window.__gaissaPwned=1">`];
  });
  hostile.baseline = names[0];
  hostile.recommended = names[1];
  hostile.recommendation = `${SCRIPT} ${LINK}`;
  hostile.notes = [LINK];
  hostile.setup.host = SCRIPT;
  hostile.setup.region = '<iframe src="javascript:window.__gaissaPwned=1"></iframe>';
  schemaValid(hostile);
  // Wrong types: a number as a name, text as energy and quality, variants not a list.
  const wrongTypes = inferencePayload() as unknown as {
    variants: Array<Record<string, unknown>>;
  };
  wrongTypes.variants[0].name = 42;
  wrongTypes.variants[1].energyPerInferenceJ = SCRIPT;
  wrongTypes.variants[2].quality = 'javascript:alert(1)';
  expect(validateTactics(wrongTypes)).toBe(false);
  await writeNotebook('hostile-tactics.ipynb', [
    { source: '// hostile strings', outputs: [output(hostile, SCRIPT)] },
    { source: '// wrong types', outputs: [output(wrongTypes, SCRIPT)] },
    { source: '// not a comparison at all', outputs: [output(`${SCRIPT}${LINK}`, SCRIPT)] },
    {
      source: '// variants not a list',
      outputs: [output({ ...inferencePayload(), variants: LINK })]
    }
  ]);
  await openNotebook(page, 'hostile-tactics.ipynb');
  const cells = page.locator('.jp-NotebookPanel .jp-Cell');

  const shown = cells.nth(0).locator('.jp-OutputArea .gaissa-tactics');
  await expect(shown).toBeVisible();
  expect(await rowNames(shown)).toEqual(names);
  await expect(shown.locator('.gaissa-tactics-recommendation')).toContainText(
    '<script>window.__gaissaPwned=1</script>'
  );
  await expect(shown.locator('tbody tr').first()).toContainText(
    'javascript:window.__gaissaPwned=1'
  );
  await expect(shown.locator('tbody tr').first()).toContainText(LINK);
  // The chart draws the hostile names as text labels too; hovering a point shows its tooltip.
  const points = await chartPoints(shown);
  expect(points.length).toBeGreaterThanOrEqual(4);
  await shown.locator('.gaissa-tactics-chart svg [aria-roledescription="point"]').first().hover();

  for (const index of [1, 2, 3]) {
    const invalid = cells.nth(index).locator('.jp-OutputArea .gaissa-tactics-invalid');
    await expect(invalid).toBeVisible();
    await expect(invalid).toContainText('Invalid GAISSA tactics comparison');
    await expect(invalid.locator('li').first()).toBeVisible(); // it says why
  }
  await expect(cells.nth(1).locator('.gaissa-tactics-invalid')).toContainText('name');
  await expect(cells.nth(1).locator('.gaissa-tactics-chart')).toHaveCount(0);

  // Give any injected handler the chance to fire, then check that none did.
  await page.waitForTimeout(1000);
  expect(await page.evaluate(() => (window as { __gaissaPwned?: unknown }).__gaissaPwned)).toBe(
    undefined
  );
  const injected = await page.evaluate(() => {
    const scope = [
      ...document.querySelectorAll('.jp-NotebookPanel, #vg-tooltip-element, .vg-tooltip')
    ];
    const found: string[] = [];
    for (const root of scope) {
      for (const node of root.querySelectorAll('script, iframe, img[src="x"], object, embed')) {
        found.push(node.outerHTML.slice(0, 80));
      }
      for (const node of root.querySelectorAll('*')) {
        for (const attribute of node.getAttributeNames()) {
          const value = node.getAttribute(attribute) ?? '';
          if (
            /^on/i.test(attribute) ||
            (/^\s*javascript:/i.test(value) && /href|src|action/i.test(attribute))
          ) {
            found.push(`${node.tagName} ${attribute}=${value.slice(0, 40)}`);
          }
        }
      }
    }
    return found;
  });
  expect(injected).toEqual([]);
  expect(dialogs).toEqual([]);
});
