/**
 * @jest-environment jsdom
 *
 * Tactics payloads from a stranger's notebook: markup in every string, numbers that are not
 * numbers, oversized lists, unknown keys. Nothing may run, no attribute may become a handler, and
 * anything that breaks the schema is refused with a short reason.
 */
import { tacticsChartSpec, tacticsData } from '../../../../../extension/outputs/tactics/chart-spec';
import { renderTactics } from '../../../../../extension/outputs/tactics/view';
import { inferencePayload } from '../../fixtures/tactics-payload';

declare global {
  interface Window {
    __gaissaPwned?: boolean;
  }
}

const HOSTILE =
  '<img src=x onerror="window.__gaissaPwned=true"><script>window.__gaissaPwned=true</script>';

function expectNoMarkupFrom(node: HTMLElement): void {
  expect(node.querySelector('img, script, iframe, object, embed, svg, a, style')).toBeNull();
  for (const element of node.querySelectorAll('*')) {
    for (const attribute of element.getAttributeNames()) {
      expect(attribute.startsWith('on')).toBe(false);
      expect(element.getAttribute(attribute)).not.toMatch(/javascript:/i);
    }
  }
  expect(window.__gaissaPwned).toBeUndefined();
}

function hostilePayload() {
  const p = inferencePayload();
  const names = p.variants.map((_, i) => `${HOSTILE.slice(0, 190)}${i}`);
  p.variants.forEach((v, i) => {
    v.name = names[i];
    v.tactics = [HOSTILE.slice(0, 200), 'javascript:alert(1)'];
    v.notes = [HOSTILE, '<a href="javascript:alert(1)">click</a>'];
    v.leftAsIs = [HOSTILE];
    v.modelPath = HOSTILE;
  });
  p.baseline = names[0];
  p.recommended = names[1];
  p.recommendation = HOSTILE;
  p.notes = [HOSTILE];
  p.functionalUnit = '<b>x</b>';
  p.createdAt = '<i>now</i>';
  p.setup.host = HOSTILE;
  p.setup.runtime = HOSTILE;
  p.setup.region = '<svg onload=alert(1)>';
  p.setup.fallbackReasons = [HOSTILE];
  return p;
}

afterEach(() => {
  document.body.textContent = '';
  delete window.__gaissaPwned;
});

describe('tactics renderer with hostile payloads', () => {
  it('shows markup in every string as text', () => {
    const { node, chart } = renderTactics(hostilePayload());
    document.body.appendChild(node);
    expect(chart).not.toBeNull();
    expectNoMarkupFrom(node);
    expect(node.textContent).toContain('<script>window.__gaissaPwned=true</script>');
    expect(node.querySelector('.gaissa-tactics-variant')?.textContent).toBe(
      `${HOSTILE.slice(0, 190)}0`
    );
    // The chart's aria-label carries names as a plain attribute value, not markup.
    expect(chart?.host.getAttribute('aria-label')).toContain('<img src=x');
    expect(chart?.host.children).toHaveLength(0);
  });

  it('puts payload strings into the Vega-Lite spec only as data, shortened', () => {
    const payload = hostilePayload();
    const data = tacticsData(payload);
    expect(data.every(d => Array.from(d.name).length <= 24)).toBe(true);
    const spec = tacticsChartSpec(payload, {
      point: '#777',
      pareto: '#17d',
      recommended: '#383',
      budget: '#f70',
      text: '#000',
      mutedText: '#555',
      grid: '#ccc',
      font: 'sans-serif'
    });
    // Outside the data values, no mark, encoding, expression or format takes a payload string.
    const structure = JSON.stringify(spec, (key, value: unknown) =>
      key === 'values' ? [] : value
    );
    expect(structure).not.toContain('<img');
    expect(structure).not.toContain('javascript:');
    expect(structure).not.toContain('"href"');
  });

  it.each([
    ['a string number', (p: Record<string, unknown>[]) => (p[1].energyPerInferenceJ = '1e-3')],
    ['NaN', (p: Record<string, unknown>[]) => (p[1].energyPerInferenceJ = NaN)],
    ['Infinity', (p: Record<string, unknown>[]) => (p[1].latencyMs = Infinity)],
    ['a negative energy', (p: Record<string, unknown>[]) => (p[1].energyPerInferenceJ = -1)],
    ['a quality above 1', (p: Record<string, unknown>[]) => (p[1].quality = 7)],
    ['an unknown key', (p: Record<string, unknown>[]) => (p[1].onclick = 'alert(1)')],
    [
      'a prototype key',
      (p: Record<string, unknown>[]) => (p[1] = JSON.parse('{"__proto__":{"x":1}}'))
    ],
    [
      'an object as name',
      (p: Record<string, unknown>[]) => (p[1].name = { toString: () => HOSTILE })
    ],
    ['a string as notes', (p: Record<string, unknown>[]) => (p[1].notes = HOSTILE)]
  ])('refuses %s with a short error, nothing else', (_, spoil) => {
    const payload = inferencePayload();
    spoil(payload.variants as unknown as Record<string, unknown>[]);
    const { node, chart } = renderTactics(payload);
    document.body.appendChild(node);
    expect(chart).toBeNull();
    expect(node.getAttribute('role')).toBe('alert');
    expect(node.querySelectorAll('li').length).toBeLessThanOrEqual(3);
    expect(node.textContent?.length).toBeLessThan(600);
    expectNoMarkupFrom(node);
  });

  it('refuses oversized strings and lists instead of drawing them', () => {
    const long = inferencePayload();
    long.recommendation = 'x'.repeat(5000);
    expect(renderTactics(long).chart).toBeNull();
    const many = inferencePayload();
    many.variants[1].notes = Array.from({ length: 500 }, (_, i) => `note ${i}`);
    expect(renderTactics(many).chart).toBeNull();
  });

  it('shows at most 20 notes of a variant', () => {
    const payload = inferencePayload();
    payload.variants[1].notes = Array.from({ length: 150 }, (_, i) => `note ${i}`);
    const { node } = renderTactics(payload);
    const notes = node.querySelectorAll('tbody tr')[1].querySelectorAll('.gaissa-tactics-notes li');
    expect(notes).toHaveLength(20);
  });

  it('names the bad field in the error as text, even when the field is hostile', () => {
    const payload = inferencePayload() as unknown as Record<string, unknown>;
    payload[HOSTILE] = 1;
    const { node } = renderTactics(payload);
    document.body.appendChild(node);
    expectNoMarkupFrom(node);
    expect(node.textContent).toContain('must NOT have additional properties');
  });
});
