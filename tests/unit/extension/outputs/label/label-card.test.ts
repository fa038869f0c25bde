/**
 * @jest-environment jsdom
 */
import '../../fixtures/jsdom-globals';
import { drawLabelSvg } from '../../../../../core/label/svg';
import type { LabelRecord } from '../../../../../core/label/record';
import { parseLabelSvg, svgImage } from '../../../../../extension/outputs/label/svg-dom';
import { renderLabel } from '../../../../../extension/outputs/label/view';
import {
  LabelCard,
  fileStem,
  labelJson,
  metricDetails,
  siblingFor
} from '../../../../../extension/outputs/label/label-card';
import {
  KEY_1,
  SCRIPT,
  asPayload,
  populationLabel,
  sampleLabel,
  trainingLabel
} from '../../fixtures/label-record';

/** jsdom's Blob has no text(); its FileReader reads one. */
function blobText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

function mount(card: { node: HTMLElement }): HTMLElement {
  document.body.appendChild(card.node);
  return card.node;
}

afterEach(() => {
  document.body.textContent = '';
  delete (window as { __gaissaPwned?: unknown }).__gaissaPwned;
});

function metrics(node: HTMLElement): SVGElement[] {
  return Array.from(node.querySelectorAll<SVGElement>('svg g.gaissa-label-metric'));
}

function details(node: HTMLElement): HTMLElement {
  return node.querySelector<HTMLElement>('.gaissa-label-details')!;
}

/** No element, attribute or handler from a payload string made it into the page. */
function expectNoInjection(node: HTMLElement): void {
  expect(
    node.querySelectorAll('script, img[src="x"], foreignObject, iframe, a[href]')
  ).toHaveLength(0);
  for (const element of Array.from(node.querySelectorAll('*'))) {
    for (const attr of Array.from(element.attributes)) expect(attr.name).not.toMatch(/^on/i);
  }
  expect((window as { __gaissaPwned?: unknown }).__gaissaPwned).toBeUndefined();
}

