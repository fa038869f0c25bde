/**
 * The label card (root class `gaissa-label`): the label drawing of core/label/svg.ts, per-metric
 * details on hover and on keyboard focus, a phase switch, and SVG / JSON downloads. It shows one
 * validated record (extension/outputs/label/validation.ts); every payload string goes in as text (safe-dom) or
 * through the drawing code's escaping and the SVG check of extension/outputs/label/svg-dom.ts.
 *
 * A label record rates one phase. The switch offers the other phase when the notebook the card
 * sits in also holds a label of the same model for it (label-directory.ts); otherwise it says so.
 */
import type { Boundaries } from '../../../core/label/defaults';
import {
  METRICS,
  RATINGS,
  isPhase,
  type MetricName,
  type Phase,
  type Rating
} from '../../../core/label/metrics';
import { formatMetric, formatQuantity } from '../../../core/label/quantity-format';
import { labelMethodText } from '../../../core/label/provenance';
import type { LabelRecord } from '../../../core/label/record';
import { RATING_COLOURS, basisTitle, drawLabelSvg } from '../../../core/label/svg';
import {
  metricTitle,
  modelPercentile,
  percentText,
  ratedAgainst,
  unratedFigures
} from '../../../core/label/rated-against';
import type { LabelOutputMetadata } from './validation';
import { SVG_NS, parseLabelSvg, svgImage } from './svg-dom';
import { append, clear, clip, el, type Child } from '../../shared/safe-dom';
import { formatNumber } from '../../../core/format';

export const LABEL_CLASS = 'gaissa-label';

/** How each metric's unit reads in the details (a metric missing here shows its bare unit). */
const UNIT_TEXT: Partial<Record<string, string>> = {
  energyPerInferenceJ: 'J (joules) per inference',
  co2ePerInferenceG: 'g CO2e per inference',
  latencyMs: 'ms per inference',
  modelSizeMB: 'MB (10^6 bytes)',
  accuracy: 'fraction of correct answers (shown in %)',
  trainingEnergyKWh: 'kWh for the training run',
  trainingCo2eKg: 'kg CO2e for the training run',
  performanceScore: 'fraction (mean of the accuracy, F1 or ROUGE scores reported)',
  downloads: 'downloads on the Hugging Face Hub',
  sizeEfficiency: 'B/g: model bytes per g CO2e of training',
  datasetSizeEfficiency: 'B/g: dataset bytes per g CO2e of training',
  datasetSizeMB: 'MB (10^6 bytes) of training data'
};

const PHASE_TITLE: Record<Phase, string> = { inference: 'Inference', training: 'Training' };

/** What each method says about the figures, as derived from the measurement records. */
const METHOD_SENTENCE: Record<string, string> = {
  measured: 'computed from records measured by hardware counters over their whole window',
  'partly-measured': 'computed from records that hardware counters measured only in part',
  estimated: 'computed from records whose energy was estimated, not measured',
  declared: 'given by the issuer, not computed from a measurement record'
};

let instances = 0;

/** A rating letter on its colour; the letter carries the meaning, the colour only repeats it. */
export function ratingChip(rating: Rating, className = 'gaissa-rating'): HTMLElement {
  const chip = el('span', { className, attrs: { 'data-rating': rating } }, rating);
  chip.style.backgroundColor = RATING_COLOURS[rating].fill;
  chip.style.color = RATING_COLOURS[rating].text;
  return chip;
}

/** Per metric: what the details panel and the metric's accessible name say. */
export interface MetricDetails {
  name: MetricName;
  title: string;
  rating: Rating;
  value: string;
  unit: string;
  index: string;
  indexRule: string;
  reference: string | null;
  bands: string | null;
  weight: string | null;
  /** Where the model stands in the population it was rated against, when recorded. */
  standing: string | null;
}

function weightShares(record: LabelRecord): Partial<Record<MetricName, number>> {
  const names = Object.keys(record.metrics) as MetricName[];
  const total = names.reduce((sum, n) => sum + (record.basis.weights[n] ?? 0), 0);
  const shares: Partial<Record<MetricName, number>> = {};
  if (total > 0) for (const n of names) shares[n] = (record.basis.weights[n] ?? 0) / total;
  return shares;
}

