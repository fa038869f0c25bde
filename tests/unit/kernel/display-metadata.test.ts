/** metadataOf: a displayable's own output metadata reaches execute_result, safely. */
import { metadataOf } from '../../../kernel/display';

const bundle = () => ({ 'text/plain': 'x' });

test('a value without toMimeMetadata has none', () => {
  expect(metadataOf({ toMimeBundle: bundle })).toEqual({});
  expect(metadataOf(42)).toEqual({});
  expect(metadataOf(null)).toEqual({});
});

test("a displayable's metadata is sent as JSON", () => {
  const value = {
    toMimeBundle: bundle,
    toMimeMetadata: () => ({ 'text/plain': { note: 'n', dropped: undefined } })
  };
  expect(metadataOf(value)).toEqual({ 'text/plain': { note: 'n' } });
});

test('metadata that throws, is not an object or cannot be JSON is left out', () => {
  const throwing = {
    toMimeBundle: bundle,
    toMimeMetadata: () => {
      throw new Error('boom');
    }
  };
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  expect(metadataOf(throwing)).toEqual({});
  expect(metadataOf({ toMimeBundle: bundle, toMimeMetadata: () => [1] })).toEqual({});
  expect(metadataOf({ toMimeBundle: bundle, toMimeMetadata: () => cyclic })).toEqual({});
});