describe('the label card', () => {
  it('draws the core drawing inline, with the metrics focusable', () => {
    const record = asPayload(sampleLabel());
    const node = mount(new LabelCard(record, { record: true, key: KEY_1 }));
    expect(node.classList.contains('gaissa-label')).toBe(true);
    expect(node.dataset.rating).toBe(record.rating);
    expect(node.dataset.key).toBe(KEY_1);
    const svg = node.querySelector('.gaissa-label-picture svg')!;
    expect(svg.namespaceURI).toBe('http://www.w3.org/2000/svg');
    // The same drawing as the kernel's image/svg+xml: its texts are all there.
    const reference = parseLabelSvg(drawLabelSvg(record))!;
    expect(svg.textContent).toBe(reference.textContent);
    // Focusable metrics are reachable by assistive technology (not inside role=img).
    expect(svg.getAttribute('role')).toBe('group');
    const groups = metrics(node);
    expect(groups.map(g => g.getAttribute('data-metric'))).toEqual([
      'energyPerInferenceJ',
      'co2ePerInferenceG',
      'latencyMs',
      'modelSizeMB',
      'accuracy'
    ]);
    for (const g of groups) {
      expect(g.getAttribute('tabindex')).toBe('0');
      expect(g.getAttribute('aria-label')).toMatch(/rating [A-E], index/);
      expect(g.querySelector('.gaissa-label-metric-highlight')).not.toBeNull();
    }
    expect(details(node).getAttribute('aria-live')).toBe('polite');
    expect(details(node).textContent).toContain(`Overall rating ${record.rating}`);
  });

  it('shows the method the records support, the basis and whether the label is signed', () => {
    const typed = asPayload(sampleLabel());
    // The fixture asks for "measured" with typed figures: the record says declared.
    expect(typed.method).toBe('declared');
    const plain = mount(new LabelCard(typed));
    expect(plain.getAttribute('aria-label')).toMatch(
      /, declared, rated against fixed reference gaissa-inference-v1: ResNet-50 fp32 .*\)$/
    );
    const about = plain.querySelector('.gaissa-label-about')!.textContent ?? '';
    expect(about).toContain('Methoddeclared: figures given by the issuer');
    expect(about).toContain('Rated againstfixed reference gaissa-inference-v1: ResNet-50');
    expect(about).toContain('Signatureunsigned');
    const partly = {
      ...asPayload(sampleLabel({ reference: { latencyMs: 6 } })),
      method: 'partly-measured' as const
    };
    const node = mount(new LabelCard(partly));
    expect(node.getAttribute('aria-label')).toMatch(
      /, partly measured, rated against a custom basis \(gaissa-inference-v1 .*\)$/
    );
    expect(node.querySelector('.gaissa-label-picture svg')!.textContent).toContain('custom basis');
    expect(details(node).textContent).toContain(
      'Figures computed from records that hardware counters measured only in part.'
    );
    // With the counter share the label carries, the card and its picture show it.
    const shared = mount(new LabelCard({ ...partly, coverage: 0.42 }));
    expect(shared.getAttribute('aria-label')).toMatch(
      /, partly measured \(42 % counter\), rated against a custom basis \(.*\)$/
    );
    expect(shared.querySelector('.gaissa-label-picture svg')!.textContent).toContain(
      'partly measured (42 % counter)'
    );
  });

  it('details a metric on keyboard focus: value, unit, index, rating, reference', () => {
    const record = asPayload(sampleLabel());
    const node = mount(new LabelCard(record));
    const energy = metrics(node)[0];
    energy.focus();
    expect(document.activeElement).toBe(energy);
    const text = details(node).textContent ?? '';
    const m = record.metrics.energyPerInferenceJ!;
    expect(details(node).dataset.metric).toBe('energyPerInferenceJ');
    expect(text).toContain('Energy');
    expect(text).toContain('Value250 mJ');
    expect(text).toContain('UnitJ (joules) per inference');
    expect(text).toContain(`Index${m.index} = reference ÷ value`);
    expect(text).toContain(`Rating${m.rating}`);
    expect(text).toContain('A above 2, B above 1.25, C above 0.8, D above 0.5, else E');
    expect(text).toContain('Reference1 J');
    expect(text).toMatch(/Weight30 % of the overall rating/);
    expect(details(node).querySelector('.gaissa-rating')?.textContent).toBe(m.rating);
    expect(energy.classList.contains('gaissa-label-metric-active')).toBe(true);

    // Arrow keys move between metrics, Home / End to the ends.
    energy.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    expect(document.activeElement).toBe(metrics(node)[1]);
    expect(details(node).dataset.metric).toBe('co2ePerInferenceG');
    metrics(node)[1].dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    expect(document.activeElement).toBe(metrics(node)[4]);
    expect(details(node).textContent).toContain('value ÷ reference (higher values are better)');
    expect(details(node).textContent).toContain('Value97 %');

    metrics(node)[4].blur();
    expect(details(node).dataset.metric).toBe('');
  });

  it('details a metric on hover, and falls back to the focused one', () => {
    const node = mount(new LabelCard(asPayload(sampleLabel())));
    const [energy, carbon] = metrics(node);
    energy.focus();
    carbon.dispatchEvent(new MouseEvent('mouseenter'));
    expect(details(node).dataset.metric).toBe('co2ePerInferenceG');
    expect(details(node).textContent).toContain('Reference');
    carbon.dispatchEvent(new MouseEvent('mouseleave'));
    expect(details(node).dataset.metric).toBe('energyPerInferenceJ');
  });

  it('keeps markup and script in a model name as text', () => {
    const record = asPayload(
      sampleLabel({
        model: { name: SCRIPT, path: SCRIPT },
        context: { location: SCRIPT, hardware: SCRIPT }
      })
    );
    const node = mount(new LabelCard(record, { record: false, key: KEY_1, file: SCRIPT }));
    expectNoInjection(node);
    // Still drawn inline: the drawing escapes, the parse checks.
    expect(node.querySelector('.gaissa-label-picture svg')).not.toBeNull();
    expect(node.querySelector('.gaissa-label-picture svg')!.textContent).toContain('<img src=x');
    expect(node.textContent).toContain(SCRIPT.slice(0, 30));
    expect(node.getAttribute('aria-label')).toContain('<script>');
    expect(node.textContent).toContain('Not recorded in the notebook');
    // A download file name has nothing of the markup.
    expect(fileStem(record)).toMatch(/^gaissa-label-[A-Za-z0-9._-]+-inference$/);
  });

  it('explains why the other phase is not there, and switches once the notebook has it', () => {
    const own = asPayload(sampleLabel());
    const card = new LabelCard(own);
    const node = mount(card);
    const radio = (phase: string) =>
      node.querySelector<HTMLInputElement>(`input[type=radio][value=${phase}]`)!;
    expect(radio('inference').checked).toBe(true);
    expect(radio('training').disabled).toBe(true);
    expect(node.querySelector('.gaissa-label-phase-note')?.textContent).toMatch(
      /A label rates one phase; this notebook holds no training label of mnist-mlp/
    );

    // Another model's training label is no sibling.
    card.setNotebookLabels([asPayload(trainingLabel({ model: { name: 'other' } }))]);
    expect(radio('training').disabled).toBe(true);

    const older = asPayload(trainingLabel({ issued: '2025-01-01T00:00:00.000Z' }));
    const newer = asPayload(trainingLabel());
    card.setNotebookLabels([own, older, newer]);
    expect(radio('training').disabled).toBe(false);
    radio('training').checked = true;
    radio('training').dispatchEvent(new Event('change'));
    expect(node.dataset.phase).toBe('training');
    expect(card.record).toEqual(newer);
    expect(node.querySelector('svg')!.textContent).toContain('Training phase');
    expect(metrics(node).map(g => g.getAttribute('data-metric'))).toEqual([
      'trainingEnergyKWh',
      'trainingCo2eKg',
      'accuracy'
    ]);

    // Arrow keys on the switch move between the phases.
    radio('training').dispatchEvent(
      new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true })
    );
    expect(node.dataset.phase).toBe('inference');
    expect(card.selectPhase('training')).toBe(true);

    // The sibling is gone: back to the output's own label.
    card.setNotebookLabels([own]);
    expect(node.dataset.phase).toBe('inference');
    expect(radio('training').disabled).toBe(true);
    expect(card.selectPhase('training')).toBe(false);
  });

  it('downloads the shown label as SVG and JSON through Blob URLs', async () => {
    jest.useFakeTimers();
    const blobs: Blob[] = [];
    const revoked: string[] = [];
    const clicks: Array<{ href: string; download: string }> = [];
    Object.assign(URL, {
      createObjectURL: (blob: Blob) => {
        blobs.push(blob);
        return `blob:test/${blobs.length}`;
      },
      revokeObjectURL: (url: string) => revoked.push(url)
    });
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement
    ) {
      clicks.push({ href: this.getAttribute('href')!, download: this.download });
    });
    try {
      const record = asPayload(sampleLabel());
      const card = new LabelCard(record);
      const node = mount(card);
      node.querySelector<HTMLButtonElement>('[data-action=download-svg]')!.click();
      node.querySelector<HTMLButtonElement>('[data-action=download-json]')!.click();
      expect(clicks).toEqual([
        { href: 'blob:test/1', download: 'gaissa-label-mnist-mlp-inference.svg' },
        { href: 'blob:test/2', download: 'gaissa-label-mnist-mlp-inference.json' }
      ]);
      expect(blobs[0].type).toBe('image/svg+xml');
      expect(blobs[1].type).toBe('application/json');
      // The link is gone at once; its URL is freed once the download had time to start.
      expect(node.querySelector('a')).toBeNull();
      expect(revoked).toEqual([]);
      jest.advanceTimersByTime(30_000);
      expect(revoked).toEqual(['blob:test/1', 'blob:test/2']);
      node.querySelector<HTMLButtonElement>('[data-action=download-json]')!.click();
      card.dispose();
      expect(revoked).toEqual(['blob:test/1', 'blob:test/2', 'blob:test/3']);
    } finally {
      click.mockRestore();
      jest.useRealTimers();
    }
    const record = asPayload(sampleLabel());
    expect(await blobText(blobs[0])).toBe(drawLabelSvg(record));
    expect(await blobText(blobs[1])).toBe(labelJson(record));
    expect(JSON.parse(await blobText(blobs[1]))).toEqual(record);
  });

  it('explains each metric from the record it shows', () => {
    const record = asPayload(sampleLabel());
    expect(metricDetails(record, 'trainingEnergyKWh')).toBeNull();
    expect(metricDetails(record, 'modelSizeMB')).toMatchObject({
      value: '400 kB',
      unit: 'MB (10^6 bytes)',
      reference: '102 MB'
    });
    expect(siblingFor(record, 'training', [record])).toBeNull();
  });
});

