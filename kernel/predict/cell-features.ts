/**
 * Static features of a cell's TypeScript, for predicting its energy before it runs: the work its
 * loops do (operations times the product of literal trip counts), the array elements it touches,
 * the time it waits on timers, the model runs and training epochs it asks for, and what calls to
 * functions measured earlier cost. Parsed with the TypeScript compiler the kernel already loads;
 * nothing is run. What cannot be sized (a while loop, a bound that is not a constant) is named,
 * so the predictor can say why it does not predict.
 */
import type * as TS from 'typescript';
import { tslabTypeScriptPath } from '../execution/tslab-typescript';

let tsModule: typeof TS | undefined;
/** The kernel's own TypeScript (tslab's), loaded once: in a kernel it is already in memory. */
function typescript(): typeof TS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiler the kernel runs
  return (tsModule ??= require(tslabTypeScriptPath()) as typeof TS);
}

export interface CellFeatures {
  /** Operations executed (operators, calls, element accesses), each times its loops' trips. */
  ops: number;
  /** Array elements allocated or walked by array methods and typed arrays. */
  elements: number;
  /** Seconds spent waiting on timers (setTimeout, sleep(ms)). */
  waitS: number;
  /** Inference calls: ONNX `session.run`, `model.run`, tfjs `predict`/`execute`. */
  modelRuns: number;
  /** tfjs `fit` epochs (the `epochs` option, 1 when absent). */
  trainEpochs: number;
  /** Energy of calls to functions measured earlier in the session, J. */
  knownJ: number;
  /** Deepest loop nesting. */
  loopDepth: number;
  /** Calls to functions neither declared here nor measured before: name -> calls. */
  unknownCalls: Record<string, number>;
  /** Calls to functions measured earlier: name -> calls (their energy is in knownJ). */
  knownCalls: Record<string, number>;
  /** Calls the cell's own code makes to functions that are not builtins: name -> calls. */
  topCalls: Record<string, number>;
  /** Loops whose trip count is not a constant (each makes the work unbounded). */
  unsized: string[];
}

export interface FeatureContext {
  /** Energy per call of functions measured earlier in the session, J. */
  knownEnergyJ?: ReadonlyMap<string, number>;
  /** Code of earlier cells whose declarations (functions, constants) this cell may use. */
  declarations?: readonly string[];
  /** Functions to treat as unknown (neither walked nor priced), to price the rest of a cell. */
  opaque?: ReadonlySet<string>;
}

/** Globals and builtins whose calls cost one operation (not "unknown functions"). */
const BUILTINS = new Set([
  'Math',
  'console',
  'Number',
  'String',
  'Boolean',
  'BigInt',
  'Symbol',
  'Object',
  'JSON',
  'Date',
  'parseInt',
  'parseFloat',
  'isNaN',
  'isFinite',
  'Promise',
  'require',
  'display',
  'setInterval',
  'clearTimeout',
  'clearInterval',
  'queueMicrotask',
  'structuredClone',
  'performance'
]);
/** Array methods that visit each element, calling their callback once per element. */
const VISITING = new Set([
  'map',
  'forEach',
  'filter',
  'reduce',
  'reduceRight',
  'some',
  'every',
  'find',
  'findIndex',
  'flatMap'
]);
/** Array methods that walk each element without a callback. */
const WALKING = new Set([
  'fill',
  'slice',
  'concat',
  'join',
  'reverse',
  'indexOf',
  'lastIndexOf',
  'includes',
  'flat',
  'toString'
]);
/** Methods that keep the receiver's length (for the length of a chained expression). */
const SAME_LENGTH = new Set(['map', 'fill', 'slice', 'reverse', 'sort', 'filter']);
const TYPED_ARRAYS = new Set([
  'Array',
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'Uint8Array',
  'Uint16Array',
  'Uint32Array',
  'Uint8ClampedArray',
  'BigInt64Array',
  'BigUint64Array'
]);
/** Functions conventionally named for waiting `ms` milliseconds. */
const SLEEPS = new Set(['sleep', 'delay', 'wait', 'pause']);
const INFERENCE = new Set(['run', 'predict', 'execute', 'executeAsync', 'predictOnBatch']);
const TRAINING = new Set(['fit', 'fitDataset', 'trainOnBatch']);
/** gaissa calls whose work the code does not size (windows of model runs, a calibration). */
const GAISSA_UNSIZED = new Set(['compare', 'calibrate']);

