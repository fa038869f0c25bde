/**
 * The registry of `%gaissa` commands: each declares typed options, so parsing, validation and
 * `%gaissa help` come from one description. Feature areas (meters, tactics, ROI, labels) add theirs.
 */
import { MagicCall, MagicError } from './parse';

export type OptionType = 'string' | 'number' | 'integer' | 'boolean';

export interface OptionSpec {
  name: string;
  type: OptionType;
  description: string;
  default?: string | number | boolean;
  choices?: string[];
  /** Smallest accepted value for numbers. */
  min?: number;
}

export interface PositionalSpec {
  name: string;
  description: string;
  choices?: string[];
  optional?: boolean;
  /** Takes every remaining token. */
  variadic?: boolean;
}

export interface MagicArgs {
  options: Record<string, string | number | boolean | undefined>;
  positionals: string[];
}

/** What running the masked cell produced; given to cell magics that wrap execution. */
export interface CellOutcome {
  status: 'ok' | 'error' | 'interrupted';
  value?: unknown;
  /** What failed, when status is not ok (the kernel shows it; wrappers may record it). */
  error?: { ename: string; evalue: string };
}

export type CellBody = () => Promise<CellOutcome>;

export interface MagicCommand<Ctx = unknown> {
  name: string;
  summary: string;
  options?: OptionSpec[];
  positionals?: PositionalSpec[];
  /** `%gaissa NAME ...` */
  line?: (args: MagicArgs, ctx: Ctx) => Promise<void> | void;
  /**
   * `%%gaissa NAME ...` as the first line: wraps the execution of the rest of the cell. `code` is
   * the cell with its magic lines masked (same length), for magics that read it before it runs.
   */
  cell?: (args: MagicArgs, ctx: Ctx, body: CellBody, code?: string) => Promise<CellOutcome>;
}

function parseValue(spec: OptionSpec, raw: string, command: string): string | number | boolean {
  const where = `%gaissa ${command} --${spec.name}`;
  switch (spec.type) {
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw new MagicError(`${where} expects true or false, got '${raw}'`);
    case 'number':
    case 'integer': {
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value)) {
        throw new MagicError(`${where} expects a number, got '${raw}'`);
      }
      if (spec.type === 'integer' && !Number.isInteger(value)) {
        throw new MagicError(`${where} expects a whole number, got '${raw}'`);
      }
      if (spec.min !== undefined && value < spec.min) {
        throw new MagicError(`${where} must be at least ${spec.min}, got ${raw}`);
      }
      return value;
    }
    default:
      if (spec.choices && !spec.choices.includes(raw)) {
        throw new MagicError(`${where} must be one of ${spec.choices.join(', ')}, got '${raw}'`);
      }
      return raw;
  }
}

function validOptions(command: MagicCommand<any>): string {
  const names = (command.options ?? []).map(o => `--${o.name}`);
  return names.length ? `valid options: ${names.join(', ')}` : 'it takes no options';
}

/** Turns the tokens after the command name into typed options and positionals. */
export function parseArgs(command: MagicCommand<any>, tokens: string[]): MagicArgs {
  const options: MagicArgs['options'] = {};
  const positionals: string[] = [];
  const specs = command.options ?? [];
  for (const spec of specs) if (spec.default !== undefined) options[spec.name] = spec.default;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.startsWith('--') && token.length > 2) {
      const [name, inline] = token.slice(2).split(/=(.*)/s, 2);
      const negated = name.startsWith('no-') ? name.slice(3) : undefined;
      const spec =
        specs.find(s => s.name === name) ??
        specs.find(s => s.name === negated && s.type === 'boolean');
      if (!spec) {
        throw new MagicError(
          `unknown option --${name} for %gaissa ${command.name}; ${validOptions(command)}`
        );
      }
      if (spec.type === 'boolean' && inline === undefined) {
        options[spec.name] = spec.name === name;
        continue;
      }
      if (spec.name !== name)
        throw new MagicError(`%gaissa ${command.name} --${name} takes no value`);
      const raw = inline ?? tokens[++i];
      if (raw === undefined)
        throw new MagicError(`%gaissa ${command.name} --${name} needs a value`);
      options[spec.name] = parseValue(spec, raw, command.name);
    } else {
      positionals.push(token);
    }
  }
  const specsPos = command.positionals ?? [];
  const variadic = specsPos.some(p => p.variadic);
  if (!variadic && positionals.length > specsPos.length) {
    const expected = specsPos.length ? specsPos.map(p => p.name).join(' ') : 'no arguments';
    throw new MagicError(
      `too many arguments for %gaissa ${command.name}: expected ${expected}, got '${positionals.join(' ')}'`
    );
  }
  specsPos.forEach((spec, i) => {
    if (positionals[i] === undefined && !spec.optional && !spec.variadic) {
      throw new MagicError(`%gaissa ${command.name} needs <${spec.name}>: ${spec.description}`);
    }
    // A variadic positional takes every remaining token: check each against its choices.
    for (const value of spec.variadic ? positionals.slice(i) : positionals.slice(i, i + 1)) {
      if (spec.choices && !spec.choices.includes(value)) {
        throw new MagicError(
          `%gaissa ${command.name} <${spec.name}> must be one of ${spec.choices.join(', ')}, got '${value}'`
        );
      }
    }
  });
  return { options, positionals };
}