function bandsText(boundaries: Boundaries | readonly number[] | undefined): string | null {
  if (!boundaries || boundaries.length !== 4) return null;
  return boundaries.map((b, i) => `${RATINGS[i]} above ${formatNumber(b)}`).join(', ') + ', else E';
}

export function metricDetails(record: LabelRecord, name: MetricName): MetricDetails | null {
  const m = record.metrics[name];
  const definition = Object.hasOwn(METRICS, name) ? METRICS[name] : undefined;
  if (!m || !definition) return null;
  const reference = record.basis.reference[name];
  const share = weightShares(record)[name];
  const percentile = modelPercentile(record, name);
  return {
    name,
    title: definition.title,
    rating: m.rating,
    value: formatMetric(name, m.value),
    unit: UNIT_TEXT[name] ?? (definition.unit || 'none (a plain number)'),
    index: formatNumber(m.index),
    indexRule:
      definition.better === 'lower'
        ? 'reference ÷ value (lower values are better)'
        : 'value ÷ reference (higher values are better)',
    reference: reference === undefined ? null : formatMetric(name, reference),
    bands: bandsText(record.basis.boundaries[name]),
    weight: share === undefined ? null : `${formatNumber(share * 100)} % of the overall rating`,
    standing:
      percentile === null
        ? null
        : `at least as good as ${percentText(percentile)} of the population`
  };
}

/** One sentence for screen readers and tooltips. */
export function metricSentence(d: MetricDetails): string {
  return (
    `${d.title}: ${d.value}, rating ${d.rating}, index ${d.index}` +
    (d.reference ? ` against a reference of ${d.reference}` : '') +
    (d.standing ? `, ${d.standing}` : '') +
    '.'
  );
}

function phaseOf(record: LabelRecord): Phase {
  return isPhase(record.phase) ? record.phase : 'inference';
}

/** File names from a model name: letters, digits, dot, dash and underscore only. */
export function fileStem(record: LabelRecord): string {
  const slug = String(record.model.name)
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60);
  return `gaissa-label-${slug || 'model'}-${phaseOf(record)}`;
}

/** The label record as `gaissa label --out` writes it. */
export function labelJson(record: LabelRecord): string {
  return JSON.stringify(record, null, 2) + '\n';
}

/** The newest label of `model` for `phase` among the notebook's records. */
export function siblingFor(
  record: LabelRecord,
  phase: Phase,
  records: readonly LabelRecord[]
): LabelRecord | null {
  let best: LabelRecord | null = null;
  for (const candidate of records) {
    if (candidate.phase !== phase || candidate.model.name !== record.model.name) continue;
    if (!best || Date.parse(candidate.issued) >= Date.parse(best.issued)) best = candidate;
  }
  return best;
}

export class LabelCard {
  readonly node: HTMLElement;
  private shown: LabelRecord;
  private readonly own: LabelRecord;
  private other: LabelRecord | null = null;
  private readonly id = ++instances;
  private readonly radios = new Map<Phase, HTMLInputElement>();
  private readonly phaseNote: HTMLElement;
  private readonly picture: HTMLElement;
  private readonly details: HTMLElement;
  private readonly about: HTMLElement;
  private readonly urls = new Set<string>();
  private metricNodes: SVGElement[] = [];
  private hovered: MetricName | null = null;
  private disposed = false;

  constructor(
    record: LabelRecord,
    private readonly output: LabelOutputMetadata | null = null
  ) {
    this.own = record;
    this.shown = record;
    this.phaseNote = el('span', {
      className: 'gaissa-label-phase-note',
      attrs: { id: this.domId('phase-note') }
    });
    this.picture = el('div', { className: 'gaissa-label-picture' });
    this.details = el('div', {
      className: 'gaissa-label-details',
      attrs: { id: this.domId('details'), 'aria-live': 'polite' }
    });
    this.about = el('div', { className: 'gaissa-label-about-host' });
    this.node = el(
      'div',
      { className: LABEL_CLASS, attrs: { tabindex: -1 } },
      el(
        'div',
        { className: 'gaissa-label-toolbar' },
        this.phaseSwitch(),
        this.phaseNote,
        el(
          'span',
          { className: 'gaissa-label-actions' },
          this.button('Download SVG', 'download-svg', 'Download the label drawing (SVG)', () =>
            this.download('svg')
          ),
          this.button('Download JSON', 'download-json', 'Download the label record (JSON)', () =>
            this.download('json')
          )
        )
      ),
      el('div', { className: 'gaissa-label-body' }, this.picture, this.details),
      this.about,
      this.outputNote()
    );
    if (output) this.node.dataset.key = output.key;
    keyHandlers.set(this.node, this.onKey);
    listenForKeys(this.node.ownerDocument.defaultView);
    this.show(record);
  }

