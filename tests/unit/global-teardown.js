/** Removes the cache folder global-setup.js made (not one the caller named). */
const { rmSync } = require('node:fs');

module.exports = () => {
  if (process.env.GAISSA_JEST_OWN_CACHE) {
    rmSync(process.env.GAISSA_CACHE_DIR, { recursive: true, force: true });
  }
};
