/**
 * TensorFlow.js as the training features use it: loaded on first use (the kernel starts without
 * it) with the WebAssembly backend, which ships inside its npm package and runs several times
 * faster than the pure-JS one. tfjs-node is not an option: its install script downloads
 * libtensorflow, which offline machines cannot fetch.
 */
import type * as TF from '@tensorflow/tfjs';

type TfjsModule = typeof TF;

/**
 * The tfjs module's type under a name of this package: a notebook cell that keeps
 * `const tf = await gaissa.train.tfjs()` has its type emitted by tslab, and TypeScript cannot
 * name a type that lives in gaissa's own node_modules.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Tfjs extends TfjsModule {}

let loading: Promise<Tfjs> | undefined;

/** The `@tensorflow/tfjs` module with the wasm backend selected and ready. */
export function loadTfjs(): Promise<Tfjs> {
  loading ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily on purpose
    const tf = require('@tensorflow/tfjs') as Tfjs;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- registers the backend
    require('@tensorflow/tfjs-backend-wasm');
    if (tf.getBackend() !== 'wasm' && !(await tf.setBackend('wasm'))) {
      throw new Error('the TensorFlow.js wasm backend failed to start');
    }
    await tf.ready();
    return tf;
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}
