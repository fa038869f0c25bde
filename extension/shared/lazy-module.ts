/**
 * A chunk loaded on demand and remembered once loaded. A renderer whose code is already there can
 * then draw within the task that hands it the output, instead of waiting for the rest of that task
 * (building a whole notebook, when one is opened) to finish before its `await` resumes.
 */

/** What a renderer loads its chunk with: any loader, or a lazy module that may already hold it. */
export interface ChunkLoader<T> {
  (): Promise<T>;
  /** The module when it has already loaded (then no await is needed), else null or absent. */
  readonly loaded?: T | null;
}

export interface LazyModule<T> extends ChunkLoader<T> {
  /** Loads the module (once; a failed load is tried again on the next call). */
  (): Promise<T>;
  /** The module once it has loaded, else null. */
  readonly loaded: T | null;
}

export function lazyModule<T>(importer: () => Promise<T>): LazyModule<T> {
  let loading: Promise<T> | null = null;
  let loaded: T | null = null;
  const load = (): Promise<T> =>
    (loading ??= importer().then(
      module => (loaded = module),
      error => {
        loading = null;
        throw error;
      }
    ));
  return Object.defineProperty(load, 'loaded', { get: () => loaded }) as LazyModule<T>;
}