  /** The record on screen (the output's own, or its sibling of the other phase). */
  get record(): LabelRecord {
    return this.shown;
  }

  /** The notebook's labels changed: offer (or stop offering) the other phase. */
  setNotebookLabels(records: readonly LabelRecord[]): void {
    if (this.disposed) return;
    const otherPhase: Phase = phaseOf(this.own) === 'inference' ? 'training' : 'inference';
    const other = siblingFor(this.own, otherPhase, records);
    if (other === this.other || JSON.stringify(other) === JSON.stringify(this.other)) return;
    this.other = other;
    if (this.shown !== this.own && !other) this.show(this.own);
    else if (this.shown !== this.own && other) this.show(other);
    this.updateSwitch();
  }

  /** Shows `phase`: the output's own label or the notebook's label of the other phase. */
  selectPhase(phase: Phase): boolean {
    const target = phase === phaseOf(this.own) ? this.own : this.other;
    if (!target) return false;
    if (target !== this.shown) this.show(target);
    this.updateSwitch();
    return true;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    keyHandlers.delete(this.node);
    for (const url of this.urls) URL.revokeObjectURL(url);
    this.urls.clear();
  }

  // --- building ---------------------------------------------------------------------------

  private domId(part: string): string {
    return `gaissa-label-${this.id}-${part}`;
  }

  private button(text: string, action: string, title: string, run: () => void): HTMLElement {
    const button = el(
      'button',
      {
        className: 'gaissa-label-button',
        attrs: { type: 'button', 'data-action': action, title }
      },
      text
    );
    button.addEventListener('click', run);
    return button;
  }

  private phaseSwitch(): HTMLElement {
    const group = el('div', {
      className: 'gaissa-label-phases',
      attrs: { role: 'radiogroup', 'aria-label': 'Phase' }
    });
    for (const phase of ['inference', 'training'] as const) {
      const input = el('input', {
        attrs: {
          type: 'radio',
          name: this.domId('phase'),
          value: phase,
          'aria-describedby': this.domId('phase-note')
        }
      });
      input.addEventListener('change', () => {
        if (input.checked) this.selectPhase(phase);
      });
      this.radios.set(phase, input);
      group.appendChild(
        el(
          'label',
          { className: 'gaissa-label-phase', attrs: { 'data-phase': phase } },
          input,
          PHASE_TITLE[phase]
        )
      );
    }
    return group;
  }

  private updateSwitch(): void {
    const shownPhase = phaseOf(this.shown);
    const ownPhase = phaseOf(this.own);
    for (const [phase, input] of this.radios) {
      const available = phase === ownPhase || this.other !== null;
      input.checked = phase === shownPhase;
      input.disabled = !available;
      input.parentElement?.setAttribute('data-available', String(available));
    }
    const otherPhase: Phase = ownPhase === 'inference' ? 'training' : 'inference';
    const model = clip(String(this.own.model.name), 80);
    this.phaseNote.textContent = this.other
      ? this.shown === this.own
        ? `This notebook also holds a ${otherPhase} label of ${model}.`
        : `Showing the ${otherPhase} label of ${model} recorded in this notebook.`
      : `A label rates one phase; this notebook holds no ${otherPhase} label of ${model}. ` +
        `Issue one with gaissa.label({ phase: '${otherPhase}', … }) to switch.`;
  }

