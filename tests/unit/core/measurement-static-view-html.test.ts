/** text/html view: the same facts in a table, a power sparkline, and nothing live from a payload. */
import fc from 'fast-check';
import type { MeasurementRecord } from '../../../core/measurement';
import { measurementHtml } from '../../../core/measurement-static-view';
import { allElements, parseXml, textContent } from '../fixtures/xml-wellformed';
import {
  anyFields,
  DANGEROUS,
  raplRecord,
  repeatedRecord,
  singleRecord,
  tampered
} from './fixtures/measurement-records';

/** Every element the view may emit; anything else would have come from a payload. */
const ALLOWED = [
  'div',
  'table',
  'caption',
  'tr',
  'th',
  'td',
  'strong',
  'svg',
  'title',
  'line',
  'polyline'
];

/** The table's rows as label -> text, read back through a strict parser. */
function cells(html: string): Map<string, string> {
  const rows = allElements(parseXml(html)).filter(e => e.name === 'tr');
  return new Map(
    rows.map(tr => {
      const [th, td] = tr.children.filter(c => typeof c !== 'string');
      return [textContent(th as never), textContent(td as never)];
    })
  );
}

test('a real record: well-formed, with the same facts as the text view', () => {
  const html = measurementHtml(repeatedRecord());
  const rows = cells(html);
  expect(allElements(parseXml(html)).find(e => e.name === 'caption')).toBeDefined();
  expect(html).toContain('<caption>GAISSA measurement: train</caption>');
  expect(rows.get('Energy')).toBe('11 J per run (13.2 J with PUE 1.2); 55 J in total');
  expect(rows.get('CO2e')).toBe('0.0013 g CO2e per run; 0.0066 g CO2e in total');
  expect(rows.get('Energy per run')).toBe('11 J ± 1.58 J (sd), 95 % CI 9.04 J to 13 J');
  expect(rows.get('Dynamic energy')).toBe('9 J per run above idle');
  expect(rows.get('RAM power')).toBe('0.3725 W/GB (Green Algorithms)');
  expect(html).toMatch(/<th>Method<\/th><td><strong>estimated /);
  expect(html).not.toMatch(/NaN|undefined|Infinity/);
});

test('a measured record is not emphasised and shows no estimator constants', () => {
  const rows = cells(measurementHtml(raplRecord()));
  expect(rows.get('Method')).toBe('measured (RAPL)');
  expect(rows.has('CPU power')).toBe(false);
  expect(measurementHtml(raplRecord())).not.toMatch(/<strong>measured/);
});

test('errors are shown, in bold', () => {
  const html = measurementHtml(
    singleRecord({ status: 'error', error: { name: 'Error', message: 'boom' } })
  );
  expect(html).toContain('<th>Status</th><td><strong>error (Error: boom); ');
});

