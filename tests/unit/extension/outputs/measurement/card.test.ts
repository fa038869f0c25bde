/**
 * @jest-environment jsdom
 */
import { renderMeasurement } from '../../../../../extension/outputs/measurement/view';
import { constantsText } from '../../../../../extension/outputs/measurement/card';
import { asPayload, sampleRecord } from '../../fixtures/measurement-record';

declare global {
  interface Window {
    __gaissaPwned?: boolean;
  }
}

const HOSTILE =
  '<img src=x onerror="window.__gaissaPwned=true"><script>window.__gaissaPwned=true</script>';

function render(payload: unknown): HTMLElement {
  const view = renderMeasurement(payload);
  document.body.appendChild(view.node);
  return view.node;
}

afterEach(() => {
  document.body.textContent = '';
  delete window.__gaissaPwned;
});

describe('measurement card', () => {
  it('shows energy, duration, power, CO2e, cost, components and repeat statistics', () => {
    const record = sampleRecord();
    const node = render(asPayload(record));
    expect(node.classList.contains('gaissa-measurement')).toBe(true);
    const text = node.textContent ?? '';
    expect(text).toContain('Energy measurement');
    expect(text).toContain('matrix product');
    // mean of 10.5, 12.5, 11.5 J
    expect(text).toContain('11.5 J');
    expect(text).toContain('2 s');
    expect(text).toContain('5.75 W');
    expect(text).toContain('CO2e');
    expect(text).toContain('France, 56 gCO2e/kWh');
    expect(text).toContain('EUR');
    expect(text).toContain('with PUE 1.5');
    expect(text).toContain('3 runs after 1 warm-up run');
    expect(text).toMatch(/95% CI .* to .*\(± .*\)/);
    const rows = node.querySelectorAll('.gaissa-measurement-components tbody tr');
    expect([...rows].map(r => r.getAttribute('data-component'))).toEqual(['cpu', 'gpu', 'ram']);
    expect(rows[1].textContent).toContain('absent');
  });

  it('says "estimated" in words, with the constants on hover and for keyboard users', () => {
    const record = sampleRecord();
    const node = render(asPayload(record));
    const badge = node.querySelector('.gaissa-badge-estimated') as HTMLElement;
    expect(badge.textContent).toBe('estimated');
    expect(badge.getAttribute('tabindex')).toBe('0');
    expect(badge.title).toContain('CPU TDP 65 W');
    expect(badge.title).toContain('Teads curve');
    expect(badge.getAttribute('aria-label')).toContain('estimated');
    expect(constantsText(record).join('\n')).toBe(badge.title);
  });

  it('says "measured" for counter readings', () => {
    const record = sampleRecord();
    const measured = {
      ...record,
      method: 'rapl' as const,
      estimated: false,
      coverage: 1,
      provenance: 'measured' as const,
      constants: {
        samplingIntervalMs: 100,
        rapl: { root: '/sys/class/powercap', zones: [{ name: 'package-0', path: 'intel-rapl:0' }] }
      },
      components: {
        cpu: {
          energyJ: record.components.cpu.energyJ,
          method: 'rapl' as const,
          scope: 'machine' as const,
          coverage: 1
        },
        gpu: record.components.gpu,
        ram: {
          energyJ: record.components.ram.energyJ,
          method: 'rapl' as const,
          scope: 'machine' as const,
          coverage: 1
        }
      }
    };
    const node = render(asPayload(measured));
    const badge = node.querySelector('.gaissa-badge-measured') as HTMLElement;
    expect(badge.textContent).toBe('measured');
    expect(badge.title).toContain('RAPL zones: package-0');
  });

  // Issue #15 review: the card and the cell badge read coverage the same way (components too).
  it('does not say "measured" when the flags say so but a component was half estimated', () => {
    const record = sampleRecord();
    const { coverage: _c, provenance: _p, ...old } = record;
    const hostile = {
      ...old,
      method: 'rapl' as const,
      estimated: false,
      components: {
        ...record.components,
        cpu: { ...record.components.cpu, method: 'rapl' as const, coverage: 0.5 },
        ram: { ...record.components.ram, method: 'rapl' as const, coverage: 1 }
      }
    };
    const node = render(asPayload(hostile as never));
    expect(node.querySelector('.gaissa-badge-measured')).toBeNull();
    expect(node.textContent).toContain('partly measured (52 % counter)');
  });

  // Review P3-1: a GPU that gave no reading is said to be missing, not folded into a fake share.
  it('says "GPU energy missing" beside the provenance when a GPU gave no reading', () => {
    const record = sampleRecord();
    const node = render(
      asPayload({
        ...record,
        components: {
          ...record.components,
          gpu: { energyJ: 0, method: 'estimate', scope: 'device', coverage: 0 }
        }
      })
    );
    expect(node.querySelector('.gaissa-badge-missing')?.textContent).toBe('GPU energy missing');
    expect(render(asPayload(record)).querySelector('.gaissa-badge-missing')).toBeNull();
  });

  // Issue #15: a partly estimated measurement never shows a plain "measured" badge.
  it('says "partly measured (NN % counter)" when a counter measured only part of it', () => {
    const record = sampleRecord();
    const partly = {
      ...record,
      coverage: 0.4,
      provenance: 'partly-measured' as const,
      components: {
        ...record.components,
        cpu: {
          ...record.components.cpu,
          method: 'rapl' as const,
          scope: 'machine' as const,
          coverage: 0.45
        }
      }
    };
    const node = render(asPayload(partly));
    expect(node.querySelector('.gaissa-badge-measured')).toBeNull();
    const badge = node.querySelector('.gaissa-badge-partly-measured') as HTMLElement;
    expect(badge.textContent).toBe('partly measured (40 % counter)');
    expect(badge.getAttribute('aria-label')).toMatch(/^partly measured \(40 % counter\): /);
    const cpu = node.querySelector('tr[data-component="cpu"]') as HTMLElement;
    expect(cpu.textContent).toContain('RAPL counters (machine), partly measured (45 % counter)');
  });

  it('does not believe a "measured" badge the record contradicts', () => {
    const forged = { ...sampleRecord(), coverage: 1, provenance: 'measured' as const };
    const node = render(asPayload(forged)); // still estimated: true, method: estimate
    expect(node.querySelector('.gaissa-badge-measured')).toBeNull();
    expect(node.querySelector('.gaissa-badge-estimated')?.textContent).toBe('estimated');
  });

  it('draws a chart host only when there is a timeline', () => {
    const view = renderMeasurement(asPayload(sampleRecord()));
    expect(view.chart?.host.classList.contains('gaissa-measurement-chart')).toBe(true);
    expect(view.chart?.timeline.length).toBeGreaterThan(0);
    const none = renderMeasurement(asPayload(sampleRecord({ timeline: [] })));
    expect(none.chart).toBeNull();
    expect(none.node.querySelector('.gaissa-measurement-chart')).toBeNull();
  });

  it('shows the error of an interrupted or failed measurement', () => {
    const node = render(
      asPayload(
        sampleRecord({ status: 'error', error: { name: 'TypeError', message: 'x is undefined' } })
      )
    );
    expect(node.getAttribute('data-status')).toBe('error');
    expect(node.querySelector('.gaissa-badge-status')?.textContent).toBe('error');
    expect(node.textContent).toContain('TypeError: x is undefined');
  });

  it('reads "no price set" rather than a made-up cost', () => {
    const node = render(asPayload(sampleRecord({ cost: null, pricePerKWh: null, currency: null })));
    expect(node.textContent).toContain('no price set');
  });
});