type Fn = TS.FunctionLikeDeclaration;

class Walker {
  readonly f: CellFeatures = {
    ops: 0,
    elements: 0,
    waitS: 0,
    modelRuns: 0,
    trainEpochs: 0,
    knownJ: 0,
    loopDepth: 0,
    unknownCalls: {},
    knownCalls: {},
    topCalls: {},
    unsized: []
  };
  private readonly consts = new Map<string, number>();
  private readonly lengths = new Map<string, number>();
  private readonly functions = new Map<string, Fn>();
  /** Functions being walked: a recursive call is not expanded again. */
  private readonly active = new Set<Fn>();

  constructor(
    private readonly ts: typeof TS,
    private readonly known: ReadonlyMap<string, number>,
    private readonly opaque: ReadonlySet<string>
  ) {}

  /** Functions and constants of `file`, anywhere in it (names in a cell rarely collide). */
  declare(file: TS.SourceFile): void {
    const ts = this.ts;
    const visit = (node: TS.Node): void => {
      if (ts.isFunctionDeclaration(node) && node.name && node.body) {
        this.functions.set(node.name.text, node);
      } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
        const init = skipOuter(ts, node.initializer);
        const name = node.name.text;
        if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) {
          this.functions.set(name, init);
        } else {
          const value = this.fold(init);
          if (value !== undefined) this.consts.set(name, value);
          const length = this.lengthOf(init);
          if (length !== undefined) this.lengths.set(name, length);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }

  /** The value of a constant numeric expression, else undefined. */
  fold(node: TS.Expression): number | undefined {
    const ts = this.ts;
    const e = skipOuter(ts, node);
    if (ts.isNumericLiteral(e)) return Number(e.text);
    if (ts.isIdentifier(e)) return this.consts.get(e.text);
    if (ts.isPrefixUnaryExpression(e)) {
      const v = this.fold(e.operand);
      if (v === undefined) return undefined;
      if (e.operator === ts.SyntaxKind.MinusToken) return -v;
      if (e.operator === ts.SyntaxKind.PlusToken) return v;
      return undefined;
    }
    if (ts.isBinaryExpression(e)) {
      const a = this.fold(e.left);
      const b = this.fold(e.right);
      if (a === undefined || b === undefined) return undefined;
      switch (e.operatorToken.kind) {
        case ts.SyntaxKind.PlusToken:
          return a + b;
        case ts.SyntaxKind.MinusToken:
          return a - b;
        case ts.SyntaxKind.AsteriskToken:
          return a * b;
        case ts.SyntaxKind.SlashToken:
          return a / b;
        case ts.SyntaxKind.PercentToken:
          return a % b;
        case ts.SyntaxKind.AsteriskAsteriskToken:
          return a ** b;
        default:
          return undefined;
      }
    }
    if (ts.isPropertyAccessExpression(e) && e.name.text === 'length')
      return this.lengthOf(e.expression);
    if (
      ts.isCallExpression(e) &&
      ts.isPropertyAccessExpression(e.expression) &&
      ts.isIdentifier(e.expression.expression) &&
      e.expression.expression.text === 'Math'
    ) {
      const args = e.arguments.map(a => this.fold(a));
      if (args.some(a => a === undefined)) return undefined;
      const fn = (Math as unknown as Record<string, unknown>)[e.expression.name.text];
      if (typeof fn !== 'function') return undefined;
      const v = (fn as (...x: number[]) => number)(...(args as number[]));
      return Number.isFinite(v) ? v : undefined;
    }
    return undefined;
  }

  /** How many elements an array expression holds, when that is a constant. */
  lengthOf(node: TS.Expression): number | undefined {
    const ts = this.ts;
    const e = skipOuter(ts, node);
    if (ts.isArrayLiteralExpression(e))
      return e.elements.some(x => ts.isSpreadElement(x)) ? undefined : e.elements.length;
    if (ts.isStringLiteral(e)) return e.text.length;
    if (ts.isIdentifier(e)) return this.lengths.get(e.text);
    if ((ts.isNewExpression(e) || ts.isCallExpression(e)) && ts.isIdentifier(e.expression)) {
      // new Array(n), Array(n), new Float32Array(n); Array(1, 2) lists its elements.
      if (!TYPED_ARRAYS.has(e.expression.text)) return undefined;
      const args = e.arguments ?? [];
      if (args.length !== 1) return args.length;
      return this.fold(args[0]) ?? this.lengthOf(args[0]);
    }
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      const method = e.expression.name.text;
      const receiver = e.expression.expression;
      if (ts.isIdentifier(receiver) && receiver.text === 'Array' && method === 'from') {
        return this.fromLength(e.arguments[0]);
      }
      if (
        SAME_LENGTH.has(method) ||
        method === 'keys' ||
        method === 'values' ||
        method === 'entries'
      )
        return this.lengthOf(receiver);
    }
    return undefined;
  }

