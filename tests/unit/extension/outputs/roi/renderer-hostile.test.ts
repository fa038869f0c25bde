/**
 * @jest-environment jsdom
 *
 * ROI payloads from a stranger's notebook: markup in every string, numbers that are not numbers,
 * oversized lists, unknown keys. Nothing may run, nothing may read NaN, and anything that breaks
 * the schema is refused with a short reason.
 */
import { renderRoi } from '../../../../../extension/outputs/roi/view';
import { validateRoiPayload } from '../../../../../extension/outputs/roi/validation';
import { timedPayload, whatIfPayload } from '../../fixtures/roi-payload';

declare global {
  interface Window {
    __gaissaPwned?: boolean;
  }
}

const HOSTILE =
  '<img src=x onerror="window.__gaissaPwned=true"><script>window.__gaissaPwned=true</script>';

function render(payload: unknown, metadata: unknown = {}): HTMLElement {
  const handle = renderRoi(payload, metadata, {
    persist: () => undefined,
    loadCharts: async () => ({
      createRoiCharts: () => ({ draw: async () => undefined, dispose: () => undefined })
    })
  });
  document.body.appendChild(handle.node);
  return handle.node;
}

function expectNoMarkupFrom(node: HTMLElement): void {
  expect(node.querySelector('img, script, iframe, object, embed, svg')).toBeNull();
  for (const element of node.querySelectorAll('*')) {
    for (const attribute of element.getAttributeNames()) {
      expect(attribute.startsWith('on')).toBe(false);
    }
  }
  expect(window.__gaissaPwned).toBeUndefined();
}

afterEach(() => {
  document.body.textContent = '';
  delete window.__gaissaPwned;
});

describe('ROI widget with hostile payloads', () => {
  it('shows markup in every string of a what-if as text', () => {
    const payload = whatIfPayload();
    const expected = payload.expected as NonNullable<typeof payload.expected>;
    expected.name = HOSTILE.slice(0, 200);
    expected.source = HOSTILE;
    expected.caveat = HOSTILE;
    expected.tactic = HOSTILE.slice(0, 100);
    payload.result.explanations = {
      breakEvenInferences: HOSTILE,
      baselineEnergyJ: HOSTILE,
      optimizedEnergyJ: HOSTILE
    };
    payload.scenario.currency = '<b>x</b>';
    payload.result.currency = '<b>x</b>';
    expect(validateRoiPayload(payload).ok).toBe(true);
    const node = render(payload);
    expectNoMarkupFrom(node);
    expect(node.querySelector('b')).toBeNull();
    expect(node.textContent).toContain(HOSTILE);
    expect(node.textContent).toContain('<b>x</b> per kWh');
  });

  it('keeps a source link https-only (the schema refuses any other scheme)', () => {
    for (const url of ['javascript:window.__gaissaPwned=true', 'http://example.org', 'data:,x']) {
      const payload = whatIfPayload();
      (payload.expected as { url: string }).url = url;
      const node = render(payload);
      expect(node.classList.contains('gaissa-roi-invalid')).toBe(true);
      expect(node.querySelector('a')).toBeNull();
    }
  });

  it.each([
    ['null', null],
    ['an array', [1, 2]],
    ['a string', HOSTILE],
    ['no result', { scenario: timedPayload().scenario }],
    ['an unknown key', { ...timedPayload(), onload: 'x' }],
    [
      'a string for a number',
      { ...timedPayload(), scenario: { ...timedPayload().scenario, pricePerKWh: '0.2' } }
    ],
    [
      'a zero price',
      { ...timedPayload(), scenario: { ...timedPayload().scenario, pricePerKWh: 0 } }
    ],
    ['NaN', { ...timedPayload(), scenario: { ...timedPayload().scenario, pue: NaN } }],
    [
      'Infinity in the result',
      { ...timedPayload(), result: { ...timedPayload().result, roi: Infinity } }
    ],
    [
      'a broken dependency',
      { ...timedPayload(), scenario: { ...timedPayload().scenario, carbonIntensity: undefined } }
    ],
    [
      'an oversized curve',
      {
        ...timedPayload(),
        result: {
          ...timedPayload().result,
          costCurve: Array.from({ length: 1001 }, (_, day) => ({ day, baseline: 1, optimized: 1 }))
        }
      }
    ],
    [
      'an oversized explanation',
      {
        ...timedPayload(),
        result: { ...timedPayload().result, explanations: { roi: 'x'.repeat(5000) } }
      }
    ],
    [
      'a javascript: url',
      { ...whatIfPayload(), expected: { ...whatIfPayload().expected, url: 'javascript:alert(1)' } }
    ]
  ])('refuses %s with a short reason, as text', (_, payload) => {
    const node = render(payload);
    expect(node.classList.contains('gaissa-roi')).toBe(true);
    expect(node.classList.contains('gaissa-roi-invalid')).toBe(true);
    expect(node.getAttribute('role')).toBe('alert');
    expect(node.textContent).toContain('Invalid GAISSA ROI output');
    expect(node.querySelectorAll('li').length).toBeGreaterThan(0);
    expect(node.querySelectorAll('li').length).toBeLessThanOrEqual(3);
    expect(node.querySelector('input')).toBeNull();
    expectNoMarkupFrom(node);
  });

  it('reads huge but valid figures without NaN or Infinity', () => {
    const payload = timedPayload();
    payload.result.npv = 1e300;
    payload.result.roi = -1e300;
    payload.result.co2SavedKg = 1e300;
    payload.result.paybackDays = 1e300;
    const node = render(payload);
    expect(node.classList.contains('gaissa-roi-invalid')).toBe(false);
    expect(node.textContent).not.toMatch(/NaN|Infinity/);
    expect(node.textContent).toContain('1.00e+300 EUR');
  });

  it('treats a saved state with markup or odd values as invalid, as text', () => {
    const node = render(timedPayload(), {
      'application/vnd.gaissa.roi.v1+json': { version: 1, scenario: { [HOSTILE]: 1 } }
    });
    expectNoMarkupFrom(node);
    expect(node.querySelector('.gaissa-roi-notice')?.textContent).toContain('was ignored');
    expect(node.textContent).not.toMatch(/NaN/);
  });
});