describe('a label rated against a population', () => {
  it('says what it was rated against, in the card, its picture and its accessible name', () => {
    const record = populationLabel();
    const node = mount(new LabelCard(record));
    const title = '1,417 Hugging Face models reporting training CO2e (Castaño et al., ESEM 2023)';
    expect(node.getAttribute('aria-label')).toContain(`rated against ${title}`);
    const about = node.querySelector('.gaissa-label-about')!.textContent ?? '';
    expect(about).toContain(`Rated against${title} (1,417 members, from hf-co2)`);
    expect(about).toContain('Source: HFCO2.csv, GAISSA repository-mining study');
    expect(about).toContain(`Data SHA-256 ${'c'.repeat(64)}`);
    expect(about).toContain('Not ratedTraining energy 12.5 kWh');
    expect(about).not.toContain('Basisgaissa');
    const picture = node.querySelector('.gaissa-label-picture svg')!;
    expect(picture.textContent).toContain('Rated against:');
    expect(picture.textContent).toContain('not rated');
  });

  it('draws where the model stands inline (not as an image), described for screen readers', () => {
    const node = mount(new LabelCard(populationLabel()));
    // The ECDF's desc and dashed lines pass the SVG check, so the drawing stays interactive.
    expect(node.querySelector('.gaissa-label-picture img')).toBeNull();
    const panels = Array.from(node.querySelectorAll('svg g.gaissa-label-ecdf'));
    expect(panels.map(p => p.getAttribute('data-metric'))).toEqual(['trainingCo2eKg']);
    expect(panels[0].getAttribute('role')).toBe('img');
    expect(panels[0].querySelector('title')?.textContent).toContain('where this model stands');
    expect(panels[0].querySelector('desc')?.textContent).toContain('73 % of the population');
    expect(panels[0].querySelector('circle.gaissa-ecdf-point')).not.toBeNull();
    expect(panels[0].querySelectorAll('line.gaissa-ecdf-boundary')).toHaveLength(4);
    // The metrics stay focusable; the percentile is in the details and the accessible name.
    const carbon = metrics(node).find(g => g.getAttribute('data-metric') === 'trainingCo2eKg')!;
    expect(carbon.getAttribute('aria-label')).toContain(
      'at least as good as 73 % of the population'
    );
    carbon.focus();
    expect(details(node).textContent).toContain(
      'Standingat least as good as 73 % of the population'
    );
    expect(metricDetails(populationLabel(), 'accuracy')?.standing).toBeNull();
  });

  it('keeps markup and script in what it was rated against as text', () => {
    const node = mount(
      new LabelCard(populationLabel({ title: SCRIPT, source: SCRIPT, name: SCRIPT }))
    );
    expectNoInjection(node);
    expect(node.querySelector('.gaissa-label-about')!.textContent).toContain(SCRIPT);
    expect(node.querySelector('.gaissa-label-picture svg')!.textContent).toContain('<script>');
    expect(node.getAttribute('aria-label')).toContain(SCRIPT);
  });

  it('ignores a malformed distribution and draws the rest of the label', () => {
    const record = populationLabel() as unknown as Record<string, any>;
    record.basis.distribution.trainingCo2eKg = [3, 2, 1];
    const node = mount(new LabelCard(record as unknown as LabelRecord));
    expect(node.querySelector('svg g.gaissa-label-ecdf')).toBeNull();
    expect(metrics(node).length).toBeGreaterThan(0);
  });
});

