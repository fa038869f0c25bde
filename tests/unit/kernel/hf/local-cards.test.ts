/** Model cards on disk: a folder tree of model folders, and a Hugging Face cache. */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { CardFile } from '../../../../kernel/hf/card-source';
import { cacheCards, defaultCacheDir, folderCards } from '../../../../kernel/hf/local-cards';
import { card, cardTree, put } from '../fixtures/model-cards';
import { scratchDir } from '../fixtures/scratch-dir';

const scratch = scratchDir('gaissa-hf-local-');

async function all(cards: AsyncIterable<CardFile>): Promise<CardFile[]> {
  const out: CardFile[] = [];
  for await (const c of cards) out.push(c);
  return out;
}

describe('folderCards', () => {
  test('every model folder with a README.md, its id the path under the root', async () => {
    cardTree(scratch.dir);
    const cards = await all(folderCards(scratch.dir));
    expect(cards.map(c => c.modelId)).toEqual([
      'acme/kg-model',
      'acme/tiny-bert',
      'bad/abc',
      'bad/negative',
      'bad/unclosed',
      'bad/yaml',
      'other/nested-dict',
      'other/no-front-matter',
      'other/silent',
      'solo'
    ]);
    const tiny = cards.find(c => c.modelId === 'acme/tiny-bert')!;
    expect(tiny.readme).toContain('co2_eq_emissions: 12.5');
    expect(tiny.path).toBe(join(scratch.dir, 'acme', 'tiny-bert', 'README.md'));
    // Only weight files count towards the size: config.json does not.
    expect(tiny.sizeBytes).toBe(1000);
    expect(cards.find(c => c.modelId === 'solo')!.sizeBytes).toBeUndefined();
  });

  test('a README linked from elsewhere (a device, /etc/passwd) is reported, not read', async () => {
    mkdirSync(join(scratch.dir, 'm'));
    symlinkSync('/dev/zero', join(scratch.dir, 'm', 'README.md'));
    mkdirSync(join(scratch.dir, 'p'));
    symlinkSync('/etc/passwd', join(scratch.dir, 'p', 'README.md'));
    const got = await all(folderCards(scratch.dir));
    expect(got.map(c => c.modelId)).toEqual(['m', 'p']);
    for (const c of got) {
      expect(c.readme).toEqual({ error: expect.stringMatching(/symbolic link: not followed/) });
    }
  });

  test('a root that is not a folder is an error naming `dir`', async () => {
    await expect(all(folderCards(join(scratch.dir, 'nope')))).rejects.toThrow(
      /^dir: .* is not a folder/
    );
    const file = put(scratch.dir, 'f.txt', 'x');
    await expect(all(folderCards(file))).rejects.toThrow(/^dir: /);
  });
});

describe('cacheCards', () => {
  const rev = 'a'.repeat(40);
  const old = 'b'.repeat(40);

  function cacheTree(root: string): void {
    // The layout the Hub documents: snapshot files link to blobs.
    const repo = join(root, 'models--acme--tiny-bert');
    put(repo, `blobs/readme-new`, card('co2_eq_emissions: 5'));
    put(repo, `blobs/weights`, new Uint8Array(2048));
    put(repo, 'refs/main', `${rev}\n`);
    mkdirSync(join(repo, 'snapshots', rev), { recursive: true });
    symlinkSync('../../blobs/readme-new', join(repo, 'snapshots', rev, 'README.md'));
    symlinkSync('../../blobs/weights', join(repo, 'snapshots', rev, 'model.safetensors'));
    // An older snapshot refs/main does not name: ignored.
    put(repo, `snapshots/${old}/README.md`, card('co2_eq_emissions: 999'));
    // A model without an owner, without refs/main: its only snapshot is read.
    put(root, `models--gpt2/snapshots/${old}/README.md`, card('co2_eq_emissions: "1 kg"'));
    // Downloaded for inference: weights, no README.
    put(root, `models--acme--no-card/snapshots/${rev}/config.json`, '{}');
    // Not models.
    put(root, `datasets--acme--data/snapshots/${rev}/README.md`, card('co2_eq_emissions: 1'));
    mkdirSync(join(root, '.locks'));
  }

  test('reads the snapshot refs/main names; models without a README are yielded as such', async () => {
    cacheTree(scratch.dir);
    const cards = await all(cacheCards(scratch.dir));
    expect(cards.map(c => [c.modelId, c.readme === null ? null : typeof c.readme])).toEqual([
      ['acme/no-card', null],
      ['acme/tiny-bert', 'string'],
      ['gpt2', 'string']
    ]);
    const tiny = cards[1];
    expect(tiny.readme).toContain('co2_eq_emissions: 5');
    expect(tiny.sizeBytes).toBe(2048);
    expect(cards[2].readme).toContain('1 kg');
  });

  test('a refs/main naming a folder outside snapshots is not followed', async () => {
    const repo = join(scratch.dir, 'models--x--y');
    put(repo, 'refs/main', '../../../etc');
    put(repo, `snapshots/${rev}/README.md`, card('co2_eq_emissions: 7'));
    const [only] = await all(cacheCards(scratch.dir));
    expect(only.path).toBe(join(repo, 'snapshots', rev, 'README.md'));
  });

  test('the default cache folder follows HF_HUB_CACHE, then HF_HOME', () => {
    expect(defaultCacheDir({ HF_HUB_CACHE: '/c', HF_HOME: '/h' })).toBe('/c');
    expect(defaultCacheDir({ HF_HOME: '/h' })).toBe(join('/h', 'hub'));
    expect(defaultCacheDir({})).toMatch(/\.cache[\\/]huggingface[\\/]hub$/);
  });

  test('a cache that is not a folder is an error naming `cache`', async () => {
    await expect(all(cacheCards(join(scratch.dir, 'missing')))).rejects.toThrow(/^cache: /);
  });
});
