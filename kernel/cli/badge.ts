/**
 * `gaissa badge`: a label record as a badge to paste into a README or a notebook's first cell —
 * Markdown (or HTML) showing the rating and the SCI, linked to the label JSON.
 *
 * The image is a shields.io static badge by default, or with `--svg` a self-contained SVG drawn
 * here (offline, no third-party request). The record may come from a stranger, so its texts are
 * escaped for each target: Markdown, HTML, the badge URL and XML.
 */
import { parseArgs } from 'node:util';
import { relative, resolve, sep } from 'node:path';
import { escapeMarkup } from '../../core/format';
import { labelMethodText } from '../../core/label/provenance';
import { LabelRecord } from '../../core/label/record';
import { formatQuantity } from '../../core/label/quantity-format';
import { RATING_COLOURS, escapeXml, truncate } from '../../core/label/svg';
import { writeOutputs } from '../label/write-outputs';
import { Command, UsageError } from './command';
import { parsingOptions, readLabelFile } from './parse-options';

const usage = `Usage: gaissa badge LABEL.json [--link URL] [--html] [--svg OUT.svg]

Prints a badge for a label record (written by 'gaissa label --out' or downloaded from the label
widget): the rating A-E, how its figures were obtained (measured, partly measured, estimated or
declared) and the SCI score per functional unit, in the rating's colour, as Markdown
to paste into a README or a notebook's first (Markdown) cell. The badge links to the label JSON.

Options:
  --link URL    where the badge links (default: LABEL.json's path, relative to the current folder)
  --html        print an HTML snippet instead of Markdown
  --svg FILE    also write the badge as a self-contained SVG and use it as the image (offline;
                default image: a static badge from img.shields.io)
Paths in the snippet are relative to the current folder, so run it where the README is.

Exit status: 0 printed; 2 bad usage, an unreadable file or a record that fails the label schema.`;

/** The badge's two halves: a fixed caption and the label's message. */
export interface BadgeText {
  caption: string;
  message: string;
  /** The sentence for alt text and the SVG's title. */
  description: string;
  /** Background colour of the message half (hex, with '#'), per rating. */
  colour: string;
  /** Text colour on that background, chosen for contrast by the label drawing. */
  textColour: string;
}

export const BADGE_CAPTION = 'energy label';

/** What the badge says about a (schema-valid) record. */
export function badgeText(record: LabelRecord): BadgeText {
  const { fill, text } = RATING_COLOURS[record.rating];
  // The method is part of the picture, not only of its alt text: a reader sees how it was obtained.
  let message = `${record.rating} · ${labelMethodText(record)}`;
  let sci = '';
  if (record.sci) {
    const unit = truncate(String(record.sci.disclosure.functionalUnit), 24);
    const value = formatQuantity(record.sci.sciG, 'g CO2e');
    message += ` · SCI ${value}/${unit}`;
    sci = `, SCI ${value} per ${unit}`;
  }
  const model = truncate(record.model.name, 40);
  return {
    caption: BADGE_CAPTION,
    message,
    description: `GAISSA energy label ${record.rating} (${record.phase}, ${labelMethodText(record)}) for ${model}${sci}`,
    colour: fill,
    textColour: text
  };
}

/**
 * A shields.io static badge URL: https://img.shields.io/badge/CAPTION-MESSAGE-COLOUR, where a
 * literal '-' is written '--' and '_' is written '__' (https://shields.io/badges/static-badge).
 */
export function shieldsUrl(badge: BadgeText): string {
  const part = (s: string) => encodeURIComponent(s.replace(/-/g, '--').replace(/_/g, '__'));
  return `https://img.shields.io/badge/${part(badge.caption)}-${part(badge.message)}-${badge.colour.slice(1)}`;
}

/** Rough width of Verdana 11px text; `textLength` then fits the glyphs to it in any font. */
function textWidth(text: string): number {
  return Math.ceil(Array.from(text).length * 6.5);
}

/** A flat 20-px-high badge in the style of shields.io, self-contained (no fonts, links or scripts). */
export function drawBadgeSvg(badge: BadgeText): string {
  const pad = 6;
  const left = textWidth(badge.caption) + 2 * pad;
  const right = textWidth(badge.message) + 2 * pad;
  const width = left + right;
  const label = (x: number, w: number, fill: string, content: string) =>
    `<text x="${x + w / 2}" y="14" fill="${fill}" textLength="${w - 2 * pad}" lengthAdjust="spacingAndGlyphs">${escapeXml(content)}</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" viewBox="0 0 ${width} 20" role="img" aria-label="${escapeXml(badge.description)}">` +
    `<title>${escapeXml(badge.description)}</title>` +
    `<rect width="${left}" height="20" fill="#555555"/>` +
    `<rect x="${left}" width="${right}" height="20" fill="${badge.colour}"/>` +
    `<g font-family="DejaVu Sans, Verdana, Geneva, sans-serif" font-size="11" text-anchor="middle">` +
    label(0, left, '#ffffff', badge.caption) +
    label(left, right, badge.textColour, badge.message) +
    '</g></svg>\n'
  );
}

/**
 * Text inside Markdown's image brackets, on one line. Backslash-escapes (CommonMark §2.4) the
 * characters that could end the brackets or open a construct binding tighter than a link: code
 * spans, raw HTML and autolinks, entities, emphasis.
 */
function markdownText(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .replace(/[\\[\]`<>&*_]/g, '\\$&')
  );
}

/** A Markdown link destination: spaces, brackets and control characters percent-encoded. */
function markdownUrl(url: string): string {
  return url.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0020()<>\u007f]/g,
    c => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')
  );
}

export function badgeMarkdown(badge: BadgeText, image: string, link: string): string {
  return `[![${markdownText(badge.description)}](${markdownUrl(image)})](${markdownUrl(link)})`;
}

export function badgeHtml(badge: BadgeText, image: string, link: string): string {
  return `<a href="${escapeMarkup(link)}"><img src="${escapeMarkup(image)}" alt="${escapeMarkup(badge.description)}"></a>`;
}

/** A path as a README beside the current folder would link it: relative, with '/'. */
function linkPath(path: string): string {
  return relative(process.cwd(), resolve(path)).split(sep).join('/');
}

export const badge: Command = {
  name: 'badge',
  summary: 'a Markdown (or HTML) badge of a label: rating and SCI, for a README or notebook',
  usage,
  async run(args, io) {
    const { values, positionals } = parsingOptions(() =>
      parseArgs({
        args,
        options: {
          link: { type: 'string' },
          html: { type: 'boolean' },
          svg: { type: 'string' }
        },
        allowPositionals: true,
        strict: true
      })
    );
    if (positionals.length !== 1) throw new UsageError('badge needs exactly one LABEL.json');
    if (values.link !== undefined && !values.link.trim()) throw new UsageError('--link is empty');
    if (values.svg !== undefined && !values.svg.trim()) throw new UsageError('--svg is empty');
    const record = await readLabelFile(positionals[0]);
    const text = badgeText(record);
    let image = shieldsUrl(text);
    if (values.svg !== undefined) {
      await writeOutputs(
        [{ path: resolve(values.svg), data: drawBadgeSvg(text) }],
        [positionals[0]]
      );
      image = linkPath(values.svg);
    }
    const link = values.link ?? linkPath(positionals[0]);
    io.stdout(
      (values.html ? badgeHtml(text, image, link) : badgeMarkdown(text, image, link)) + '\n'
    );
    return 0;
  }
};
