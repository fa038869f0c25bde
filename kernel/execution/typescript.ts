/**
 * Runs cells with tslab's converter and executor (npm `tslab`), embedded behind our protocol layer.
 * tslab reports the last expression and failures through a console interface; we capture those
 * calls to produce execute_result and structured errors instead of printed text. The ES module
 * tslab emits for a cell becomes CommonJS through our own pass (cell-module.ts), not a second
 * TypeScript compile.
 */
import type { Converter } from 'tslab/dist/converter';
import { createExecutor, Executor } from 'tslab/dist/executor';
import { printQuickInfo } from 'tslab/dist/inspect';
import { installCellModules } from './cell-module';
import { installLeadingUnderscores } from './leading-underscores';
import { ErrorContent, errorContent, interruptedError } from './errors';
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

/** Stopped by a SIGINT, or by tslab's interrupt() while the cell awaited. */
function isInterruption(e: unknown): boolean {
  return (
    isSignalInterruption(e) || (e instanceof Error && e.message === 'Interrupted asynchronously')
  );
}

type ConverterModule = typeof import('tslab/dist/converter');

/** tslab's converter, loaded once the faster module pass for its cells is in place. */
function tslabConverter(): ConverterModule {
  installCellModules();
  installLeadingUnderscores();
  return require('tslab/dist/converter') as ConverterModule; // eslint-disable-line @typescript-eslint/no-require-imports
}

export class TypeScriptRunner {
  private readonly executor: Executor;
  private readonly converter: ConverterModule;
  private readonly node: Converter;
  private capture: Capture | null = null;

  constructor(rootDir: string, resolveModule?: (id: string) => unknown) {
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
    this.executor = createExecutor(rootDir, convs, {
      log: (value: unknown) => {
        if (this.capture) Object.assign(this.capture, { value, hasValue: true });
      },
      error: (...args: unknown[]) => {
        this.capture?.errors.push(args);
      }
    });
    if (resolveModule) hookRequire(resolveModule);
  }

  /**
   * Gives every cell a binding `name` of type `type` that holds `value`, without running an import
   * in the user's namespace (measured no slower than the import it replaced). tslab carries the
   * declaration into every later cell and turns references to it into reads of its locals, which
   * is where `value` goes. A SIGINT that stops the declaration was meant for a cell: it goes to
   * `onSignal` and the declaration runs again.
   */
  async provide(
    name: string,
    type: string,
    value: unknown,
    onSignal: () => void = () => undefined
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.execute(`declare const ${name}: ${type};`);
      if (outcome.status === 'ok') break;
      if (outcome.bySignal && attempt < 5) {
        onSignal();
        continue;
      }
      throw new Error(`kernel could not declare ${name}: ${outcome.error?.evalue}`);
    }
    (this.executor.locals as Record<string, unknown>)[name] = value;
  }

  async execute(code: string): Promise<RunOutcome> {
    const capture: Capture = { hasValue: false, errors: [] };
    this.capture = capture;
    let ok: boolean;
    try {
      ok = await this.executor.execute(code);
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
    const info = this.executor.complete(code, position);
    const kinds = new Map(info.original?.entries.map(e => [e.name, e.kind as string]) ?? []);
    return { matches: info.candidates, start: info.start, end: info.end, kinds };
  }

  inspect(code: string, position: number): string | undefined {
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
