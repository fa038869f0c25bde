/**
 * @jest-environment jsdom
 */
import { append, clip, el } from '../../../../extension/shared/safe-dom';

describe('safe-dom', () => {
  it('turns strings into text nodes, never markup', () => {
    const node = el('div', {}, '<b>bold</b>', 42, null, false, undefined);
    expect(node.querySelector('b')).toBeNull();
    expect(node.textContent).toBe('<b>bold</b>42');
    append(node, el('span', { className: 'x' }, 'y'));
    expect(node.querySelector('span.x')?.textContent).toBe('y');
  });

  it('refuses event-handler attributes and skips empty ones', () => {
    expect(() => el('div', { attrs: { onclick: 'alert(1)' } })).toThrow(/onclick/);
    expect(() => el('div', { attrs: { ONERROR: 'x' } })).toThrow();
    const node = el('div', {
      attrs: { title: '"quoted" <x>', hidden: false, tabindex: 0, open: true }
    });
    expect(node.getAttribute('title')).toBe('"quoted" <x>');
    expect(node.hasAttribute('hidden')).toBe(false);
    expect(node.getAttribute('tabindex')).toBe('0');
    expect(node.getAttribute('open')).toBe('');
  });

  it('clips long text', () => {
    expect(clip('abc', 5)).toBe('abc');
    expect(clip('abcdef', 5)).toBe('abcd…');
    expect(el('p', {}, 'x'.repeat(5000)).textContent!.length).toBe(2000);
  });
});
