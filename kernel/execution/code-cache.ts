/**
 * V8's code cache for one large CommonJS module: tslab's TypeScript, 8 MB of JavaScript that every
 * kernel start compiles again. Once TypeScript has warmed up, the kernel keeps what V8 compiled
 * (the functions the warm-up ran, not only the top level) in the user's cache folder, and later
 * kernels load it instead. The file is named by a hash of the source, Node's version and the
 * architecture; V8 itself refuses a cache made by another V8 or under other flags, and a refused
 * or missing cache only means compiling as before. (Node 22's module.enableCompileCache does this
 * for every module; Node 20 has no such switch.)
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { writeFileAtomic } from '../atomic-write';

export interface CachedModule {
  /** What the module exports. */
  readonly exports: unknown;
  /** Whether V8 took the compiled code from the cache. */
  readonly fromCache: boolean;
  /** Writes what V8 has compiled so far, once (not when it came from the cache): after warm-up. */
  save(): Promise<void>;
}

/** Per user, private: a code cache is code the process runs. */
export function codeCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gaissa', 'v8-code');
}

/**
 * Whether `path` is this user's and no one else can write it: a cache another user could write
 * is code they could make this kernel run. (Where there are no user ids, the mode still counts.)
 */
function ownPrivate(path: string): boolean {
  try {
    const s = statSync(path);
    const uid = process.getuid?.();
    return (uid === undefined || s.uid === uid) && (s.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** Modules loaded here, by file: once per process, as Node's own loader does. */
const loadedModules = new Map<string, CachedModule>();

/**
 * Loads `file` as Node would (its own `require`, registered in require.cache, so later requires
 * of it get this instance), compiling it with the code cached in `dir` when there is one.
 */
export function loadWithCodeCache(file: string, dir = codeCacheDir()): CachedModule {
  let cached = loadedModules.get(file);
  if (!cached) {
    cached = compile(file, dir);
    loadedModules.set(file, cached);
  }
  return cached;
}

const PREFIX = '(function (exports, require, module, __filename, __dirname) { ';
const SUFFIX = '\n})';

/**
 * The module's source inside Node's CommonJS wrapper, joined as bytes and decoded once. V8 keeps
 * the script's source while its functions live; a wrapper built from a source string would leave
 * that string, a second 8 MB, in the heap until a full GC (in an idle kernel, long after start).
 */
function wrappedSource(file: string): string {
  return Buffer.concat([Buffer.from(PREFIX), readFileSync(file), Buffer.from(SUFFIX)]).toString();
}

function compile(file: string, dir: string): CachedModule {
  const loaded = require.cache[file];
  if (loaded) return { exports: loaded.exports, fromCache: false, save: async () => undefined };
  const wrapper = wrappedSource(file);
  const key = createHash('sha256')
    .update(`${process.version} ${process.arch}\n`)
    .update(wrapper)
    .digest('hex')
    .slice(0, 32);
  const cacheFile = join(dir, `${key}.bin`);
  let cachedData: Buffer | undefined;
  if (ownPrivate(dir) && ownPrivate(cacheFile)) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // unreadable: compiled as before
    }
  }
  const script = new Script(wrapper, { filename: file, cachedData });
  const mod = new Module(file) as unknown as NodeJS.Module;
  mod.filename = file;
  require.cache[file] = mod;
  try {
    (script.runInThisContext() as (...args: unknown[]) => void).call(
      mod.exports,
      mod.exports,
      createRequire(file),
      mod,
      file,
      dirname(file)
    );
  } catch (e) {
    delete require.cache[file];
    throw e;
  }
  mod.loaded = true;
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  let saved = fromCache;
  return {
    exports: mod.exports,
    fromCache,
    async save() {
      if (saved) return;
      saved = true;
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        // Not into a folder others can write: the next kernel would not load it anyway.
        if (!ownPrivate(dir)) return;
        await writeFileAtomic(cacheFile, script.createCachedData());
      } catch {
        // No cache this time: the next kernel compiles as before.
      }
    }
  };
}
