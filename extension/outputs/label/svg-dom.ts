/**
 * Puts the label drawing (core/label/svg.ts drawLabelSvg, the kernel's drawing too) into the page
 * without markup injection: the SVG text is parsed as XML (image/svg+xml, which never runs script
 * while parsing), every element and attribute is checked against what the drawing code emits, and
 * only then is the tree imported. Anything unexpected falls back to an <img> of the same SVG,
 * which a browser renders without running script or fetching anything.
 */

export const SVG_NS = 'http://www.w3.org/2000/svg';

/** Every element drawLabelSvg emits. */
const ELEMENTS = new Set([
  'svg',
  'title',
  'desc',
  'g',
  'rect',
  'text',
  'path',
  'circle',
  'polygon',
  'line'
]);

/** Every attribute drawLabelSvg emits: presentation and geometry only, no links, no handlers. */
const ATTRIBUTES = new Set([
  'xmlns',
  'width',
  'height',
  'viewBox',
  'role',
  'aria-label',
  'class',
  'data-metric',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'fill',
  'stroke',
  'stroke-width',
  'stroke-linejoin',
  'stroke-dasharray',
  'transform',
  'points',
  'd',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx'
]);

/** Why a parsed tree was refused, or null when every node is one the drawing code emits. */
export function unexpectedSvgContent(root: Element): string | null {
  const nodes = [root, ...Array.from(root.getElementsByTagName('*'))];
  for (const node of nodes) {
    if (node.namespaceURI !== SVG_NS || !ELEMENTS.has(node.localName)) {
      return `element ${node.localName}`;
    }
    for (const attr of Array.from(node.attributes)) {
      if (!ATTRIBUTES.has(attr.name)) return `attribute ${attr.name}`;
      // No value may reach outside the document (url(...), javascript:, external refs).
      if (/url\s*\(|javascript:|data:/i.test(attr.value) && attr.name !== 'aria-label') {
        return `value of ${attr.name}`;
      }
    }
  }
  return null;
}

/** The parsed drawing, ready to insert, or null when it is not exactly what drawLabelSvg emits. */
export function parseLabelSvg(svgText: string, doc: Document = document): SVGSVGElement | null {
  let parsed: Document;
  try {
    parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  } catch {
    return null;
  }
  const root = parsed.documentElement;
  if (
    !root ||
    root.namespaceURI !== SVG_NS ||
    root.localName !== 'svg' ||
    parsed.getElementsByTagName('parsererror').length > 0 ||
    unexpectedSvgContent(root) !== null
  ) {
    return null;
  }
  return doc.importNode(root, true) as unknown as SVGSVGElement;
}

/** The same drawing as an image: shown when parsing refused it; never runs script. */
export function svgImage(svgText: string, alt: string, doc: Document = document): HTMLImageElement {
  const img = doc.createElement('img');
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`;
  img.alt = alt;
  return img;
}
