/**
 * Merged by @jupyter/builder into its rspack config (package.json `jupyterlab.webpackConfig`).
 *
 * The builder always exposes the package's `main` as `./index` and shares it under the package
 * name. Our `main` is the kernel's Node API (lib/kernel/api), which must never reach the browser,
 * so that one file is swapped for the extension's entry, and the build fails if anything else from
 * the kernel slips in.
 */
const path = require('path');

const root = path.resolve(__dirname, '..');
const kernelMain = path.join(root, require(path.join(root, 'package.json')).main);
const extensionEntry = path.join(root, 'extension', 'lib', 'extension', 'index.js');

class NoKernelCodePlugin {
  apply(compiler) {
    compiler.hooks.afterCompile.tap('NoKernelCodePlugin', compilation => {
      const kernelDirs = [path.join(root, 'lib') + path.sep, path.join(root, 'kernel') + path.sep];
      for (const module of compilation.modules) {
        const resource = module.resource || module.nameForCondition?.() || '';
        if (kernelDirs.some(dir => resource.startsWith(dir))) {
          compilation.errors.push(new Error(`kernel code in the browser bundle: ${resource}`));
        }
      }
    });
  }
}

module.exports = {
  resolve: { alias: { [kernelMain]: extensionEntry } },
  // The extension's and the mime extension's entries both load at start and share the renderers'
  // entry code: one chunk for that code instead of a copy in each (rspack splits only chunks of
  // 20 KB or more by default).
  optimization: { splitChunks: { minSize: 10000 } },
  plugins: [new NoKernelCodePlugin()]
};
