/**
 * The banner at the top of a notebook that carries labels in `metadata.gaissa.labels`: per model
 * and phase, the latest label's rating, model and SCI; a click (or Enter / Space, it is a button)
 * scrolls to the cell that issued it. Built from validated entries with safe-dom only.
 */
import { Widget } from '@lumino/widgets';
import { formatQuantity } from '../../../core/label/quantity-format';
import { labelMethodText } from '../../../core/label/provenance';
import type { LabelEntry } from '../../outputs/label/validation';
import { ratingChip } from '../../outputs/label/label-card';
import { clear, clip, el } from '../../shared/safe-dom';

export const BANNER_CLASS = 'gaissa-label-banner';
/** Labels the banner lists by name; the others are counted. */
export const MAX_BANNER_ITEMS = 3;

/** The latest entry per model and phase, in the order the notebook first issued them. */
export function bannerEntries(entries: readonly LabelEntry[]): LabelEntry[] {
  const latest = new Map<string, LabelEntry>();
  for (const entry of entries) {
    const id = JSON.stringify([entry.record.model.name, entry.record.phase]);
    const seen = latest.get(id);
    if (!seen || Date.parse(entry.record.issued) >= Date.parse(seen.record.issued)) {
      // Delete first so that the map keeps the newest one where the newest was issued.
      latest.delete(id);
      latest.set(id, entry);
    }
  }
  return [...latest.values()];
}

export function sciText(entry: LabelEntry): string | null {
  const sci = entry.record.sci;
  if (!sci) return null;
  return `SCI ${formatQuantity(sci.sciG, 'g CO2e')} per ${clip(sci.disclosure.functionalUnit, 40)}`;
}

export function itemSentence(entry: LabelEntry): string {
  const r = entry.record;
  const sci = sciText(entry);
  return (
    `Energy label ${r.rating} for ${clip(r.model.name, 200)}, ${r.phase} phase, ${labelMethodText(r)}` +
    (sci ? `, ${sci}` : '') +
    '.'
  );
}

export class LabelBanner extends Widget {
  private readonly list: HTMLElement;
  private readonly heading: HTMLElement;

  /**
   * @param goTo scrolls to the cell that issued an entry (false when that cell is gone)
   * @param canGo whether the cell that issued an entry is still in the notebook
   * @param onDismiss the user closed the banner
   */
  constructor(
    private readonly goTo: (entry: LabelEntry) => void,
    private readonly canGo: (entry: LabelEntry) => boolean,
    onDismiss: () => void
  ) {
    super();
    this.addClass(BANNER_CLASS);
    this.node.setAttribute('role', 'region');
    this.node.setAttribute('aria-label', 'Energy labels of this notebook');
    this.heading = el('span', { className: 'gaissa-label-banner-title' }, 'Energy label');
    this.list = el('span', { className: 'gaissa-label-banner-items' });
    const close = el(
      'button',
      {
        className: 'gaissa-label-banner-close',
        attrs: { type: 'button', 'aria-label': 'Hide the energy label banner', title: 'Hide' }
      },
      '×'
    );
    close.addEventListener('click', onDismiss);
    this.node.append(this.heading, this.list, close);
  }

  setEntries(entries: readonly LabelEntry[]): void {
    const shown = bannerEntries(entries);
    clear(this.list);
    this.heading.textContent = shown.length > 1 ? 'Energy labels' : 'Energy label';
    for (const entry of shown.slice(0, MAX_BANNER_ITEMS)) this.list.appendChild(this.item(entry));
    const more = shown.length - MAX_BANNER_ITEMS;
    if (more > 0) {
      this.list.appendChild(
        el(
          'span',
          {
            className: 'gaissa-label-banner-more',
            attrs: { title: shown.slice(MAX_BANNER_ITEMS).map(itemSentence).join('\n') }
          },
          `+${more} more`
        )
      );
    }
  }

  private item(entry: LabelEntry): HTMLElement {
    const r = entry.record;
    const sci = sciText(entry);
    const reachable = this.canGo(entry);
    const sentence = itemSentence(entry);
    const button = el(
      'button',
      {
        className: 'gaissa-label-banner-item',
        attrs: {
          type: 'button',
          'data-key': entry.key,
          'aria-disabled': reachable ? null : 'true',
          'aria-label': reachable
            ? `${sentence} Go to the cell that issued it.`
            : `${sentence} The cell that issued it is no longer in this notebook.`,
          title: reachable
            ? `${sentence}\nGo to the cell that issued it.`
            : `${sentence}\nThe cell that issued it is no longer in this notebook.`
        }
      },
      ratingChip(r.rating, 'gaissa-rating gaissa-label-banner-rating'),
      el('span', { className: 'gaissa-label-banner-model' }, clip(r.model.name, 80)),
      el('span', { className: 'gaissa-label-banner-phase' }, r.phase),
      sci ? el('span', { className: 'gaissa-label-banner-sci' }, sci) : null
    );
    button.addEventListener('click', () => {
      if (this.canGo(entry)) this.goTo(entry);
    });
    return button;
  }
}
