/**
 * The one way this extension builds DOM. Payload strings only ever become text nodes or the value
 * of a plain attribute (title, aria-label), never markup: there is no innerHTML anywhere, so a
 * notebook from a stranger cannot run script through our outputs.
 */

export type Child = Node | string | number | null | undefined | false;

export interface ElementOptions {
  className?: string;
  /** Attributes set with setAttribute; `on*` names are refused so no string becomes a handler. */
  attrs?: Record<string, string | number | boolean | null | undefined>;
}

/** Longest text shown for any single payload string; the rest is cut with an ellipsis. */
export const MAX_TEXT = 2000;

export function clip(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (/^on/i.test(name)) throw new Error(`refusing event-handler attribute ${name}`);
    node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(
      typeof child === 'string' || typeof child === 'number'
        ? document.createTextNode(typeof child === 'string' ? clip(child) : String(child))
        : child
    );
  }
}

/** Removes every child (textContent = '' clears without parsing anything). */
export function clear(node: Node): void {
  node.textContent = '';
}