  private outputNote(): HTMLElement | null {
    const notes: Child[] = [];
    if (this.output?.file) {
      notes.push('Record written to ', el('code', {}, this.output.file), '. ');
    }
    if (this.output && !this.output.record) {
      notes.push("Not recorded in the notebook's metadata (record: false).");
    }
    return notes.length > 0 ? el('p', { className: 'gaissa-label-note' }, ...notes) : null;
  }

  private show(record: LabelRecord): void {
    this.shown = record;
    const summary =
      `Energy label ${record.rating} for ${clip(String(record.model.name), 200)}, ` +
      `${phaseOf(record)} phase, ${labelMethodText(record)}, ${basisTitle(record)}`;
    this.node.setAttribute('aria-label', summary);
    this.node.dataset.rating = record.rating;
    this.node.dataset.phase = phaseOf(record);
    this.drawPicture(record, summary);
    this.hovered = null;
    this.renderDetails(null);
    clear(this.about);
    this.about.appendChild(aboutBlock(record));
    this.updateSwitch();
  }

  private drawPicture(record: LabelRecord, summary: string): void {
    clear(this.picture);
    const svgText = drawLabelSvg(record);
    const svg = parseLabelSvg(svgText);
    this.metricNodes = [];
    if (!svg) {
      // Not expected (the drawing escapes every text); the image still shows the label.
      this.picture.appendChild(svgImage(svgText, summary));
      return;
    }
    // role=img would hide the focusable metrics from assistive technology.
    svg.setAttribute('role', 'group');
    const detailsId = this.domId('details');
    for (const group of Array.from(svg.querySelectorAll('g.gaissa-label-metric'))) {
      const name = group.getAttribute('data-metric') as MetricName;
      const d = metricDetails(record, name);
      if (!d) continue;
      const node = group as SVGElement;
      node.setAttribute('tabindex', '0');
      node.setAttribute('role', 'img');
      node.setAttribute('aria-label', metricSentence(d));
      node.setAttribute('aria-describedby', detailsId);
      addHighlight(node);
      node.addEventListener('focus', () => this.renderDetails(name));
      node.addEventListener('blur', () => this.renderDetails(this.hovered));
      node.addEventListener('mouseenter', () => {
        this.hovered = name;
        this.renderDetails(name);
      });
      node.addEventListener('mouseleave', () => {
        this.hovered = null;
        this.renderDetails(this.focusedMetric());
      });
      this.metricNodes.push(node);
    }
    this.picture.appendChild(svg);
  }

  private focusedMetric(): MetricName | null {
    const active = this.node.ownerDocument.activeElement;
    const node = this.metricNodes.find(n => n === active);
    return node ? (node.getAttribute('data-metric') as MetricName) : null;
  }

  private renderDetails(name: MetricName | null): void {
    clear(this.details);
    for (const node of this.metricNodes) {
      node.classList.toggle(
        'gaissa-label-metric-active',
        node.getAttribute('data-metric') === name
      );
    }
    const d = name ? metricDetails(this.shown, name) : null;
    this.details.dataset.metric = d ? d.name : '';
    if (!d) {
      append(
        this.details,
        el('p', { className: 'gaissa-label-hint' }, overallText(this.shown)),
        el(
          'p',
          { className: 'gaissa-label-hint' },
          this.metricNodes.length > 0
            ? 'Hover over a metric, or move to it with Tab, to see its value, unit, index, rating and reference.'
            : 'This label has no metric to detail.'
        )
      );
      return;
    }
    const row = (term: string, ...value: Child[]) =>
      el('div', { className: 'gaissa-label-detail' }, el('dt', {}, term), el('dd', {}, ...value));
    append(
      this.details,
      el('h4', { className: 'gaissa-label-details-title' }, ratingChip(d.rating), ` ${d.title}`),
      el(
        'dl',
        {},
        row('Value', d.value),
        row('Unit', d.unit),
        row('Index', d.index, el('span', { className: 'gaissa-label-muted' }, ` = ${d.indexRule}`)),
        row(
          'Rating',
          d.rating,
          d.bands ? el('span', { className: 'gaissa-label-muted' }, ` (index: ${d.bands})`) : null
        ),
        row('Reference', d.reference ?? 'not recorded'),
        d.standing ? row('Standing', d.standing) : null,
        d.weight ? row('Weight', d.weight) : null
      )
    );
  }

