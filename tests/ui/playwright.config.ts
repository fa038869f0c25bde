/**
 * UI tests: the project's JupyterLab with the installed extension, driven in Debian's Chromium
 * (the system package: no browser is ever downloaded). Run with `npm run test:ui`.
 */
import { defineConfig } from '@playwright/test';
import { join } from 'node:path';

export const RESULTS_DIR = join(__dirname, '..', '..', 'test-results');

export default defineConfig({
  testDir: __dirname,
  testMatch: '*.spec.ts',
  outputDir: join(RESULTS_DIR, 'ui-artifacts'),
  globalSetup: join(__dirname, 'jupyterlab-server.ts'),
  // One JupyterLab and one kernel at a time: the CI machines have few cores.
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 900 },
    launchOptions: {
      executablePath: process.env.GAISSA_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync'
      ]
    },
    actionTimeout: 30_000,
    screenshot: 'only-on-failure',
    trace: 'off'
  }
});
