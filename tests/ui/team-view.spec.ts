/**
 * The team view, opened from the command palette: with no team server it says so (through a
 * kernel it starts for itself and shuts down when closed); with a notebook whose folder names an
 * MLflow server (gaissa.config.json), it reads through that notebook's kernel and shows the bars
 * and tables, hostile names as text. The MLflow server here is a stand-in on 127.0.0.1 answering
 * with MLflow's shapes (runs/search, metrics/get-history); the real MLflow read is covered by
 * tests/integration/test_team_view.py.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { api, openNotebook, server, writeNotebook } from './jupyterlab-helpers';

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

const tags = (t: Record<string, string>) =>
  Object.entries(t).map(([key, value]) => ({ key, value }));

/** When the stand-in's runs were made: a fixed day, so that the screenshot reads alike every run. */
const T0 = Date.UTC(2026, 11, 5, 9, 0, 0);

const RUNS = [
  {
    info: {
      run_id: 'r-bob',
      experiment_id: '1',
      status: 'FINISHED',
      start_time: T0 + 3000,
      end_time: T0 + 4000
    },
    data: { tags: tags({ 'gaissa.user': HOSTILE, 'gaissa.record.1': 'b1', 'gaissa.label': 'B' }) }
  },
  {
    info: { run_id: 'r-ann', experiment_id: '1', status: 'FINISHED', start_time: T0 + 1000 },
    data: {
      tags: tags({
        'gaissa.user': 'ann',
        'gaissa.notebook': 'team/ann.ipynb',
        'gaissa.record.1': 'a1'
      })
    }
  }
];

const ENERGY: Record<string, number> = { 'r-bob': 1500, 'r-ann': 500 };

/** A stand-in MLflow: the three read calls the team view makes, and how many runs/search it got. */
function fakeMlflow(): Promise<{ url: string; searches: () => number; close: () => void }> {
  let searches = 0;
  const http: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    let body: unknown = { error_code: 'ENDPOINT_NOT_FOUND', message: url.pathname };
    if (url.pathname.endsWith('/experiments/search'))
      body = { experiments: [{ experiment_id: '1', name: 'team' }] };
    else if (url.pathname.endsWith('/runs/search')) {
      searches++;
      body = { runs: RUNS };
    } else if (url.pathname.endsWith('/metrics/get-history')) {
      const run = url.searchParams.get('run_id') ?? '';
      const key = url.searchParams.get('metric_key') ?? '';
      const value =
        key === 'gaissa.energy_J' ? ENERGY[run] : key === 'gaissa.co2e_g' ? ENERGY[run] / 1000 : 2;
      body = {
        metrics: [{ key, value, step: 1, timestamp: T0 + (run === 'r-bob' ? 3500 : 1500) }]
      };
    }
    response.writeHead(body && 'error_code' in (body as object) ? 404 : 200, {
      'content-type': 'application/json'
    });
    response.end(JSON.stringify(body));
  });
  return new Promise(resolve =>
    http.listen(0, '127.0.0.1', () => {
      const address = http.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        searches: () => searches,
        close: () => http.close()
      });
    })
  );
}

async function showTeamView(page: Page): Promise<void> {
  // The palette from the View menu (its shortcut goes to whatever has the focus); a menu click
  // made while JupyterLab still lays out can miss, so it is tried again.
  const palette = page.locator('.lm-CommandPalette-input');
  for (let attempt = 0; attempt < 3 && !(await palette.isVisible()); attempt++) {
    await page.locator('#jp-MainMenu').getByText('View', { exact: true }).click();
    await page.locator('.lm-Menu-itemLabel', { hasText: /Command Palette/ }).click();
    await palette.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
  }
  await palette.fill('Show team view');
  // The list is redrawn on each keystroke: wait for our command to be the active item, then run it.
  await expect(
    page.locator('.lm-CommandPalette-item.lm-mod-active[data-command="gaissa:show-team-view"]')
  ).toHaveText(/GAISSA: Show team view/);
  await palette.press('Enter');
}

async function kernelIds(): Promise<string[]> {
  const kernels = (await (await api('/api/kernels')).json()) as Array<{ id: string }>;
  return kernels.map(k => k.id);
}

