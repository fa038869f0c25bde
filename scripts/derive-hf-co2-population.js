#!/usr/bin/env node
// Regenerates kernel/assets/populations/hf-co2.csv, the population training labels are rated
// against, from the carbon-mining study's HFCO2.csv (GAISSA-UPC/ML-EnergyLabel, datasets/HFCO2.csv;
// provenance in kernel/assets/populations/README.md). Keeps every row, in order, and the columns
// the rating and the label need, with their values as the study wrote them.
// Usage: node scripts/derive-hf-co2-population.js HFCO2.csv [OUT.csv]
'use strict';
const { createHash } = require('node:crypto');
const { readFileSync, writeFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { parse } = require('csv-parse/sync');
const { stringify } = require('csv-stringify/sync');

const COLUMNS = [
  'modelId',
  'co2_eq_emissions',
  'source',
  'training_type',
  'domain',
  'performance_score',
  'downloads',
  'size',
  'datasets_size',
  'created_at'
];
const EXPECTED_SHA256 = '145889b17bd9fa1a602823a1d851e51d24432cbafbfd6107fe99cd2a2b12b28d';

const [input, output = resolve(__dirname, '../kernel/assets/populations/hf-co2.csv')] =
  process.argv.slice(2);
if (!input) {
  console.error('usage: node scripts/derive-hf-co2-population.js HFCO2.csv [OUT.csv]');
  process.exit(2);
}
const bytes = readFileSync(input);
const sha256 = createHash('sha256').update(bytes).digest('hex');
if (sha256 !== EXPECTED_SHA256) {
  console.error(
    `warning: ${input} is not the study's file the shipped population came from ` +
      `(sha256 ${sha256}, expected ${EXPECTED_SHA256})`
  );
}
const rows = parse(bytes, { columns: true, skip_empty_lines: true });
const missing = COLUMNS.filter(c => rows.length > 0 && !(c in rows[0]));
if (missing.length > 0) {
  console.error(`${input} lacks the columns ${missing.join(', ')}`);
  process.exit(2);
}
const csv = stringify(
  rows.map(r => COLUMNS.map(c => r[c])),
  { header: true, columns: COLUMNS }
);
writeFileSync(output, csv);
console.error(`${rows.length} models written to ${output}`);