describe('invalid payloads', () => {
  const valid = () => asPayload(sampleRecord()) as Record<string, unknown>;
  const cases: Array<[string, unknown]> = [
    ['null', null],
    ['a string', 'energy: 12 J'],
    ['an array', [1, 2, 3]],
    ['an empty object', {}],
    ['a wrong schema version', { ...valid(), schemaVersion: 2 }],
    [
      'a missing field',
      (() => {
        const v = valid();
        delete v.energyJ;
        return v;
      })()
    ],
    ['a negative energy', { ...valid(), energyJ: -1 }],
    ['energy as a string', { ...valid(), energyJ: '12' }],
    ['an unknown method', { ...valid(), method: 'magic' }],
    ['an extra property', { ...valid(), onload: 'alert(1)' }],
    ['a bad timestamp', { ...valid(), startedAt: 'yesterday' }],
    [
      'a timeline too long',
      {
        ...valid(),
        timeline: Array.from({ length: 201 }, () => ({
          t: 0,
          powerW: 1,
          cpuW: 1,
          gpuW: 0,
          ramW: 0
        }))
      }
    ]
  ];

  it.each(cases)('renders %s as a short, safe error', (_, payload) => {
    const node = render(payload);
    expect(node.classList.contains('gaissa-measurement')).toBe(true);
    expect(node.classList.contains('gaissa-measurement-invalid')).toBe(true);
    expect(node.getAttribute('role')).toBe('alert');
    expect(node.textContent).toContain('Invalid GAISSA measurement');
    expect(node.querySelectorAll('li').length).toBeGreaterThan(0);
    expect(node.querySelectorAll('li').length).toBeLessThanOrEqual(3);
  });
});

describe('hostile payloads', () => {
  it('shows markup in every string field as text and runs none of it', () => {
    const record = sampleRecord({
      label: HOSTILE,
      id: HOSTILE.slice(0, 200),
      status: 'error',
      error: { name: HOSTILE, message: HOSTILE },
      regionName: HOSTILE,
      carbonIntensitySource: HOSTILE,
      notes: [HOSTILE],
      fallbackReasons: [HOSTILE]
    });
    record.host.cpuModel = HOSTILE;
    record.host.os = HOSTILE;
    record.repeat.tTable = HOSTILE;
    record.constants.estimator!.attribution = HOSTILE;
    record.constants.estimator!.cpuModel = HOSTILE;
    const node = render(asPayload(record));
    expect(node.classList.contains('gaissa-measurement-invalid')).toBe(false);
    expect(node.querySelector('img, script, iframe, object, embed')).toBeNull();
    expect(node.textContent).toContain('<img src=x onerror=');
    for (const element of node.querySelectorAll('*')) {
      for (const attribute of element.getAttributeNames()) {
        expect(attribute.startsWith('on')).toBe(false);
      }
    }
    expect(window.__gaissaPwned).toBeUndefined();
  });

  it('cuts very long strings and very long lists', () => {
    const long = 'x'.repeat(100_000);
    const node = render(
      asPayload(sampleRecord({ notes: Array.from({ length: 500 }, (_, i) => `note ${i} ${long}`) }))
    );
    const items = [...node.querySelectorAll('.gaissa-measurement-provenance li')].filter(li =>
      li.textContent?.startsWith('note ')
    );
    expect(items.length).toBe(50);
    expect(items[0].textContent!.length).toBeLessThanOrEqual(2000);
    expect(node.textContent).toContain('(450 more)');
  });

  it('keeps absurd but valid numbers readable', () => {
    const node = render(asPayload(sampleRecord({ energyJ: 1e300, co2eG: 0, powerW: 5e-12 })));
    expect(node.textContent).not.toContain('NaN');
    expect(node.textContent).not.toContain('Infinity');
  });
});