test('with no team server configured, the team view says so and stops the kernel it started', async ({
  page
}) => {
  const { url, token } = server();
  const before = await kernelIds();
  await page.goto(`${url}/lab?token=${token}&reset`);
  await expect(page.locator('#jp-main-dock-panel')).toBeVisible({ timeout: 60_000 });
  await showTeamView(page);
  const view = page.locator('.gaissa-team-view');
  await expect(view.locator('[data-status="unconfigured"]')).toContainText(
    'No team server is configured',
    { timeout: 120_000 }
  );
  const own = (await kernelIds()).filter(id => !before.includes(id));
  expect(own).toHaveLength(1);
  await page
    .locator('.lm-TabBar-tab', { hasText: 'Team energy' })
    .locator('.lm-TabBar-tabCloseIcon')
    .click();
  await expect.poll(kernelIds, { timeout: 30_000 }).not.toContain(own[0]);
});

test("the team view reads the notebook's MLflow through its kernel and shows names as text", async ({
  page
}) => {
  const mlflow = await fakeMlflow();
  try {
    const root = process.env.GAISSA_UI_ROOT!;
    mkdirSync(join(root, 'team'), { recursive: true });
    writeFileSync(
      join(root, 'team', 'gaissa.config.json'),
      JSON.stringify({ mlflowTrackingUri: mlflow.url })
    );
    await writeNotebook('team/team-view.ipynb', [{ source: '1 + 1' }]);
    await openNotebook(page, 'team/team-view.ipynb');
    // The notebook's kernel is connected once its live meter is (the view reads through it).
    await expect(page.locator('.gaissa-statusbar')).toHaveAttribute('data-state', /live|idle/, {
      timeout: 90_000
    });
    // Other specs leave their kernels on the shared server: only what the view adds counts.
    const before = await kernelIds();
    await showTeamView(page);

    const view = page.locator('.gaissa-team-view');
    await expect(view.locator('.gaissa-team-view-source')).toContainText(
      `MLflow at ${mlflow.url} · all experiments · 2 runs`,
      {
        timeout: 60_000
      }
    );
    // Read through the notebook's kernel (the stand-in is named in its folder only), no other.
    const sessions = (await (await api('/api/sessions')).json()) as Array<{
      path: string;
      kernel: { id: string };
    }>;
    const notebookKernel = sessions.find(s => s.path === 'team/team-view.ipynb')!.kernel.id;
    expect(before).toContain(notebookKernel);
    expect((await kernelIds()).filter(id => !before.includes(id))).toEqual([]);
    const users = view.locator('.gaissa-team-view-chart').first();
    await expect(users.locator('.gaissa-team-view-bar-name')).toHaveText([HOSTILE, 'ann']);
    await expect(users.locator('.gaissa-team-view-bar-value').first()).toHaveText(
      '1.5 kJ · 1.5 g CO2e · 1 measurement'
    );
    const notebooks = view.locator('.gaissa-team-view-chart').nth(1);
    await expect(notebooks.locator('.gaissa-team-view-bar-name')).toHaveText([
      '(outside a notebook)',
      'team/ann.ipynb'
    ]);
    await expect(view.locator('.gaissa-team-view-measurements tbody tr').first()).toHaveText(
      `2026-12-05 09:00:03 UTC${HOSTILE}(outside a notebook)1.5 kJ1.5 g CO2e2 s`
    );
    await expect(view.locator('.gaissa-team-view-measurements tbody tr')).toHaveCount(2);
    await expect(view.locator('.gaissa-team-view-labels tbody td').first()).toHaveText('B');
    // Hostile names stay text: no image element, no script ran.
    await expect(view.locator('img')).toHaveCount(0);
    expect(
      await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)
    ).toBeUndefined();

    const searched = mlflow.searches();
    await view.locator('.gaissa-team-view-refresh').click();
    await expect.poll(mlflow.searches).toBe(searched + 1);
    await expect(view.locator('.gaissa-team-view-refresh')).toHaveText('Refresh');
    await page.screenshot({ path: join(__dirname, '..', '..', 'test-results', 'team-view.png') });
  } finally {
    mlflow.close();
  }
});
