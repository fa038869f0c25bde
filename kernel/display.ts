/** Turning values into Jupyter mime bundles, and the port through which the API reaches the kernel. */
import { inspect } from 'node:util';

export type MimeBundle = Record<string, unknown>;

/** A value that knows how to show itself (like IPython's `_repr_mimebundle_`). */
export interface Displayable {
  toMimeBundle(): MimeBundle;
  /** Output metadata sent with the bundle, e.g. per mime type (IPython's second repr value). */
  toMimeMetadata?(): Record<string, unknown>;
}

export interface OutputSink {
  display(data: MimeBundle, metadata: Record<string, unknown>, displayId?: string): void;
  updateDisplay(displayId: string, data: MimeBundle, metadata: Record<string, unknown>): void;
  clearOutput(wait: boolean): void;
  /** Shows a bundle in the frontend's pager (an execute_reply payload). */
  page(data: MimeBundle): void;
}

export function isDisplayable(value: unknown): value is Displayable {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as Partial<Displayable>).toMimeBundle === 'function'
  );
}

/** A readable, bounded text form of any value (what a REPL prints). */
export function plainText(value: unknown): string {
  if (typeof value === 'string') return inspect(value);
  return inspect(value, {
    depth: 4,
    maxArrayLength: 100,
    maxStringLength: 10_000,
    breakLength: 100
  });
}

/**
 * Checks a user-supplied bundle: mime keys of the form type/subtype, values that survive JSON
 * (text types must be strings), and always a `text/plain` for viewers that know none of the others.
 */
export function normalizeBundle(
  bundle: unknown,
  fallbackText: () => string = () => plainText(bundle)
): MimeBundle {
  if (bundle === null || typeof bundle !== 'object' || Array.isArray(bundle)) {
    throw new TypeError('a mime bundle must be an object like { "text/html": "<b>hi</b>" }');
  }
  const out: MimeBundle = {};
  for (const [mime, value] of Object.entries(bundle)) {
    if (!/^[\w.+-]+\/[\w.+-]+$/.test(mime)) throw new TypeError(`'${mime}' is not a mime type`);
    if (value === undefined) continue;
    const jsonish = mime === 'application/json' || mime.endsWith('+json');
    if (!jsonish && typeof value !== 'string') {
      throw new TypeError(`the value of '${mime}' must be a string`);
    }
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch (e) {
      throw new TypeError(
        `the value of '${mime}' cannot be sent as JSON: ${(e as Error).message}`,
        {
          cause: e
        }
      );
    }
    // A function or symbol stringifies to undefined: the key would vanish from the message.
    if (json === undefined) throw new TypeError(`the value of '${mime}' cannot be sent as JSON`);
    out[mime] = value;
  }
  if (typeof out['text/plain'] !== 'string') out['text/plain'] = fallbackText();
  return out;
}

/** The output metadata of a cell's result: its own when it has some that survives JSON, else {}. */
export function metadataOf(value: unknown): Record<string, unknown> {
  if (!isDisplayable(value) || typeof value.toMimeMetadata !== 'function') return {};
  try {
    const metadata: unknown = JSON.parse(JSON.stringify(value.toMimeMetadata()));
    return metadata !== null && typeof metadata === 'object' && !Array.isArray(metadata)
      ? (metadata as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** The bundle of a cell's result: its own bundle when it has one, else its inspection. */
export function bundleOf(value: unknown): MimeBundle {
  if (isDisplayable(value)) return normalizeBundle(value.toMimeBundle(), () => plainText(value));
  return { 'text/plain': plainText(value) };
}
