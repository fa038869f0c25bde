#!/usr/bin/env node
// Entry point of the `gaissa` command; the implementation is compiled TypeScript under lib/.
const { main, processIO } = require('../lib/kernel/cli/main.js');
main(process.argv.slice(2), processIO).then(
  code => {
    process.exitCode = code;
  },
  e => {
    process.stderr.write(`gaissa: ${(e && e.stack) || e}\n`);
    process.exitCode = 1;
  }
);
