/**
 * complete_reply content from TypeScript's completions. tslab also offers names that merely
 * contain what was typed (`Math.P` → `exp`, `hypot`), which clients do not expect: only names
 * that start with it (in any case) are kept. Each match's kind goes in JupyterLab's
 * `_jupyter_types_experimental` metadata, so its completer shows it.
 */
import type { CompleteReply } from './protocol/messages';
import { indexToCodePoint } from './protocol/cursor';

export interface Completions {
  matches: string[];
  /** What the matches replace, as string indices in `source`. */
  start: number;
  end: number;
  kinds: Map<string, string>;
}

/** `cursor` is a string index in `source`, the cell as the client sent it. */
export function completeReply(source: string, cursor: number, found: Completions): CompleteReply {
  const typed = source.slice(found.start, Math.max(found.start, cursor)).toLowerCase();
  const matches = found.matches.filter(m => m.toLowerCase().startsWith(typed));
  const start = indexToCodePoint(source, found.start);
  const end = indexToCodePoint(source, found.end);
  return {
    status: 'ok',
    matches,
    cursor_start: start,
    cursor_end: end,
    metadata: {
      _jupyter_types_experimental: matches.map(text => ({
        start,
        end,
        text,
        type: found.kinds.get(text) ?? '',
        signature: ''
      }))
    }
  };
}
