/**
 * Unit tests write caches (calibrations, the cell predictor's learned costs) into a folder of their
 * own, never the user's ~/.cache, so no run depends on what an earlier one left there. Jest starts
 * its workers after this, and they inherit GAISSA_CACHE_DIR; global-teardown.js removes it.
 */
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = () => {
  if (process.env.GAISSA_CACHE_DIR) return;
  process.env.GAISSA_CACHE_DIR = mkdtempSync(join(tmpdir(), 'gaissa-jest-cache-'));
  process.env.GAISSA_JEST_OWN_CACHE = '1';
};
