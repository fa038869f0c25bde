import { buildLabelRecord, LabelRecord } from '../../../../core/label/record';
import { drawLabelSvg, escapeXml, RATING_COLOURS, truncate } from '../../../../core/label/svg';
import { labelText } from '../../../../core/label/plain-text';
import { formatMetric, formatQuantity } from '../../../../core/label/quantity-format';
import { allElements, parseXml, textContent } from '../../fixtures/xml-wellformed';
import { formatNumber } from '../../../../core/format';

const HOSTILE = `</text><script>alert("x")</script><text x='1'>&amp; ]]> \u202Eevil\u0007`;

function record(name = 'mnist-mlp'): LabelRecord {
  return buildLabelRecord(
    {
      phase: 'inference',
      population: 'fixed',
      method: 'measured',
      metrics: {
        energyPerInferenceJ: 0.42,
        co2ePerInferenceG: 0.0002,
        latencyMs: 30,
        modelSizeMB: 25.1,
        accuracy: 0.981
      },
      model: { name },
      sci: {
        energyKWh: 0.0012,
        carbonIntensity: 56,
        functionalUnits: 10000,
        functionalUnit: 'inference',
        embodied: { totalKg: 1200, lifespanYears: 4, reservedHours: 0.05, resourceShare: 0.25 }
      }
    },
    new Date('2025-03-04T05:06:07Z')
  );
}