  /** Array.from's length: `{ length: n }` or an array of known length. */
  private fromLength(arg: TS.Expression | undefined): number | undefined {
    const ts = this.ts;
    if (!arg) return undefined;
    const e = skipOuter(ts, arg);
    if (ts.isObjectLiteralExpression(e)) {
      for (const p of e.properties) {
        if (ts.isPropertyAssignment(p) && p.name.getText() === 'length')
          return this.fold(p.initializer);
        if (ts.isShorthandPropertyAssignment(p) && p.name.text === 'length')
          return this.consts.get('length');
      }
      return undefined;
    }
    return this.lengthOf(e);
  }

  /** Trips of a `for (let i = a; i < b; i += s)` loop, or undefined. */
  private forTrips(loop: TS.ForStatement): number | undefined {
    const ts = this.ts;
    const init = loop.initializer;
    if (!init || !ts.isVariableDeclarationList(init) || init.declarations.length !== 1) return;
    const decl = init.declarations[0];
    if (!ts.isIdentifier(decl.name) || !decl.initializer) return;
    const name = decl.name.text;
    const start = this.fold(decl.initializer);
    const cond = loop.condition && skipOuter(ts, loop.condition);
    if (start === undefined || !cond || !ts.isBinaryExpression(cond)) return;
    if (!ts.isIdentifier(cond.left) || cond.left.text !== name) return;
    const bound = this.fold(cond.right);
    const step = this.stepOf(loop.incrementor, name);
    if (bound === undefined || step === undefined || step === 0) return;
    const op = cond.operatorToken.kind;
    const K = ts.SyntaxKind;
    let span: number;
    if (op === K.LessThanToken && step > 0) span = Math.ceil((bound - start) / step);
    else if (op === K.LessThanEqualsToken && step > 0)
      span = Math.floor((bound - start) / step) + 1;
    else if (op === K.GreaterThanToken && step < 0) span = Math.ceil((start - bound) / -step);
    else if (op === K.GreaterThanEqualsToken && step < 0)
      span = Math.floor((start - bound) / -step) + 1;
    else return;
    // A bound past what a number can count (1e309) sizes nothing.
    return Number.isFinite(span) ? Math.max(0, span) : undefined;
  }

  /**
   * Whether a loop's body may leave it early: a `break` of its own (not one of an inner loop or
   * switch), a `return` or a `throw` (not in a nested function). Its trip count then only bounds
   * the work, which would mis-teach the costs: such a loop counts as unsized.
   */
  private exitsEarly(body: TS.Node): boolean {
    const ts = this.ts;
    const visit = (n: TS.Node, inInnerLoop: boolean): boolean => {
      if (ts.isFunctionLike(n) || ts.isClassLike(n)) return false;
      if (ts.isReturnStatement(n) || ts.isThrowStatement(n)) return true;
      if (ts.isBreakStatement(n) && (n.label !== undefined || !inInnerLoop)) return true;
      const inner = inInnerLoop || ts.isIterationStatement(n, false) || ts.isSwitchStatement(n);
      return ts.forEachChild(n, c => visit(c, inner) || undefined) ?? false;
    };
    return visit(body, false);
  }

