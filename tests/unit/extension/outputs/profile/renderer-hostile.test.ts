/**
 * @jest-environment jsdom
 *
 * Profile payloads from a stranger's notebook: markup in every string, numbers that are not
 * numbers, odd nesting. Nothing may run, no payload string may reach markup or a style, and
 * anything that breaks the schema is refused with a short reason.
 */
import '../../fixtures/jsdom-globals';
import { renderProfile } from '../../../../../extension/outputs/profile/view';
import { build } from '../../../core/fixtures/profile';

declare global {
  interface Window {
    __gaissaPwned?: boolean;
  }
}

const HOSTILE =
  '<img src=x onerror="window.__gaissaPwned=true"><script>window.__gaissaPwned=true</script>';

afterEach(() => {
  document.body.textContent = '';
  delete window.__gaissaPwned;
});

function hostile() {
  const p = JSON.parse(JSON.stringify(build()));
  for (const l of p.lines) l.text = HOSTILE;
  for (const o of p.other) o.label = HOSTILE;
  for (const f of p.functions) f.name = HOSTILE;
  p.flame[0].name = `${HOSTILE}"; width: 9999px; background: url(javascript:alert(1))`;
  p.flame[0].children[0].name = HOSTILE;
  p.cells[0].code = [HOSTILE, '</code><script>window.__gaissaPwned=true</script>'];
  p.notes = [HOSTILE];
  p.overhead.basis = `" onmouseover="window.__gaissaPwned=true`;
  return p;
}

test('markup in every string stays text: nothing runs, no element or handler comes from it', () => {
  const node = renderProfile(hostile());
  document.body.appendChild(node);
  expect(node.querySelector('img, script, iframe, object, embed, a, style')).toBeNull();
  for (const element of node.querySelectorAll('*')) {
    for (const attribute of element.getAttributeNames()) {
      expect(attribute.startsWith('on')).toBe(false);
      if (attribute === 'style')
        expect(element.getAttribute('style')).toMatch(/^[a-z0-9:;.%\- ]*$/);
    }
  }
  expect(node.textContent).toContain('<script>window.__gaissaPwned=true</script>');
  expect(window.__gaissaPwned).toBeUndefined();
});

test.each([
  ['a share as a string', (p: any) => (p.lines[0].share = '100%')],
  ['an infinite-looking energy', (p: any) => (p.totalEnergyJ = '1e999')],
  ['a negative width', (p: any) => (p.flame[0].energyJ = -5)],
  ['a script in the method', (p: any) => (p.method = HOSTILE)],
  ['a frame with extra keys', (p: any) => (p.flame[0].style = 'width: 9999px')],
  ['a huge string', (p: any) => (p.notes = ['x'.repeat(5000)])],
  ['not an object', (p: any) => (p.lines = 'lines')]
])('%s is refused with a reason', (_, spoil) => {
  const p = hostile();
  spoil(p);
  const node = renderProfile(p);
  expect(node.classList.contains('gaissa-profile-invalid')).toBe(true);
  expect(node.querySelectorAll('li').length).toBeGreaterThan(0);
  expect(node.querySelector('.gaissa-profile-frame')).toBeNull();
});

test('a flame graph deeper and wider than can be drawn is cut, not overflowed', () => {
  const p = JSON.parse(JSON.stringify(build()));
  let frame = p.flame[0];
  for (let i = 0; i < 200; i++) {
    const child = { name: `f${i}`, cell: null, line: null, energyJ: frame.energyJ, children: [] };
    frame.children = [child, { ...child, name: 'twin' }];
    frame = child;
  }
  const node = renderProfile(p);
  const frames = [...node.querySelectorAll<HTMLElement>('.gaissa-profile-frame')];
  expect(Math.max(...frames.map(f => parseFloat(f.style.top)))).toBe(23 * 20);
  for (const f of frames) {
    const left = parseFloat(f.style.left);
    const width = parseFloat(f.style.width);
    expect(left + width).toBeLessThanOrEqual(87.501); // within the top frame's 87.5 %
  }
});
