/** The lightning-bolt pictogram of the meter and badges, drawn with DOM calls (no markup). */
const SVG_NS = 'http://www.w3.org/2000/svg';

export function boltIcon(className = 'gaissa-bolt'): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', className);
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '12');
  svg.setAttribute('height', '12');
  // Decorative: the text next to it says what it means.
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', 'M9.5 0.5 2.5 9h4.5l-1 6.5 7.5-9H9l0.5-6z');
  svg.appendChild(path);
  return svg;
}
