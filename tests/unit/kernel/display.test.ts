/** Mime bundles: validation of user bundles, the text/plain fallback, values that show themselves. */
import { bundleOf, isDisplayable, normalizeBundle, plainText } from '../../../kernel/display';

describe('normalizeBundle', () => {
  test('keeps valid entries and adds text/plain from the fallback', () => {
    expect(normalizeBundle({ 'text/html': '<b>hi</b>' }, () => 'hi')).toEqual({
      'text/html': '<b>hi</b>',
      'text/plain': 'hi'
    });
  });

  test('the default text/plain is an inspection of the bundle', () => {
    const out = normalizeBundle({ 'text/markdown': '# T' });
    expect(out['text/plain']).toBe("{ 'text/markdown': '# T' }");
  });

  test('an explicit text/plain is kept and the fallback not called', () => {
    const fallback = jest.fn(() => 'unused');
    expect(
      normalizeBundle({ 'text/plain': 'mine', 'image/png': 'iVBORw0KGgo=' }, fallback)
    ).toEqual({ 'text/plain': 'mine', 'image/png': 'iVBORw0KGgo=' });
    expect(fallback).not.toHaveBeenCalled();
  });

  test('rejects anything that is not a plain object', () => {
    for (const bad of [null, undefined, 'text', 42, true, ['text/plain'], () => 1]) {
      expect(() => normalizeBundle(bad)).toThrow(TypeError);
      expect(() => normalizeBundle(bad)).toThrow(/a mime bundle must be an object/);
    }
  });

  test('rejects keys that are not mime types', () => {
    for (const key of ['html', 'text/', '/plain', 'text/plain/x', 'text /html', 'text/ht ml', '']) {
      expect(() => normalizeBundle({ [key]: 'x' })).toThrow(`'${key}' is not a mime type`);
    }
    // Accepted shapes: vendor trees, suffixes, dots, dashes, plus.
    const ok = normalizeBundle({
      'application/vnd.jupyter.widget-view+json': { model_id: 'abc', version_major: 2 },
      'image/svg+xml': '<svg/>',
      'application/x-gaissa.label_v1': 'x'
    });
    expect(Object.keys(ok).sort()).toEqual([
      'application/vnd.jupyter.widget-view+json',
      'application/x-gaissa.label_v1',
      'image/svg+xml',
      'text/plain'
    ]);
  });

  test('non-JSON mime types need string values, including text/plain', () => {
    expect(() => normalizeBundle({ 'text/html': 42 })).toThrow(
      "the value of 'text/html' must be a string"
    );
    expect(() => normalizeBundle({ 'text/plain': { a: 1 } })).toThrow(
      "the value of 'text/plain' must be a string"
    );
    expect(() => normalizeBundle({ 'image/png': Buffer.from('x') })).toThrow(/must be a string/);
  });

  test('JSON mime types take any JSON value', () => {
    const value = { a: [1, 'two', null, { b: false }] };
    const out = normalizeBundle({ 'application/json': value, 'application/vnd.x+json': [1, 2] });
    expect(out['application/json']).toBe(value);
    expect(out['application/vnd.x+json']).toEqual([1, 2]);
    expect(normalizeBundle({ 'application/json': 3 })['application/json']).toBe(3);
  });

  test('rejects values that cannot be sent as JSON: BigInt, circular, functions, symbols', () => {
    expect(() => normalizeBundle({ 'application/json': { n: 10n } })).toThrow(
      /the value of 'application\/json' cannot be sent as JSON: .*BigInt/
    );
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    expect(() => normalizeBundle({ 'application/vnd.x+json': circular })).toThrow(
      /the value of 'application\/vnd.x\+json' cannot be sent as JSON: .*circular/i
    );
    expect(() => normalizeBundle({ 'application/json': () => 1 })).toThrow(
      /the value of 'application\/json' cannot be sent as JSON/
    );
    expect(() => normalizeBundle({ 'application/json': Symbol('s') })).toThrow(
      /cannot be sent as JSON/
    );
    let err: unknown;
    try {
      normalizeBundle({ 'application/json': 1n });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).cause).toBeInstanceOf(TypeError);
  });

  test('undefined entries are dropped', () => {
    expect(normalizeBundle({ 'text/html': undefined, 'text/plain': 'p' })).toEqual({
      'text/plain': 'p'
    });
  });
});

describe('plainText', () => {
  test('strings are quoted like a REPL, other values inspected', () => {
    expect(plainText('hi')).toBe("'hi'");
    expect(plainText(42)).toBe('42');
    expect(plainText(undefined)).toBe('undefined');
    expect(plainText({ a: 1, b: [1, 2] })).toBe('{ a: 1, b: [ 1, 2 ] }');
    expect(plainText(new Map([['k', 1]]))).toBe("Map(1) { 'k' => 1 }");
    expect(plainText(10n)).toBe('10n');
  });

  test('bounded: long arrays and deep nesting are cut', () => {
    const long = plainText(Array.from({ length: 500 }, (_, i) => i));
    expect(long).toContain('... 400 more items');
    const deep = plainText({ a: { b: { c: { d: { e: { f: 1 } } } } } });
    expect(deep).toContain('[Object]');
    expect(deep).not.toContain('f: 1');
  });
});

describe('bundleOf / isDisplayable', () => {
  class Chart {
    constructor(readonly points: number[]) {}
    toMimeBundle() {
      return { 'image/svg+xml': `<svg data-n="${this.points.length}"/>` };
    }
  }

  test('isDisplayable needs a toMimeBundle function', () => {
    expect(isDisplayable(new Chart([]))).toBe(true);
    const fn = Object.assign(() => 0, { toMimeBundle: () => ({}) });
    expect(isDisplayable(fn)).toBe(true);
    expect(isDisplayable({ toMimeBundle: 'no' })).toBe(false);
    expect(isDisplayable(null)).toBe(false);
    expect(isDisplayable('toMimeBundle')).toBe(false);
  });

  test('a displayable value gives its bundle, with the value inspected as text/plain', () => {
    const chart = new Chart([1, 2, 3]);
    expect(bundleOf(chart)).toEqual({
      'image/svg+xml': '<svg data-n="3"/>',
      'text/plain': 'Chart { points: [ 1, 2, 3 ] }'
    });
  });

  test('its own text/plain wins', () => {
    const v = { toMimeBundle: () => ({ 'text/plain': 'custom', 'text/html': '<i>c</i>' }) };
    expect(bundleOf(v)).toEqual({ 'text/plain': 'custom', 'text/html': '<i>c</i>' });
  });

  test('a displayable returning a bad bundle is refused', () => {
    expect(() => bundleOf({ toMimeBundle: () => 'nope' })).toThrow(/must be an object/);
    expect(() => bundleOf({ toMimeBundle: () => ({ html: 'x' }) })).toThrow(/not a mime type/);
  });

  test('any other value is its inspection', () => {
    expect(bundleOf(2)).toEqual({ 'text/plain': '2' });
    expect(bundleOf('s')).toEqual({ 'text/plain': "'s'" });
    expect(bundleOf([1, 'a'])).toEqual({ 'text/plain': "[ 1, 'a' ]" });
    expect(bundleOf(null)).toEqual({ 'text/plain': 'null' });
  });
});
