/** In-memory input/output history of this kernel session for `history_request`. */

export interface HistoryRequest {
  hist_access_type?: 'tail' | 'range' | 'search';
  output?: boolean;
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}

type Entry = [session: number, line: number, input: string | [string, string | null]];

/** IPython's history search uses SQLite GLOB: `*` any run, `?` one char, `[...]` a class. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') re += '[\\s\\S]*';
    else if (ch === '?') re += '[\\s\\S]';
    else if (ch === '[') {
      // As in SQLite, a `]` right after `[` or `[^` is a member of the class, not its end.
      const negate = pattern[i + 1] === '^';
      const from = i + (negate ? 2 : 1);
      const end = pattern.indexOf(']', from + 1);
      if (end < 0) re += '\\[';
      else {
        const body = pattern.slice(from, end).replace(/[\\\]]/g, '\\$&');
        re += '[' + (negate ? '^' : '') + body + ']';
        i = end;
      }
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export class History {
  /** Session number of this kernel run (history of earlier runs is not kept). */
  readonly session = 1;
  private readonly inputs: string[] = [];
  private readonly outputs = new Map<number, string>();

  /** Stores a cell; its line number is the execution count it ran with. */
  add(line: number, input: string): void {
    this.inputs[line - 1] = input;
  }

  setOutput(line: number, text: string): void {
    this.outputs.set(line, text);
  }

  private entry(line: number, withOutput: boolean): Entry {
    const input = this.inputs[line - 1] ?? '';
    return [this.session, line, withOutput ? [input, this.outputs.get(line) ?? null] : input];
  }

  private lines(): number[] {
    return this.inputs.flatMap((input, i) => (input === undefined ? [] : [i + 1]));
  }

  query(req: HistoryRequest): Entry[] {
    const withOutput = Boolean(req.output);
    const all = this.lines();
    switch (req.hist_access_type) {
      case 'range': {
        // 0 is the current session; negative ones count back to earlier runs, which are not kept.
        if (req.session !== undefined && req.session !== 0 && req.session !== this.session)
          return [];
        const start = req.start ?? 1;
        const stop = req.stop ?? Infinity;
        return all.filter(l => l >= start && l < stop).map(l => this.entry(l, withOutput));
      }
      case 'search': {
        const re = globToRegExp(req.pattern ?? '*');
        let found = all.filter(l => re.test(this.inputs[l - 1]));
        if (req.unique) {
          const seen = new Set<string>();
          found = found
            .reverse()
            .filter(l => !seen.has(this.inputs[l - 1]) && seen.add(this.inputs[l - 1]))
            .reverse();
        }
        const n = req.n ?? 0;
        return (n > 0 ? found.slice(-n) : found).map(l => this.entry(l, withOutput));
      }
      default: {
        const n = req.n ?? 10;
        // slice(-0) would be everything: n <= 0 asks for nothing.
        return (n > 0 ? all.slice(-n) : []).map(l => this.entry(l, withOutput));
      }
    }
  }
}