describe('renderLabel', () => {
  it('shows why a payload of wrong types is refused, as text', () => {
    const payload = { ...asPayload(sampleLabel()), rating: SCRIPT, score: 'high' };
    const view = renderLabel(payload, { record: true, key: KEY_1 });
    const node = mount(view);
    expect(node.classList.contains('gaissa-label')).toBe(true);
    expect(node.classList.contains('gaissa-label-invalid')).toBe(true);
    expect(node.getAttribute('role')).toBe('alert');
    expect(node.textContent).toContain('Invalid GAISSA label');
    expect(node.querySelectorAll('li').length).toBeGreaterThan(0);
    expect(node.querySelector('svg')).toBeNull();
    expectNoInjection(node);
    view.setNotebookLabels([]);
    view.dispose();
  });

  it.each([null, 'label', 42, [], { format: 'gaissa.label' }])('refuses %p', payload => {
    expect(renderLabel(payload).node.classList.contains('gaissa-label-invalid')).toBe(true);
  });

  it('ignores output metadata it does not understand', () => {
    const node = renderLabel(asPayload(sampleLabel()), { key: SCRIPT, onclick: SCRIPT }).node;
    expect(node.dataset.key).toBeUndefined();
    expect(node.querySelector('.gaissa-label-note')).toBeNull();
  });
});

describe('the SVG check', () => {
  const good = drawLabelSvg(sampleLabel());

  it('takes exactly what the drawing code emits', () => {
    expect(parseLabelSvg(good)).not.toBeNull();
    expect(parseLabelSvg(drawLabelSvg(populationLabel()))).not.toBeNull();
    expect(parseLabelSvg(drawLabelSvg(trainingLabel({ model: { name: SCRIPT } })))).not.toBeNull();
  });

  it.each([
    '<svg xmlns="http://www.w3.org/2000/svg"><script>window.__gaissaPwned=1</script></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" onload="window.__gaissaPwned=1"></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://evil.example/x)"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><image href="x"/></svg>',
    '<svg><text>no namespace</text></svg>',
    '<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
    '<svg xmlns="http://www.w3.org/2000/svg"><text>unclosed</svg>',
    'not xml at all <'
  ])('refuses %s', text => {
    expect(parseLabelSvg(text)).toBeNull();
  });

  it('falls back to an image, which never runs script', () => {
    const img = svgImage(good, 'Energy label');
    expect(img.tagName).toBe('IMG');
    expect(img.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    expect(img.alt).toBe('Energy label');
  });
});