export class MagicRegistry<Ctx = unknown> {
  private readonly commands = new Map<string, MagicCommand<Ctx>>();

  register(command: MagicCommand<Ctx>): void {
    if (this.commands.has(command.name))
      throw new Error(`magic ${command.name} is registered twice`);
    this.commands.set(command.name, command);
  }

  get(name: string): MagicCommand<Ctx> | undefined {
    return this.commands.get(name);
  }

  list(): MagicCommand<Ctx>[] {
    return [...this.commands.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Finds the command of a call and parses its arguments; errors list what is valid. */
  resolve(call: MagicCall): { command: MagicCommand<Ctx>; args: MagicArgs } {
    const [name, ...rest] = call.tokens;
    const kind = call.kind === 'cell' ? 'cell' : 'line';
    const valid = this.list()
      .filter(c => c[kind])
      .map(c => c.name)
      .join(', ');
    const prefix = call.kind === 'cell' ? '%%gaissa' : '%gaissa';
    if (!name) throw new MagicError(`${prefix} needs a command; one of: ${valid}`);
    const command = this.commands.get(name);
    if (!command || !command[kind]) {
      throw new MagicError(
        `unknown ${kind} magic '${prefix} ${name}'; valid ${kind} magics: ${valid}`
      );
    }
    return { command, args: parseArgs(command, rest) };
  }

  /** The text of `%gaissa help [CMD]`. */
  help(name?: string): string {
    if (!name) {
      const width = Math.max(...this.list().map(c => c.name.length));
      return [
        'GAISSA magics (line: %gaissa CMD ..., cell: %%gaissa CMD ... as the first line):',
        ...this.list().map(c => {
          const forms = [c.line ? 'line' : '', c.cell ? 'cell' : ''].filter(Boolean).join('+');
          return `  ${c.name.padEnd(width)}  [${forms}] ${c.summary}`;
        }),
        '',
        'Use %gaissa help CMD for the options of one command.'
      ].join('\n');
    }
    const command = this.commands.get(name);
    if (!command) {
      throw new MagicError(
        `no magic named '${name}'; magics: ${this.list()
          .map(c => c.name)
          .join(', ')}`
      );
    }
    const positional = (command.positionals ?? [])
      .map(p =>
        p.optional || p.variadic ? `[${p.name}${p.variadic ? '...' : ''}]` : `<${p.name}>`
      )
      .join(' ');
    const forms = [
      command.line ? `%gaissa ${name}` : '',
      command.cell ? `%%gaissa ${name}` : ''
    ].filter(Boolean);
    const lines = [
      `${forms.join(' | ')}${positional ? ' ' + positional : ''} [options]`,
      '',
      command.summary
    ];
    for (const p of command.positionals ?? []) {
      lines.push(`  ${p.name}: ${p.description}${p.choices ? ` (${p.choices.join('|')})` : ''}`);
    }
    if (command.options?.length) {
      lines.push('', 'Options:');
      for (const o of command.options) {
        const value = o.type === 'boolean' ? '' : ` <${o.choices ? o.choices.join('|') : o.type}>`;
        const dflt = o.default !== undefined ? ` (default ${o.default})` : '';
        lines.push(`  --${o.name}${value}  ${o.description}${dflt}`);
      }
    }
    return lines.join('\n');
  }
}
