/** gaissa.hf.mine: the run as a displayable summary with a chart, and the population file. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { gaissa } from '../../../../kernel/api';
import { HfMining } from '../../../../kernel/api/hf';
import { bundleOf } from '../../../../kernel/display';
import { startFakeHub } from '../fixtures/fake-hub';
import { card, cardTree, put } from '../fixtures/model-cards';
import { scratchDir } from '../fixtures/scratch-dir';
import { allElements, parseXml } from '../../fixtures/xml-wellformed';

const scratch = scratchDir('gaissa-api-hf-');

describe('gaissa.hf.mine', () => {
  test('{ dir, out }: summary, chart and the population CSV', async () => {
    cardTree(scratch.dir);
    const out = join(scratch.dir, 'pop.csv');
    const mining = await gaissa.hf.mine({ dir: scratch.dir, out });
    expect(mining).toBeInstanceOf(HfMining);
    expect(mining.summary).toMatchObject({ cardsRead: 10, reporting: 4 });
    expect(mining.models).toHaveLength(4);
    expect(mining.file).toBe(out);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map(r => r.co2_eq_emissions)).toEqual(['1500', '12.5', '2000', '0.3']);

    const bundle = bundleOf(mining);
    expect(Object.keys(bundle).sort()).toEqual(['image/svg+xml', 'text/html', 'text/plain']);
    expect(bundle['text/plain']).toMatch(/Reporting CO2e\s+4 \(40 % of cards read\)/);
    const svg = parseXml(bundle['image/svg+xml'] as string);
    expect(
      allElements(svg).filter(e => e.name === 'rect' && e.attrs.fill === '#4c9a6a').length
    ).toBeGreaterThan(0);
    expect(bundle['text/html']).toContain('<svg');
    expect(bundle['text/html']).toContain('Malformed cards (4)');
    expect(JSON.parse(JSON.stringify(mining))).toMatchObject({ reporting: 4, file: out });
  });

  test('model ids and reasons from cards are escaped in HTML and stripped in text', async () => {
    put(
      scratch.dir,
      '<img src=x onerror=alert(1)>/README.md',
      card('co2_eq_emissions: "<b>1</b>"')
    );
    put(scratch.dir, 'ok\u202Eevil/README.md', card('co2_eq_emissions: x\u0007'));
    const mining = await gaissa.hf.mine({ dir: scratch.dir });
    const html = mining.toMimeBundle()['text/html'] as string;
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>1');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('\u202E');
    const text = mining.toMimeBundle()['text/plain'] as string;
    expect(text).not.toContain('\u202E');
    expect(text).not.toContain('\u0007');
    expect(text).toContain('okevil');
  });

  test('{ cache: DIR } and { hub: { endpoint, limit } }', async () => {
    put(scratch.dir, 'models--o--n/snapshots/r1/README.md', card('co2_eq_emissions: 3'));
    expect((await gaissa.hf.mine({ cache: scratch.dir })).summary.reporting).toBe(1);
    const hub = await startFakeHub({
      models: [{ id: 'a/b' }, { id: 'a/c' }],
      cards: { 'a/b': card('co2_eq_emissions: 9'), 'a/c': card('co2_eq_emissions: 10') }
    });
    try {
      const mining = await gaissa.hf.mine({ hub: { endpoint: hub.endpoint, limit: 1 } });
      expect(mining.models.map(m => m.modelId)).toEqual(['a/b']);
      expect(mining.file).toBeUndefined();
    } finally {
      await hub.close();
    }
  });

  test('needs exactly one source', async () => {
    await expect(gaissa.hf.mine({})).rejects.toThrow(/one source/);
    await expect(gaissa.hf.mine({ dir: '.', hub: true })).rejects.toThrow(/one source/);
  });
});