describe('drawLabelSvg', () => {
  test('is well-formed XML with an svg root, its own white background and a title', () => {
    const root = parseXml(drawLabelSvg(record()));
    expect(root.name).toBe('svg');
    expect(root.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    const background = allElements(root).find(e => e.name === 'rect');
    expect(background?.attrs.fill).toBe('#ffffff');
    expect(allElements(root).some(e => e.name === 'title')).toBe(true);
  });

  test('shows model, phase, each metric with value, unit and rating, SCI, date and method', () => {
    const root = parseXml(drawLabelSvg(record()));
    const texts = allElements(root)
      .filter(e => e.name === 'text')
      .map(textContent);
    for (const expected of [
      'mnist-mlp',
      'Inference phase',
      'Energy',
      '420 mJ',
      '200 µg CO2e',
      '30 ms',
      '25.1 MB',
      '98.1 %',
      'SCI',
      'per inference',
      'Issued 2025-03-04',
      // Typed figures: the label shows what its (absent) records support, whatever was asked.
      'declared',
      'Rated against:',
      'fixed reference gaissa-inference-v1: ResNet-50'
    ]) {
      expect(texts).toContain(expected);
    }
    const metricGroups = allElements(root).filter(e => e.attrs.class === 'gaissa-label-metric');
    expect(metricGroups.map(g => g.attrs['data-metric'])).toEqual([
      'energyPerInferenceJ',
      'co2ePerInferenceG',
      'latencyMs',
      'modelSizeMB',
      'accuracy'
    ]);
    // each metric badge carries its own rating colour and letter
    const latency = metricGroups[2];
    const badge = allElements(latency).find(e => e.name === 'rect');
    expect(badge?.attrs.fill).toBe(RATING_COLOURS.D.fill);
    expect(allElements(latency).map(textContent)).toContain('D');
  });

  test('marks the overall rating with the black marker', () => {
    const r = record();
    const root = parseXml(drawLabelSvg(r));
    const marker = allElements(root).filter(
      e => e.name === 'polygon' && e.attrs.fill === '#1a1a1a'
    );
    expect(marker).toHaveLength(1);
    const letters = allElements(root).filter(
      e => e.name === 'text' && e.attrs['font-size'] === '26'
    );
    expect(letters.map(textContent)).toEqual([r.rating]);
  });

  test('escapes a hostile model name: no injected element, the name stays text', () => {
    const svg = drawLabelSvg(record(HOSTILE));
    const root = parseXml(svg);
    expect(allElements(root).map(e => e.name)).not.toContain('script');
    expect(svg).not.toMatch(/<script/i);
    expect(svg).not.toContain('\u202E');
    expect(svg).not.toContain('\u0007');
    const nameText = allElements(root)
      .filter(e => e.name === 'text')
      .map(textContent)[2];
    expect(nameText.startsWith('</text><script>alert("x")')).toBe(true);
    expect(root.attrs['aria-label']).toContain('</text><script>');
  });

  test('an untrusted record with bad ratings and values still draws, as "?" and n/a', () => {
    const bad = {
      ...record(),
      rating: '<b>' as never,
      metrics: { latencyMs: { value: 'x' as never, index: 1, rating: 'Z' as never } }
    };
    const root = parseXml(drawLabelSvg(bad));
    const texts = allElements(root).map(textContent);
    expect(texts).toContain('?');
    expect(texts).toContain('n/a');
    for (const phase of ['constructor', '__proto__', 42]) {
      const odd = { ...record(), phase: phase as never };
      expect(parseXml(drawLabelSvg(odd)).name).toBe('svg');
      expect(labelText(odd)).toContain('GAISSA energy label');
    }
  });

  test('SCI without embodied data says so instead of showing 0', () => {
    const r = buildLabelRecord({
      phase: 'inference',
      population: 'fixed',
      metrics: { latencyMs: 5 },
      sci: { energyKWh: 1, carbonIntensity: 100, functionalUnits: 10 }
    });
    const texts = allElements(parseXml(drawLabelSvg(r))).map(textContent);
    expect(texts).toContain('operational 10 g + embodied not included');
    expect(labelText(r)).toContain('embodied not included');
  });

  test('a training label lists the training metrics and says declared (typed figures)', () => {
    const r = buildLabelRecord({
      phase: 'training',
      population: 'fixed',
      metrics: { trainingEnergyKWh: 0.002, trainingCo2eKg: 0.0009, accuracy: 0.9 },
      model: { name: 'tfjs-cnn' }
    });
    const texts = allElements(parseXml(drawLabelSvg(r))).map(textContent);
    expect(texts).toEqual(
      expect.arrayContaining(['Training phase', '2 Wh', '900 mg CO2e', 'declared'])
    );
  });
});

describe('the method chip', () => {
  /** The text element holding `content`, with its x and y. */
  function textAt(svg: string, content: string) {
    const e = allElements(parseXml(svg)).find(
      el => el.name === 'text' && textContent(el) === content
    );
    if (!e) throw new Error(`no text ${content}`);
    return { x: Number(e.attrs.x), y: Number(e.attrs.y) };
  }

  test('a partly measured label shows its counter share; the basis moves below, whole', () => {
    // A label from before labels said what they were rated against: its basis name sits by the chip.
    const { against: _against, ...basisName } = record().basis;
    void _against;
    const old = { ...record(), basis: basisName };
    const plain = drawLabelSvg({ ...old, method: 'declared' });
    const basis = 'basis gaissa-inference-v1';
    const chipRow = textAt(plain, 'declared').y;
    expect(textAt(plain, basis).y).toBe(chipRow);
    const partly = drawLabelSvg({ ...old, method: 'partly-measured', coverage: 0.6 });
    const chip = textAt(partly, 'partly measured (60 % counter)');
    expect(textAt(partly, basis).y).toBeGreaterThan(chip.y);
    expect(parseXml(partly).attrs.height).not.toBe(parseXml(plain).attrs.height);
  });
});

describe('text helpers', () => {
  test('escapeXml', () => {
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
    expect(escapeXml('a\u0000b\uD800c😀')).toBe('abc😀');
  });
  test('truncate keeps surrogate pairs whole', () => {
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
    expect(truncate('short', 10)).toBe('short');
  });
  test('quantities pick a readable prefix', () => {
    expect(formatQuantity(0.000131, 'g CO2e')).toBe('131 µg CO2e');
    expect(formatQuantity(149.2, 'kg CO2e')).toBe('149 kg CO2e');
    expect(formatQuantity(0.0012, 'kWh')).toBe('1.2 Wh');
    expect(formatQuantity(0.5, 'ms')).toBe('500 µs');
    expect(formatQuantity(2500, 'ms')).toBe('2.5 s');
    expect(formatQuantity(0.9996, 'J')).toBe('1 J');
    expect(formatQuantity(0, 'J')).toBe('0 J');
    expect(formatQuantity(2000, 'MB')).toBe('2 GB');
    expect(formatQuantity(2364.837, 'B/g')).toBe('2.36 kB/g');
    expect(formatMetric('performanceScore', 0.823)).toBe('82.3 %');
    expect(formatMetric('accuracy', 0.9813)).toBe('98.1 %');
    expect(formatNumber(123456)).toBe('123,456');
    expect(formatNumber(NaN)).toBe('n/a');
  });
  test('text/plain view', () => {
    const text = labelText(record());
    expect(text).toMatch(
      /^GAISSA energy label [A-E] — mnist-mlp \(inference, declared\)\n {2}Rated against: fixed reference gaissa-inference-v1: ResNet-50/
    );
    expect(text).toContain('SCI');
  });
});

describe('what a label was rated against', () => {
  function rated(extra: (r: Record<string, any>) => void = () => undefined): LabelRecord {
    const r = record() as unknown as Record<string, any>;
    r.basis.against = {
      kind: 'baseline',
      title: 'fp32 baseline of mnist-mlp',
      source: 'gaissa compare of 2025-03-04'
    };
    extra(r);
    return r as unknown as LabelRecord;
  }
  const texts = (svg: string) =>
    allElements(parseXml(svg))
      .filter(e => e.name === 'text')
      .map(textContent);

  test('the label says "Rated against:" and the title instead of the basis name', () => {
    const svg = drawLabelSvg(rated());
    expect(texts(svg)).toEqual(
      expect.arrayContaining([
        'Rated against:',
        'fp32 baseline of mnist-mlp',
        'Source: gaissa compare of 2025-03-04'
      ])
    );
    expect(texts(svg)).not.toContain('basis gaissa-inference-v1');
    expect(parseXml(svg).attrs['aria-label']).toContain('rated against fp32 baseline of mnist-mlp');
    expect(labelText(rated())).toContain('Rated against: fp32 baseline of mnist-mlp');
  });

  test('a long title is wrapped whole onto lines that fit the label', () => {
    const title =
      '1,417 Hugging Face models reporting training CO2e (Castaño et al., ESEM 2023), mined from model cards';
    const lines = texts(drawLabelSvg(rated(r => (r.basis.against.title = title))));
    const at = lines.indexOf('Rated against:');
    const wrapped = lines.slice(at + 1, at + 4);
    expect(wrapped.join(' ')).toBe(title);
    for (const line of wrapped) expect(Array.from(line).length).toBeLessThanOrEqual(50);
  });

  test('figures the basis could not rate are listed as "not rated" with their value', () => {
    const svg = drawLabelSvg(
      rated(r => (r.unrated = { trainingEnergyKWh: 12.5, futureMetric: 3 }))
    );
    const groups = allElements(parseXml(svg)).filter(e => e.attrs.class === 'gaissa-label-unrated');
    expect(groups.map(g => g.attrs['data-metric'])).toEqual(['trainingEnergyKWh', 'futureMetric']);
    expect(allElements(groups[0]).map(textContent)).toEqual(
      expect.arrayContaining(['Training energy', '12.5 kWh', 'not rated'])
    );
    expect(allElements(groups[1]).map(textContent)).toContain('futureMetric');
  });

  test('a rated metric this version does not know draws under its raw name', () => {
    const svg = drawLabelSvg(
      rated(r => (r.metrics.futureMetric = { value: 2, index: 1.5, rating: 'B' }))
    );
    const groups = allElements(parseXml(svg)).filter(e => e.attrs.class === 'gaissa-label-metric');
    expect(groups.map(g => g.attrs['data-metric'])).toContain('futureMetric');
    const future = groups.find(g => g.attrs['data-metric'] === 'futureMetric')!;
    expect(allElements(future).map(textContent)).toEqual(
      expect.arrayContaining(['futureMetric', '2', 'B'])
    );
  });

  test('with a distribution the label grows a "Where you stand" section below the rest', () => {
    const plain = parseXml(drawLabelSvg(rated()));
    const withPopulation = parseXml(
      drawLabelSvg(
        rated(r => {
          r.basis.distribution = {
            latencyMs: Array.from({ length: 21 }, (_, k) => k / 10)
          };
          r.metrics.latencyMs.percentile = 0.4;
        })
      )
    );
    expect(Number(withPopulation.attrs.height)).toBeGreaterThan(Number(plain.attrs.height) + 100);
    const panels = allElements(withPopulation).filter(e => e.attrs.class === 'gaissa-label-ecdf');
    expect(panels.map(p => p.attrs['data-metric'])).toEqual(['latencyMs']);
    expect(allElements(withPopulation).map(textContent)).toContain('Where you stand');
    // The white background covers the section too.
    const background = allElements(withPopulation).find(e => e.name === 'rect')!;
    expect(Number(background.attrs.height)).toBe(Number(withPopulation.attrs.height) - 2);
  });
});
