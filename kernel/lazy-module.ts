/**
 * A module loaded the first time it is used. The kernel starts for every notebook, and most
 * cells never touch ONNX Runtime, the label schema or the CSV and YAML parsers: those load on
 * first use rather than at start. `load` holds the literal `require` so that paths resolve from
 * the caller; types come from an `import type` beside it.
 */
export function lazyModule<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}
