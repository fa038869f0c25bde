/**
 * Runs cells with tslab's converter and executor (npm `tslab`), embedded behind our protocol layer.
 * tslab reports the last expression and failures through a console interface; we capture those
 * calls to produce execute_result and structured errors instead of printed text. The ES module
 * tslab emits for a cell becomes CommonJS through our own pass (cell-module.ts), not a second
 * TypeScript compile.
 */
import type { Converter } from 'tslab/dist/converter';
import type { Executor } from 'tslab/dist/executor';
import { printQuickInfo } from 'tslab/dist/inspect';
import { CellInterrupted, installCellModules } from './cell-module';
import { claimConversion, clearConversion } from './cell-scripts';
import { CachedModule, loadWithCodeCache } from './code-cache';
import { installLeadingUnderscores } from './leading-underscores';
import { ErrorContent, errorContent, interruptedError } from './errors';
import { tslabTypeScriptPath } from './tslab-typescript';
import { installTypeResolution } from './type-resolution';

export interface RunOutcome {
  status: 'ok' | 'error' | 'interrupted';
  /** Present when the cell ended with an expression whose value is not null/undefined. */
  value?: unknown;
  hasValue: boolean;
  error?: ErrorContent;
  /** Interrupted by a SIGINT that vm's watchdog took (the kernel's own listener never saw it). */
  bySignal?: boolean;
}

export interface Completion {
  matches: string[];
  start: number;
  end: number;
  /** TypeScript's kind of each match (`method`, `property`, `const`…). */
  kinds: Map<string, string>;
}

/** What tslab reported while one cell ran. */
interface Capture {
  value?: unknown;
  hasValue: boolean;
  errors: unknown[][];
}

const INTERRUPTED_CODES = new Set(['ERR_SCRIPT_EXECUTION_INTERRUPTED']);

/** Raised by vm's breakOnSigint watchdog: a SIGINT stopped synchronous code. */
function isSignalInterruption(e: unknown): boolean {
  return e instanceof Error && INTERRUPTED_CODES.has((e as NodeJS.ErrnoException).code ?? '');
}

/** Stopped by a SIGINT, by tslab's interrupt() while the cell awaited, or by the check after a
 * top-level await. */
function isInterruption(e: unknown): boolean {
  return (
    isSignalInterruption(e) ||
    e instanceof CellInterrupted ||
    (e instanceof Error && e.message === 'Interrupted asynchronously')
  );
}

/** A binding `provide` gives cells: its declared type, its value, where a stray SIGINT goes. */
interface Provision {
  type: string;
  value: unknown;
  onSignal: () => void;
}

/** How long the kernel stays idle before it keeps TypeScript's compiled code for the next start. */
const IDLE_MS = 1000;

/** Whether `code` holds `name` as a whole identifier (in a string or comment counts too). */
function namesIdentifier(code: string, name: string): boolean {
  return new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(code);
}

type ConverterModule = typeof import('tslab/dist/converter');

/* eslint-disable @typescript-eslint/no-require-imports -- loaded in order, below */
/** tslab's converter, loaded once the faster module pass for its cells is in place. */
function tslabConverter(): ConverterModule {
  installCellModules();
  installLeadingUnderscores();
  return require('tslab/dist/converter') as ConverterModule;
}

/** tslab's executor: it loads tslab's TypeScript, so only once that came through the code cache. */
function tslabExecutor(): typeof import('tslab/dist/executor') {
  return require('tslab/dist/executor') as typeof import('tslab/dist/executor');
}
/* eslint-enable @typescript-eslint/no-require-imports */

export class TypeScriptRunner {
  private readonly executor: Executor;
  private readonly converter: ConverterModule;
  private readonly node: Converter;
  private capture: Capture | null = null;
  /** Declarations `provide` was asked for and has not made yet, by name. */
  private readonly pending = new Map<string, Provision>();
  /** A cell is running: the idle-time work waits. */
  private running = false;
  private idleTimer: NodeJS.Timeout | undefined;
  /** tslab's TypeScript, compiled through V8's code cache; saved once warm. */
  private readonly typescriptCode: CachedModule;
  private codeSaved = false;

  constructor(rootDir: string, resolveModule?: (id: string) => unknown) {
    // First, before anything of tslab's requires its TypeScript.
    this.typescriptCode = loadWithCodeCache(tslabTypeScriptPath());
    installTypeResolution();
    this.converter = tslabConverter();
    const { createConverter } = this.converter;
    this.node = createConverter({ isJS: false, isBrowser: false });
    let browser: Converter | undefined;
    const node = this.node;
    const convs = {
      node,
      get browser() {
        return (browser ??= createConverter({ isJS: false, isBrowser: true }));
      },
      close() {
        node.close();
        browser?.close();
      }
    };
    this.executor = tslabExecutor().createExecutor(rootDir, convs, {
      log: (value: unknown) => {
        if (this.capture) Object.assign(this.capture, { value, hasValue: true });
      },
      error: (...args: unknown[]) => {
        this.capture?.errors.push(args);
      }
    });
    if (resolveModule) hookRequire(resolveModule);
    this.saveCodeWhenIdle();
  }

  /**
   * Gives every cell a binding `name` of type `type` that holds `value`, without running an import
   * in the user's namespace (measured no slower than the import it replaced). tslab carries the
   * declaration into every later cell and turns references to it into reads of its locals, which
   * is where `value` goes. Checking the declaration loads every file its type reaches (for the
   * gaissa API about a second and 20 MB), so it is made when a cell first names `name`, or when
   * completion or inspection needs it: a cell that does not use it neither waits for it nor
   * keeps its types in memory.
   */
  async provide(
    name: string,
    type: string,
    value: unknown,
    onSignal: () => void = () => undefined
  ): Promise<void> {
    this.pending.set(name, { type, value, onSignal });
  }