  private stepOf(inc: TS.Expression | undefined, name: string): number | undefined {
    const ts = this.ts;
    if (!inc) return;
    const e = skipOuter(ts, inc);
    const K = ts.SyntaxKind;
    if (
      (ts.isPostfixUnaryExpression(e) || ts.isPrefixUnaryExpression(e)) &&
      ts.isIdentifier(e.operand) &&
      e.operand.text === name
    ) {
      if (e.operator === K.PlusPlusToken) return 1;
      if (e.operator === K.MinusMinusToken) return -1;
    }
    if (ts.isBinaryExpression(e) && ts.isIdentifier(e.left) && e.left.text === name) {
      const by = this.fold(e.right);
      if (by === undefined) return;
      if (e.operatorToken.kind === K.PlusEqualsToken) return by;
      if (e.operatorToken.kind === K.MinusEqualsToken) return -by;
    }
    return;
  }

  /** Walks `node`, which runs `times` times at loop nesting `depth`. */
  walk(node: TS.Node, times: number, depth: number): void {
    const ts = this.ts;
    const f = this.f;
    const loop = (trips: number | undefined, what: string, body: TS.Node[]): void => {
      f.loopDepth = Math.max(f.loopDepth, depth + 1);
      if (trips === undefined) {
        f.unsized.push(what);
        trips = 1;
      }
      for (const b of body) this.walk(b, times * trips, depth + 1);
    };
    // Declarations run when called (their calls walk them).
    if (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) return;
    if (ts.isMethodDeclaration(node) || ts.isAccessor(node)) return;
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
      // Called in place or passed to something we do not know: counted as run once.
      if (invoked(ts, node)) this.walk(node.body, times, depth);
      return;
    }
    if (ts.isForStatement(node)) {
      if (node.initializer) this.walk(node.initializer, times, depth);
      const early = this.exitsEarly(node.statement);
      const trips = early ? undefined : this.forTrips(node);
      const header = [node.condition, node.incrementor].filter((x): x is TS.Expression => !!x);
      const why = early
        ? 'may leave early (break, return or throw)'
        : 'whose bound is not a constant';
      loop(trips, `a for loop at line ${lineOf(node)} ${why}`, [...header, node.statement]);
      return;
    }
    if (ts.isForOfStatement(node) || ts.isForInStatement(node)) {
      const early = this.exitsEarly(node.statement);
      const trips =
        ts.isForOfStatement(node) && !early ? this.lengthOf(node.expression) : undefined;
      this.walk(node.expression, times, depth);
      loop(
        trips,
        `a for-${ts.isForOfStatement(node) ? 'of' : 'in'} loop at line ${lineOf(node)} ${early ? 'that may leave early (break, return or throw)' : 'over something of unknown length'}`,
        [node.statement]
      );
      return;
    }
    if (ts.isWhileStatement(node) || ts.isDoStatement(node)) {
      loop(
        undefined,
        `a ${ts.isWhileStatement(node) ? 'while' : 'do-while'} loop at line ${lineOf(node)}`,
        [node.expression, node.statement]
      );
      return;
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      f.ops += times;
      if (this.call(node, times, depth)) return;
    } else if (
      ts.isBinaryExpression(node) ||
      ts.isPrefixUnaryExpression(node) ||
      ts.isPostfixUnaryExpression(node) ||
      ts.isElementAccessExpression(node)
    ) {
      f.ops += times;
    }
    ts.forEachChild(node, child => this.walk(child, times, depth));
  }

  /** Counts what a call does; true when it walked the arguments itself. */
  private call(node: TS.CallExpression | TS.NewExpression, times: number, depth: number): boolean {
    const ts = this.ts;
    const f = this.f;
    const args = node.arguments ?? [];
    const callee = skipOuter(ts, node.expression);
    const walkArgs = (n: number, callbacks: number) => {
      for (const a of args) {
        const arg = skipOuter(ts, a);
        if (ts.isArrowFunction(arg) || ts.isFunctionExpression(arg)) {
          f.loopDepth = Math.max(f.loopDepth, depth + (callbacks > 1 ? 1 : 0));
          // Each time the array method calls it is a call, one operation like any other.
          f.ops += times * callbacks;
          this.walk(arg.body, times * callbacks, depth + (callbacks > 1 ? 1 : 0));
        } else this.walk(arg, times * n, depth);
      }
    };
    if (ts.isIdentifier(callee)) {
      const name = callee.text;
      if (ts.isNewExpression(node) && TYPED_ARRAYS.has(name)) {
        f.elements += times * (this.lengthOf(node) ?? 0);
        return false;
      }
      if (name === 'setTimeout') {
        const ms = args[1] ? this.fold(args[1]) : 0;
        f.waitS += (times * (ms ?? 0)) / 1000;
        return false;
      }
      if (SLEEPS.has(name) && args.length === 1 && this.fold(args[0]) !== undefined) {
        f.waitS += (times * this.fold(args[0])!) / 1000;
        return false;
      }
      const user = !BUILTINS.has(name) && !TYPED_ARRAYS.has(name) && !ts.isNewExpression(node);
      if (user && this.active.size === 0) f.topCalls[name] = (f.topCalls[name] ?? 0) + times;
      // An unknown function's call is not one operation: its cost is unknown, not small.
      const unknown = () => {
        f.unknownCalls[name] = (f.unknownCalls[name] ?? 0) + times;
        f.ops -= times;
        return false;
      };
      if (this.opaque.has(name)) return unknown();
      const known = this.known.get(name);
      if (known !== undefined) {
        f.knownJ += times * known;
        f.knownCalls[name] = (f.knownCalls[name] ?? 0) + times;
        return false;
      }
      const fn = this.functions.get(name);
      if (fn) {
        if (!this.active.has(fn) && fn.body) {
          const unbind = this.bind(fn, args);
          this.active.add(fn);
          this.walk(fn.body, times, depth);
          this.active.delete(fn);
          unbind();
        }
        return false;
      }
      return user ? unknown() : false;
    }
    if (!ts.isPropertyAccessExpression(callee)) return false;
    const method = callee.name.text;
    const receiver = callee.expression;
    if (ts.isIdentifier(receiver) && receiver.text === 'Array' && method === 'from') {
      const n = this.fromLength(args[0]) ?? 0;
      f.elements += times * n;
      this.walk(receiver, times, depth);
      walkArgs(1, n);
      return true;
    }
    if (ts.isIdentifier(receiver) && receiver.text === 'Atomics' && method === 'wait') {
      f.waitS += (times * (args[3] ? (this.fold(args[3]) ?? 0) : 0)) / 1000;
      return false;
    }
    const length = this.lengthOf(receiver);
    if (length !== undefined && (VISITING.has(method) || method === 'sort')) {
      const visits = method === 'sort' ? length * Math.max(1, Math.log2(length)) : length;
      f.elements += times * visits;
      this.walk(receiver, times, depth);
      walkArgs(1, visits);
      return true;
    }
    if (length !== undefined && WALKING.has(method)) {
      f.elements += times * length;
      return false;
    }
    if (length === undefined && VISITING.has(method) && args.some(a => isFunction(ts, a))) {
      f.unsized.push(`.${method}() at line ${lineOf(node)} over an array of unknown length`);
    }
    if (ts.isIdentifier(receiver) && receiver.text === 'gaissa' && GAISSA_UNSIZED.has(method)) {
      f.unsized.push(
        `gaissa.${method}() at line ${lineOf(node)}, which runs models as long as it needs`
      );
      return false;
    }
    if (INFERENCE.has(method)) f.modelRuns += times;
    else if (TRAINING.has(method)) f.trainEpochs += times * (this.epochsOf(args) ?? 1);
    return false;
  }

  /**
   * Binds a function's parameters to the constant values and array lengths of a call's
   * arguments (or the parameters' constant defaults) while its body is walked; returns the undo.
   */
  private bind(fn: Fn, args: readonly TS.Expression[]): () => void {
    const ts = this.ts;
    const saved: Array<() => void> = [];
    const set = (map: Map<string, number>, name: string, value: number | undefined) => {
      const had = map.has(name);
      const old = map.get(name);
      saved.push(() => (had ? map.set(name, old!) : map.delete(name)));
      if (value === undefined) map.delete(name);
      else map.set(name, value);
    };
    fn.parameters.forEach((p, i) => {
      if (!ts.isIdentifier(p.name)) return;
      const arg = args[i] ?? p.initializer;
      set(this.consts, p.name.text, arg && this.fold(arg));
      set(this.lengths, p.name.text, arg && this.lengthOf(arg));
    });
    return () => saved.reverse().forEach(undo => undo());
  }

  /** The `epochs` option of a tfjs fit call's last argument, when a constant. */
  private epochsOf(args: readonly TS.Expression[]): number | undefined {
    const ts = this.ts;
    const last = args.length ? skipOuter(ts, args[args.length - 1]) : undefined;
    if (!last || !ts.isObjectLiteralExpression(last)) return undefined;
    for (const p of last.properties)
      if (ts.isPropertyAssignment(p) && p.name.getText() === 'epochs')
        return this.fold(p.initializer);
    return undefined;
  }
}