  // --- behaviour ---------------------------------------------------------------------------

  /** Arrow keys, Home and End move between metrics and between the phases. */
  private readonly onKey = (event: KeyboardEvent): boolean => {
    const target = event.target as Element | null;
    const step =
      event.key === 'ArrowDown' || event.key === 'ArrowRight'
        ? 1
        : event.key === 'ArrowUp' || event.key === 'ArrowLeft'
          ? -1
          : 0;
    if (target instanceof HTMLInputElement && target.type === 'radio') {
      if (step === 0) return false;
      const phase: Phase = target.value === 'training' ? 'inference' : 'training';
      if (this.selectPhase(phase)) this.radios.get(phase)?.focus();
      return true;
    }
    const at = this.metricNodes.findIndex(n => n === target);
    if (at === -1) return false;
    const last = this.metricNodes.length - 1;
    const to =
      step !== 0
        ? Math.min(last, Math.max(0, at + step))
        : event.key === 'Home'
          ? 0
          : event.key === 'End'
            ? last
            : -1;
    if (to === -1) return false;
    this.metricNodes[to].focus();
    return true;
  };

  /** Saves the shown label through a Blob URL (revoked once the download has started). */
  download(kind: 'svg' | 'json'): void {
    const record = this.shown;
    const blob =
      kind === 'svg'
        ? new Blob([drawLabelSvg(record)], { type: 'image/svg+xml' })
        : new Blob([labelJson(record)], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    this.urls.add(url);
    const link = el('a', {
      attrs: { href: url, download: `${fileStem(record)}.${kind}` }
    });
    link.style.display = 'none';
    this.node.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => {
      if (this.urls.delete(url)) URL.revokeObjectURL(url);
    }, 30_000);
  }
}

/**
 * Keys inside label cards. JupyterLab handles shortcuts on the document in the capture phase, so
 * in a notebook's command mode the arrow keys would move the active cell instead of the focus
 * within the label; one listener on the window, which sees the event first, keeps them here.
 */
const keyHandlers = new WeakMap<Element, (event: KeyboardEvent) => boolean>();
const listening = new WeakSet<object>();

