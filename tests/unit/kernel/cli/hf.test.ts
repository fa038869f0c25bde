/** `gaissa hf mine` through the real CLI entry point, on cards the test generates. */
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { STUDY_COLUMNS } from '../../../../kernel/hf/population-csv';
import { startFakeHub } from '../fixtures/fake-hub';
import { card, cardTree, put } from '../fixtures/model-cards';
import { runGaissa as gaissa } from '../fixtures/run-cli';
import { scratchDir } from '../fixtures/scratch-dir';

const scratch = scratchDir('gaissa-cli-hf-');

function readPopulation(path: string): Record<string, string>[] {
  const text = readFileSync(path, 'utf8');
  expect(text.split('\n')[0]).toBe(STUDY_COLUMNS.join(','));
  return parse(text, { columns: true });
}

describe('gaissa hf mine', () => {
  test('--dir: writes the population CSV and prints the summary', async () => {
    const cards = join(scratch.dir, 'cards');
    cardTree(cards);
    const out = join(scratch.dir, 'out', 'pop.csv');
    const r = await gaissa(['hf', 'mine', '--dir', cards, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = readPopulation(out);
    expect(rows.map(row => [row.modelId, row.co2_eq_emissions, row.co2_reported])).toEqual([
      ['acme/kg-model', '1500', '1'],
      ['acme/tiny-bert', '12.5', '1'],
      ['other/nested-dict', '2000', '1'],
      ['solo', '0.3', '1']
    ]);
    expect(rows[1]).toMatchObject({ size: '1000', size_efficency: String(1000 / 12.5) });
    expect(rows[2]).toMatchObject({
      source: 'paper, with a comma',
      environment: '8 x V100',
      geographical_location: 'Quebec, Canada'
    });
    expect(r.stdout).toMatch(/Cards read\s+10\n/);
    expect(r.stdout).toMatch(/Reporting CO2e\s+4 \(40 % of cards read\)/);
    expect(r.stdout).toMatch(/Malformed \(skipped\)\s+4/);
    expect(r.stdout).toContain('bad/negative: emissions -3 is negative');
    expect(r.stdout).toMatch(/CO2e min\s+0\.3 g/);
  });

  test('--json prints the summary as JSON with the distribution', async () => {
    cardTree(scratch.dir);
    const out = join(scratch.dir, 'pop.csv');
    const r = await gaissa(['hf', 'mine', '--dir', scratch.dir, '--out', out, '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ cardsRead: 10, reporting: 4, reportingRate: 0.4, out });
    expect(summary.malformed).toHaveLength(4);
    expect(summary.distribution).toMatchObject({ count: 4, min: 0.3, max: 2000 });
  });

  test('progress every 100 cards on standard error, not with --json', async () => {
    for (let i = 0; i < 205; i++) {
      put(
        scratch.dir,
        `m/${String(i).padStart(3, '0')}/README.md`,
        card(`co2_eq_emissions: ${i + 1}`)
      );
    }
    const out = join(scratch.dir, 'pop.csv');
    const r = await gaissa(['hf', 'mine', '--dir', scratch.dir, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('gaissa hf mine: 100 cards read\ngaissa hf mine: 200 cards read\n');
    expect(readPopulation(out)).toHaveLength(205);
    const quiet = await gaissa(['hf', 'mine', '--dir', scratch.dir, '--out', out, '--json']);
    expect(quiet.stderr).toBe('');
  }, 60_000);

  test('--cache DIR and --cache with the default from HF_HUB_CACHE', async () => {
    const cache = join(scratch.dir, 'hub');
    put(cache, 'models--acme--m/refs/main', 'abc');
    put(cache, 'models--acme--m/snapshots/abc/README.md', card('co2_eq_emissions: "0.5 kg"'));
    put(cache, 'models--acme--weights-only/snapshots/abc/model.onnx', 'x');
    const out = join(scratch.dir, 'pop.csv');
    const r = await gaissa(['hf', 'mine', '--cache', cache, '--out', out]);
    expect(r.code).toBe(0);
    expect(readPopulation(out).map(row => [row.modelId, row.co2_eq_emissions])).toEqual([
      ['acme/m', '500']
    ]);
    expect(r.stdout).toMatch(/Cached without README\s+1/);
    const saved = process.env.HF_HUB_CACHE;
    process.env.HF_HUB_CACHE = cache;
    try {
      const d = await gaissa(['hf', 'mine', '--cache', '--out', out, '--json']);
      expect(d.code).toBe(0);
      expect(JSON.parse(d.stdout)).toMatchObject({
        source: `Hugging Face cache ${cache}`,
        reporting: 1
      });
    } finally {
      if (saved === undefined) delete process.env.HF_HUB_CACHE;
      else process.env.HF_HUB_CACHE = saved;
    }
  });

  test('--hub against a fake Hub: a 404 and a malformed card are listed, not fatal', async () => {
    const hub = await startFakeHub({
      models: [{ id: 'a/good', downloads: 10, likes: 2 }, { id: 'a/missing' }, { id: 'a/bad' }],
      cards: { 'a/good': card('co2_eq_emissions: 42'), 'a/bad': card('co2_eq_emissions: -1') }
    });
    try {
      const out = join(scratch.dir, 'pop.csv');
      const r = await gaissa([
        'hf',
        'mine',
        '--hub',
        '--endpoint',
        hub.endpoint,
        '--limit',
        '5',
        '--out',
        out
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const rows = readPopulation(out);
      expect(rows).toEqual([
        expect.objectContaining({
          modelId: 'a/good',
          co2_eq_emissions: '42',
          downloads: '10',
          likes: '2'
        })
      ]);
      expect(r.stdout).toContain('a/missing: README.md not served (HTTP 404)');
      expect(r.stdout).toContain('a/bad: emissions -1 is negative');
      expect(r.stdout).toMatch(/Reporting CO2e\s+1 \(33\.3 % of cards read\)/);
    } finally {
      await hub.close();
    }
  });

  test('--hub: HF_ENDPOINT names the Hub; one that cannot be reached exits 2, writing nothing', async () => {
    const hub = await startFakeHub({ models: [], cards: {} });
    const endpoint = hub.endpoint;
    await hub.close();
    const out = join(scratch.dir, 'pop.csv');
    const saved = process.env.HF_ENDPOINT;
    process.env.HF_ENDPOINT = endpoint;
    try {
      const r = await gaissa(['hf', 'mine', '--hub', '--out', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^gaissa hf: cannot reach http:\/\/127\.0\.0\.1:\d+: /);
      expect(existsSync(out)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.HF_ENDPOINT;
      else process.env.HF_ENDPOINT = saved;
    }
  });

  test.each([
    [['hf', 'mine', '--out', 'x.csv'], /give one source/],
    [['hf', 'mine', '--dir', '.', '--hub', '--out', 'x.csv'], /give one source/],
    [['hf', 'mine', '--dir', '.'], /--out POP.csv is required/],
    [
      ['hf', 'mine', '--dir', '.', '--limit', '3', '--out', 'x.csv'],
      /--endpoint and --limit go with --hub/
    ],
    [
      ['hf', 'mine', '--hub', '--limit', '0', '--out', 'x.csv'],
      /--limit must be a whole number >= 1, got 0/
    ],
    [['hf', 'mine', '--hub', '--limit', '2.5', '--out', 'x.csv'], /--limit must be/],
    [
      ['hf', 'mine', '--hub', '--endpoint', 'ftp://x', '--out', 'x.csv'],
      /endpoint: must be an http\(s\) URL/
    ],
    [
      ['hf', 'mine', '--dir', '/nonexistent/cards', '--out', 'x.csv'],
      /dir: \/nonexistent\/cards is not a folder/
    ],
    [['hf', 'mine', '--bogus'], /Unknown option '--bogus'/],
    [['hf', 'dig'], /unknown hf command 'dig'/]
  ])('bad usage exits 2 naming the field: %j', async (args, message) => {
    const r = await gaissa(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  test('--out that is a folder exits 2 before reading anything', async () => {
    cardTree(join(scratch.dir, 'cards'));
    mkdirSync(join(scratch.dir, 'folder'));
    const r = await gaissa([
      'hf',
      'mine',
      '--dir',
      join(scratch.dir, 'cards'),
      '--out',
      join(scratch.dir, 'folder')
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out: .*folder is a directory/);
  });

  test('never writes over a card it read', async () => {
    const readme = put(scratch.dir, 'm/README.md', card('co2_eq_emissions: 1'));
    const before = readFileSync(readme, 'utf8');
    const r = await gaissa(['hf', 'mine', '--dir', scratch.dir, '--out', readme]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write .*README\.md: it is the input/);
    expect(readFileSync(readme, 'utf8')).toBe(before);
    // Nor through a link to it.
    symlinkSync(readme, join(scratch.dir, 'link.csv'));
    const viaLink = await gaissa([
      'hf',
      'mine',
      '--dir',
      scratch.dir,
      '--out',
      join(scratch.dir, 'link.csv')
    ]);
    expect(viaLink.code).toBe(2);
    expect(readFileSync(readme, 'utf8')).toBe(before);
  });

  test('--help prints the usage', async () => {
    const r = await gaissa(['hf', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: gaissa hf mine \(--dir DIR \| --cache \[DIR\] \| --hub/);
  });
});