function skipOuter(ts: typeof TS, e: TS.Expression): TS.Expression {
  let x = e;
  for (;;) {
    if (ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isNonNullExpression(x))
      x = x.expression;
    else if (ts.isAwaitExpression(x)) x = x.expression;
    else return x;
  }
}

function isFunction(ts: typeof TS, e: TS.Expression): boolean {
  const x = skipOuter(ts, e);
  return ts.isArrowFunction(x) || ts.isFunctionExpression(x);
}

/** Whether a function expression is called where it stands: an argument, or an IIFE's callee. */
function invoked(ts: typeof TS, fn: TS.Node): boolean {
  let child: TS.Node = fn;
  let parent = fn.parent;
  while (parent && ts.isParenthesizedExpression(parent)) {
    child = parent;
    parent = parent.parent;
  }
  return (
    !!parent &&
    (ts.isCallExpression(parent) || ts.isNewExpression(parent)) &&
    (parent.expression === child || (parent.arguments ?? []).some(a => a === child))
  );
}

function lineOf(node: TS.Node): number {
  const file = node.getSourceFile();
  return file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
}

function parse(ts: typeof TS, code: string, name: string): TS.SourceFile {
  return ts.createSourceFile(name, code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

/** The features of `code` (a cell with its magic lines masked or removed). */
export function cellFeatures(code: string, context: FeatureContext = {}): CellFeatures {
  const ts = typescript();
  const walker = new Walker(ts, context.knownEnergyJ ?? new Map(), context.opaque ?? new Set());
  (context.declarations ?? []).forEach((c, i) => walker.declare(parse(ts, c, `earlier-${i}.ts`)));
  const file = parse(ts, code, 'cell.ts');
  walker.declare(file);
  for (const statement of file.statements) walker.walk(statement, 1, 0);
  return walker.f;
}

/** Whether the cell does any work the features can price (else only its per-cell overhead). */
export function hasWork(f: CellFeatures): boolean {
  return f.ops + f.elements + f.waitS + f.modelRuns + f.trainEpochs + f.knownJ > 0;
}

/** The declarations (functions, constants) of `code`, as text, for later cells' features. */
export function declarationsOf(code: string): string[] {
  const ts = typescript();
  const file = parse(ts, code, 'cell.ts');
  return file.statements
    .filter(
      s =>
        (ts.isFunctionDeclaration(s) && !!s.name) ||
        (ts.isVariableStatement(s) && (s.declarationList.flags & ts.NodeFlags.Const) !== 0)
    )
    .map(s => s.getText(file));
}