function listenForKeys(view: (Window & typeof globalThis) | null): void {
  if (!view || listening.has(view)) return;
  listening.add(view);
  view.addEventListener(
    'keydown',
    (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      const target = event.target as Element | null;
      const root = typeof target?.closest === 'function' ? target.closest(`.${LABEL_CLASS}`) : null;
      const handler = root ? keyHandlers.get(root) : undefined;
      if (handler?.(event)) {
        // Lumino's command registry ignores a keydown whose default was prevented.
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true
  );
}

/** A highlight behind a metric's row, shown on hover and focus (CSS), drawn with DOM calls. */
function addHighlight(group: SVGElement): void {
  const box = group.querySelector('rect');
  const y = Number(box?.getAttribute('y'));
  if (!box || !Number.isFinite(y)) return;
  const doc = group.ownerDocument;
  const highlight = doc.createElementNS(SVG_NS, 'rect');
  for (const [k, v] of Object.entries({
    class: 'gaissa-label-metric-highlight',
    x: 8,
    y: y - 4,
    width: 344,
    height: 30,
    rx: 4
  })) {
    highlight.setAttribute(k, String(v));
  }
  group.insertBefore(highlight, group.firstChild);
}

function overallText(record: LabelRecord): string {
  return (
    `Overall rating ${record.rating}: the weighted mean of the metric ratings ` +
    `(A = 0 … E = 4) is ${formatNumber(record.score)}; a tie rounds to the worse rating. ` +
    `Figures ${METHOD_SENTENCE[record.method] ?? 'of unknown origin'}.`
  );
}

type Row = (term: string, ...value: Child[]) => HTMLElement;

/** What the label was rated against (the record's words and provenance), or its basis by name. */
function againstRow(record: LabelRecord, row: Row): HTMLElement {
  const against = ratedAgainst(record);
  if (!against) {
    return row(
      'Basis',
      record.basis.name
        ? `${record.basis.name}: the reference, boundaries and weights of that name`
        : 'custom basis: reference, boundaries or weights chosen by the issuer'
    );
  }
  const facts = [
    against.size !== undefined ? `${formatNumber(against.size)} members` : null,
    against.name ? `from ${against.name}` : null
  ].filter(Boolean);
  return row(
    'Rated against',
    against.title,
    facts.length > 0 ? ` (${facts.join(', ')})` : '',
    against.source
      ? el('div', { className: 'gaissa-label-muted' }, `Source: ${against.source}`)
      : null,
    against.sha256
      ? el(
          'div',
          { className: 'gaissa-label-muted' },
          'Data SHA-256 ',
          el('code', { className: 'gaissa-label-hash' }, against.sha256)
        )
      : null
  );
}

/** The figures the basis could not rate, or nothing. */
function unratedRow(record: LabelRecord, row: Row): HTMLElement | null {
  const figures = unratedFigures(record);
  if (figures.length === 0) return null;
  return row(
    'Not rated',
    figures
      .map(([name, value]) => `${metricTitle(name)} ${formatMetric(name as MetricName, value)}`)
      .join(', '),
    el('span', { className: 'gaissa-label-muted' }, ' (given, but the basis cannot rate them)')
  );
}

function aboutBlock(record: LabelRecord): HTMLElement {
  const row = (term: string, ...value: Child[]) =>
    el('div', { className: 'gaissa-label-detail' }, el('dt', {}, term), el('dd', {}, ...value));
  const sci = record.sci;
  const context = record.context;
  return el(
    'details',
    { className: 'gaissa-label-about' },
    el('summary', {}, 'How this label was computed'),
    el(
      'dl',
      {},
      row(
        'Rating',
        ratingChip(record.rating),
        ` score ${formatNumber(record.score)} (weighted mean of the metric ratings, A = 0 … E = 4)`
      ),
      row('Phase', PHASE_TITLE[phaseOf(record)]),
      row(
        'Method',
        `${labelMethodText(record)}: figures ${METHOD_SENTENCE[record.method] ?? 'of unknown origin'}`
      ),
      againstRow(record, row),
      unratedRow(record, row),
      row(
        'Signature',
        record.signature
          ? 'Ed25519, checked by gaissa label verify --trust KEY against the issuer’s public key'
          : 'unsigned: verify can check only its internal consistency'
      ),
      row('Issued', record.issued),
      row('Model', String(record.model.name)),
      record.model.path ? row('Model file', el('code', {}, record.model.path)) : null,
      record.model.sha256
        ? row('Model SHA-256', el('code', { className: 'gaissa-label-hash' }, record.model.sha256))
        : null,
      row(
        'Measurements',
        record.measurements.length === 0
          ? 'none (metrics given directly)'
          : el(
              'ul',
              {},
              ...record.measurements
                .slice(0, 20)
                .map(m =>
                  el(
                    'li',
                    {},
                    m.path
                      ? el('code', {}, m.path + (m.id ? ` #${m.id}` : ''))
                      : (m.id ?? 'record'),
                    ' ',
                    el('code', { className: 'gaissa-label-hash' }, m.sha256)
                  )
                )
            )
      ),
      sci
        ? row(
            'SCI',
            `${formatQuantity(sci.sciG, 'g CO2e')} per ${sci.disclosure.functionalUnit} ` +
              `(operational ${formatQuantity(sci.operationalG, 'g CO2e')}, ` +
              (sci.disclosure.embodied === 'included'
                ? `embodied ${formatQuantity(sci.embodiedG, 'g CO2e')}`
                : 'embodied not included') +
              `; ${formatNumber(sci.disclosure.carbonIntensityGPerKWh)} gCO2e/kWh, ` +
              `${sci.disclosure.method}; ${sci.disclosure.standard}; boundary: ${sci.disclosure.boundary})`
          )
        : row('SCI', 'not computed for this label'),
      context?.location ? row('Location', context.location) : null,
      context?.hardware ? row('Hardware', context.hardware) : null,
      context?.trainingType ? row('Training type', context.trainingType) : null,
      row(
        'Check',
        'Download the JSON and run ',
        el('code', {}, 'gaissa label verify LABEL.json'),
        ' to see whether the model file and measurement records still match.'
      )
    )
  );
}
