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
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        const body = pattern.slice(i + 1, end);
        re +=
          '[' + (body.startsWith('^') ? '^' + body.slice(1) : body).replace(/\\/g, '\\\\') + ']';
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
        if (req.session !== undefined && req.session > 0 && req.session !== this.session) return [];
        const start = req.start ?? 1;
        const stop = req.stop ?? all.length + 1;
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
        return all.slice(-Math.max(0, n)).map(l => this.entry(l, withOutput));
      }
    }
  }
}