describe('sparkline', () => {
  test('power over time as one polyline, on the record timeline', () => {
    const record = repeatedRecord();
    const html = measurementHtml(record);
    const svg = allElements(parseXml(html)).filter(e => e.name === 'svg');
    expect(svg).toHaveLength(1);
    const polyline = allElements(svg[0]).find(e => e.name === 'polyline');
    const points = (polyline?.attrs.points ?? '').split(' ');
    expect(points).toHaveLength(record.timeline.length);
    for (const p of points) expect(p).toMatch(/^\d+\.\d,\d+\.\d$/);
    const peak = Math.max(...record.timeline.map(t => t.powerW));
    expect(cells(html).get('Power over time')).toMatch(new RegExp(`peak ${peak} W$`));
  });

  test('bad points are skipped; fewer than two usable points draw nothing', () => {
    const timeline = [
      { t: 0, powerW: 1 },
      { t: NaN, powerW: 2 },
      { t: 1, powerW: '3' },
      { t: 2, powerW: 4 },
      'junk',
      null
    ];
    const html = measurementHtml(tampered({ timeline }));
    expect(html.match(/points="([^"]*)"/)?.[1].split(' ')).toHaveLength(2);
    expect(measurementHtml(tampered({ timeline: [{ t: 0, powerW: 1 }] }))).not.toMatch(/<svg/);
    expect(measurementHtml(tampered({ timeline: 'not a list' }))).not.toMatch(/<svg/);
  });

  test('an oversized timeline is thinned to a few hundred points', () => {
    const timeline = Array.from({ length: 50_000 }, (_, i) => ({ t: i, powerW: i % 7 }));
    const html = measurementHtml(tampered({ timeline }));
    const points = html.match(/points="([^"]*)"/)?.[1].split(' ') ?? [];
    expect(points.length).toBeGreaterThan(100);
    expect(points.length).toBeLessThanOrEqual(240);
    expect(html).toContain('peak 6 W');
  });

  test('a flat or single-instant timeline still draws inside the box', () => {
    const html = measurementHtml(
      tampered({
        timeline: [
          { t: 5, powerW: 0 },
          { t: 5, powerW: 0 }
        ]
      })
    );
    for (const n of html.match(/points="([^"]*)"/)?.[1].split(/[ ,]/) ?? []) {
      expect(Number(n)).toBeGreaterThanOrEqual(0);
      expect(Number(n)).toBeLessThanOrEqual(240);
    }
  });
});

describe('untrusted payloads', () => {
  const hostile = '<img src=x onerror=alert(1)>';

  test('hostile strings in every string field come out inert', () => {
    const record = tampered({
      label: hostile,
      error: { name: '<script>alert(2)</script>', message: '"><iframe src=x>alert(3)' },
      status: 'error',
      region: '<b>x</b>',
      regionName: "' onmouseover='alert(4)",
      carbonIntensitySource: '</td></tr></table><script>alert(5)</script>',
      currency: '<a href=x>',
      notes: [hostile, '<foreignObject>'],
      fallbackReasons: ['<i>why</i>'],
      gpus: [{ index: 0, name: hostile, energyJ: 1, source: '<script>' }],
      constants: {
        samplingIntervalMs: '<script>',
        estimator: {
          cpuModel: hostile,
          cpuTdpW: '<b>',
          cpuTdpSource: hostile,
          loadCurve: [['<x>', 1], 'junk', [0, '<y>']],
          loadCurveSource: hostile,
          ramWPerGB: 0.3,
          ramWPerGBSource: hostile,
          attribution: hostile
        }
      }
    });
    const html = measurementHtml(record);
    expect(html).not.toMatch(DANGEROUS);
    expect(html).toContain(
      '<caption>GAISSA measurement: &lt;img src=x onerror=alert(1)&gt;</caption>'
    );
    expect(html).toContain('&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;');
    // Only our own elements, and no payload text inside an attribute.
    for (const el of allElements(parseXml(html))) {
      expect(ALLOWED).toContain(el.name);
      for (const value of Object.values(el.attrs))
        expect(value).not.toMatch(/alert|script|onerror/);
    }
    expect(cells(html).get('Load curve')).toBe(
      'n/a % → ×1, 0 % → ×n/a (<img src=x onerror=alert(1)>)'
    );
  });

  test('not a record at all: a well-formed table of n/a', () => {
    for (const junk of [null, undefined, 0, 'x', [], {}]) {
      const html = measurementHtml(junk as unknown as MeasurementRecord);
      expect(cells(html).get('Energy')).toBe('n/a');
      expect(html).not.toMatch(/NaN|undefined|<svg/);
    }
  });

  test('property: any field values give well-formed, inert HTML without NaN', () => {
    fc.assert(
      fc.property(anyFields, fields => {
        const html = measurementHtml(tampered(fields));
        for (const el of allElements(parseXml(html))) expect(ALLOWED).toContain(el.name);
        expect(html).not.toMatch(DANGEROUS);
        expect(html).not.toMatch(/NaN|undefined|Infinity/);
      }),
      { numRuns: 300 }
    );
  });
});
