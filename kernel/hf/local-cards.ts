/**
 * Model cards on disk: a folder tree of model folders each holding a README.md (the model id is
 * the folder's path under the root), or a Hugging Face cache, laid out as the Hub documents
 * (huggingface.co/docs/hub/local-cache): models--OWNER--NAME/{refs/main, snapshots/REV/...}.
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, relative, sep, basename } from 'node:path';
import { FieldError } from '../../core/field-error';
import { requireRegularFile } from '../regular-file';
import { CardFile, MAX_CARD_BYTES } from './card-source';

/** Files that hold a model's weights: their total is the model size of the study's `size`. */
const WEIGHT_FILE = /\.(safetensors|bin|pt|pth|ckpt|h5|onnx|msgpack|gguf|tflite|pb)$/i;

/** Deepest model folder looked for under --dir (OWNER/NAME is 2; collections nest a little). */
const MAX_DEPTH = 8;

async function entries(dir: string): Promise<Dirent[]> {
  return readdir(dir, { withFileTypes: true });
}

/** The README's text, or why it cannot be read (a FIFO, too large, permissions...). */
async function readCard(path: string): Promise<string | { error: string }> {
  try {
    await requireRegularFile(path, MAX_CARD_BYTES);
    return await readFile(path, 'utf8');
  } catch (e) {
    return { error: `cannot read README.md: ${(e as Error).message}` };
  }
}

/** Total bytes of the weight files directly in `dir` (links followed, as the cache links blobs). */
async function weightBytes(dir: string): Promise<number | undefined> {
  let total: number | undefined;
  for (const entry of await entries(dir).catch(() => [])) {
    if (!WEIGHT_FILE.test(entry.name)) continue;
    const info = await stat(join(dir, entry.name)).catch(() => undefined);
    if (info?.isFile()) total = (total ?? 0) + info.size;
  }
  return total;
}

async function requireFolder(path: string, field: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) throw new FieldError(field, `${path} is not a folder`);
}

/** Every folder under `root` holding a README.md; hidden folders and links to folders are skipped. */
export async function* folderCards(root: string): AsyncGenerator<CardFile> {
  await requireFolder(root, 'dir');
  async function* walk(dir: string, depth: number): AsyncGenerator<CardFile> {
    const list = (await entries(dir).catch(() => [])).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0
    );
    const card = list.find(e => e.name === 'README.md' && !e.isDirectory());
    if (card) {
      const id = relative(root, dir).split(sep).join('/') || basename(root);
      const path = join(dir, 'README.md');
      // A card linked from elsewhere (/etc/passwd…) is not a card of this tree: not followed.
      const readme = card.isSymbolicLink()
        ? { error: 'README.md is a symbolic link: not followed in a folder tree' }
        : await readCard(path);
      yield { modelId: id, path, readme, sizeBytes: await weightBytes(dir) };
    }
    if (depth >= MAX_DEPTH) return;
    for (const e of list) {
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') {
        yield* walk(join(dir, e.name), depth + 1);
      }
    }
  }
  yield* walk(root, 0);
}

/** The Hugging Face cache folder: HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  if (env.HF_HOME) return join(env.HF_HOME, 'hub');
  return join(homedir(), '.cache', 'huggingface', 'hub');
}

/** A ref or revision that names one folder, nothing above or beside it. */
const SAFE_NAME = /^[\w.-]+$/;

/** The snapshot folder to read: the one refs/main names, else the newest holding a README.md. */
async function snapshotOf(repo: string): Promise<string | undefined> {
  const snapshots = join(repo, 'snapshots');
  const main = (await readFile(join(repo, 'refs', 'main'), 'utf8').catch(() => '')).trim();
  if (SAFE_NAME.test(main) && main !== '.' && main !== '..') {
    const dir = join(snapshots, main);
    if (await stat(join(dir, 'README.md')).catch(() => undefined)) return dir;
  }
  let newest: { dir: string; time: number } | undefined;
  for (const e of await entries(snapshots).catch(() => [])) {
    if (!e.isDirectory()) continue;
    const dir = join(snapshots, e.name);
    const info = await stat(join(dir, 'README.md')).catch(() => undefined);
    if (info && (!newest || info.mtimeMs > newest.time)) newest = { dir, time: info.mtimeMs };
  }
  return newest?.dir;
}

/** Every model of a Hugging Face cache; one downloaded without its README yields `readme: null`. */
export async function* cacheCards(root: string): AsyncGenerator<CardFile> {
  await requireFolder(root, 'cache');
  const repos = (await entries(root))
    .filter(e => e.isDirectory() && e.name.startsWith('models--'))
    .map(e => e.name)
    .sort();
  for (const name of repos) {
    const modelId = name.slice('models--'.length).split('--').join('/');
    const snapshot = await snapshotOf(join(root, name));
    if (!snapshot) {
      yield { modelId, readme: null };
      continue;
    }
    const path = join(snapshot, 'README.md');
    yield {
      modelId,
      path,
      readme: await readCard(path),
      sizeBytes: await weightBytes(snapshot)
    };
  }
}