  /**
   * Makes the pending declarations `code` names; false when a SIGINT stopped one (the signal was
   * meant for the cell: it goes to `onSignal`, the declaration runs again, the cell does not).
   */
  private async declare(code: string): Promise<boolean> {
    let signalled = false;
    for (const [name, provision] of this.pending) {
      if (!namesIdentifier(code, name)) continue;
      const { type, onSignal } = provision;
      for (let attempt = 1; ; attempt++) {
        const outcome = await this.run(`declare const ${name}: ${type};`);
        if (outcome.status === 'ok') break;
        if (outcome.bySignal && attempt < 5) {
          onSignal();
          signalled = true;
          continue;
        }
        throw new Error(`kernel could not declare ${name}: ${outcome.error?.evalue}`);
      }
      this.provided(name, provision);
    }
    return !signalled;
  }

  /** The declaration ran (its output resets the binding): the value goes in now. */
  private provided(name: string, provision: Provision): void {
    this.pending.delete(name);
    this.setLocal(name, provision.value);
  }

  private setLocal(name: string, value: unknown): void {
    (this.executor.locals as Record<string, unknown>)[name] = value;
  }

  /**
   * The same for completion and inspection, which answer synchronously: a declaration runs no
   * asynchronous step (no top-level await), so tslab has taken it once `execute` returns.
   */
  private declareNow(): void {
    for (const [name, provision] of this.pending) {
      this.pending.delete(name);
      // A failed declaration stays pending: the next cell naming it reports why.
      void this.executor
        .execute(`declare const ${name}: ${provision.type};`)
        .then(ok =>
          ok ? this.setLocal(name, provision.value) : this.pending.set(name, provision)
        );
    }
  }

  /** Once no cell has run for IDLE_MS, keeps the code V8 compiled for TypeScript, warm by then. */
  private saveCodeWhenIdle(): void {
    if (this.codeSaved) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.running) return; // the cell's end schedules it again
      this.codeSaved = true;
      void this.typescriptCode.save();
    }, IDLE_MS);
    this.idleTimer.unref();
  }

  /**
   * Runs a cell. `cell` names it (its execution count, and the line its body starts on) for
   * profiles, which find its functions by the code V8 ran.
   */
  async execute(code: string, cell?: { count: number; bodyStart: number }): Promise<RunOutcome> {
    this.running = true;
    try {
      if (!(await this.declare(code))) {
        return { status: 'interrupted', hasValue: false, error: interruptedError() };
      }
      return await this.run(code, cell);
    } catch (e) {
      return { status: 'error', hasValue: false, error: errorContent(e) };
    } finally {
      this.running = false;
      this.saveCodeWhenIdle();
    }
  }

  private async run(
    code: string,
    cell?: { count: number; bodyStart: number }
  ): Promise<RunOutcome> {
    const capture: Capture = { hasValue: false, errors: [] };
    this.capture = capture;
    let ok: boolean;
    clearConversion();
    try {
      // The executor converts the cell, then runs it: the conversion is the cell's from its start.
      const running = this.executor.execute(code);
      if (cell) claimConversion(cell.count, code, cell.bodyStart);
      ok = await running;
    } catch (e) {
      capture.errors.push([e]);
      ok = false;
    } finally {
      this.capture = null;
    }
    if (ok) return { status: 'ok', value: capture.value, hasValue: capture.hasValue };
    return this.failure(capture.errors);
  }

  private failure(errors: unknown[][]): RunOutcome {
    const thrown = errors.find(args => args.length === 1)?.[0];
    if (thrown !== undefined || errors.length === 0) {
      if (isInterruption(thrown)) {
        return {
          status: 'interrupted',
          hasValue: false,
          error: interruptedError(),
          bySignal: isSignalInterruption(thrown)
        };
      }
      return { status: 'error', hasValue: false, error: errorContent(thrown) };
    }
    // Diagnostics arrive as console.error('%s%d:%d - %s', file, line, column, message).
    const lines = errors.map(
      ([, file, line, column, message]) => `${file ?? ''}${line}:${column} - ${message}`
    );
    return {
      status: 'error',
      hasValue: false,
      error: { ename: 'TypeScriptError', evalue: lines[0], traceback: lines }
    };
  }

  complete(code: string, position: number): Completion {
    this.declareNow();
    const info = this.executor.complete(code, position);
    const kinds = new Map(info.original?.entries.map(e => [e.name, e.kind as string]) ?? []);
    return { matches: info.candidates, start: info.start, end: info.end, kinds };
  }

  inspect(code: string, position: number): string | undefined {
    this.declareNow();
    const info = this.executor.inspect(code, position);
    return info ? printQuickInfo(info) : undefined;
  }

  isComplete(code: string): { completed: boolean; indent?: string } {
    return this.converter.isCompleteCode(code);
  }

  /** Stops pending asynchronous work; synchronous code stops on SIGINT (vm breakOnSigint). */
  interrupt(): void {
    this.executor.interrupt();
  }

  close(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.executor.close();
  }
}

/** tslab hands cells `__tslab__.require`; route our own module ids to the live objects. */
function hookRequire(resolveModule: (id: string) => unknown): void {
  const holder = (globalThis as any).__tslab__ as { require: NodeJS.Require };
  const original = holder.require;
  holder.require = new Proxy(original, {
    apply(target, thisArg, args: [string]) {
      const mod = resolveModule(args[0]);
      return mod !== undefined ? mod : Reflect.apply(target, thisArg, args);
    }
  });
}
