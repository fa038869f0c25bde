/** Talking to the test's JupyterLab: its REST API for files and settings, the page for the UI. */
import { expect, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** Where a JupyterLab answers: the UI tests' own (from the environment) or one a benchmark started. */
export interface ServerAddress {
  url: string;
  token: string;
}

export function server(): ServerAddress {
  const url = process.env.GAISSA_UI_URL;
  const token = process.env.GAISSA_UI_TOKEN;
  if (!url || !token) throw new Error('the JupyterLab of the UI tests is not running');
  return { url, token };
}

/** A request the server answered with an error status. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message);
  }
}

export async function api(
  path: string,
  init: RequestInit = {},
  target: ServerAddress = server()
): Promise<Response> {
  const { url, token } = target;
  const response = await fetch(`${url}${path}`, {
    ...init,
    headers: {
      Authorization: `token ${token}`,
      'Content-Type': 'application/json',
      ...init.headers
    }
  });
  if (!response.ok)
    throw new ApiError(`${init.method ?? 'GET'} ${path}: ${response.status}`, response.status);
  return response;
}

export interface CellSpec {
  source: string;
  outputs?: unknown[];
  metadata?: Record<string, unknown>;
}

/** Writes a notebook on the `gaissa` kernel into the server's root. */
export async function writeNotebook(
  name: string,
  cells: CellSpec[],
  target: ServerAddress = server()
): Promise<void> {
  const content = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'gaissa', display_name: 'TypeScript (GAISSA)', language: 'typescript' },
      language_info: { name: 'typescript' }
    },
    cells: cells.map(cell => ({
      id: randomUUID().slice(0, 8),
      cell_type: 'code',
      source: cell.source,
      metadata: cell.metadata ?? {},
      execution_count: null,
      outputs: cell.outputs ?? []
    }))
  };
  await api(
    `/api/contents/${encodeURIComponent(name)}`,
    { method: 'PUT', body: JSON.stringify({ type: 'notebook', format: 'json', content }) },
    target
  );
}

/**
 * The notebook as saved. jupyter_server saves in place (it truncates the file and writes it; its
 * backup copy is for failed writes), so a read while JupyterLab saves can find half a file and get
 * 400 "Unreadable Notebook": such a read is tried again.
 */
export async function readNotebook(name: string): Promise<{
  cells: Array<{ metadata: Record<string, unknown>; outputs: unknown[] }>;
}> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await api(`/api/contents/${encodeURIComponent(name)}?content=1`);
      return ((await response.json()) as { content: never }).content;
    } catch (e) {
      // 400 "Unreadable Notebook" for half a file, and the 500 the same race gave once on a
      // loaded machine: both pass once the save is done.
      if (!(e instanceof ApiError && (e.status === 400 || e.status === 500)) || attempt === 10) {
        throw e;
      }
      await sleep(100);
    }
  }
}

/** Overrides one plugin's user settings (what the Settings Editor writes). */
export async function putSettings(pluginId: string, settings: Record<string, unknown>) {
  await api(`/lab/api/settings/${pluginId}`, {
    method: 'PUT',
    body: JSON.stringify({ raw: JSON.stringify(settings) })
  });
}

export async function setTheme(theme: 'JupyterLab Light' | 'JupyterLab Dark'): Promise<void> {
  await putSettings('@jupyterlab/apputils-extension:themes', { theme });
}

/** Opens a notebook in a fresh JupyterLab page and waits for its kernel to be idle. */
export async function openNotebook(page: Page, name: string): Promise<void> {
  const { url, token } = server();
  await page.goto(`${url}/lab/tree/${encodeURIComponent(name)}?token=${token}&reset`);
  await expect(page.locator('.jp-NotebookPanel .jp-Cell').first()).toBeVisible({ timeout: 60_000 });
  await waitForIdleKernel(page);
}

export async function waitForIdleKernel(page: Page): Promise<void> {
  // The notebook toolbar's kernel status reads "Kernel status: Idle" once the kernel answered.
  await expect(page.locator('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator')).toHaveAttribute(
    'data-status',
    'idle',
    { timeout: 90_000 }
  );
}

/**
 * Runs one cell (0-based) with Shift+Enter in command mode and waits for its execution count.
 * A run requested in the instant the session attaches its kernel can be dropped by JupyterLab
 * (the prompt stays "[ ]"); it is requested again then.
 */
export async function runCell(page: Page, index: number): Promise<void> {
  const cell = page.locator('.jp-NotebookPanel .jp-Cell').nth(index);
  const prompt = cell.locator('.jp-InputArea-prompt');
  for (let attempt = 0; attempt < 3; attempt++) {
    await prompt.click();
    await page.keyboard.press('Shift+Enter');
    try {
      await expect(prompt).not.toHaveText('[ ]:', { timeout: 5_000 });
      break;
    } catch {
      // not started: try again
    }
  }
  await expect(prompt).toHaveText(/\[\d+\]/, { timeout: 120_000 });
}
