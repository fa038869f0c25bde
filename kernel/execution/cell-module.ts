/**
 * Turns the ES module tslab's converter emits for a cell into the CommonJS body its executor runs
 * inside `(function (exports, require) { … })`, with live top-level bindings.
 *
 * tslab does this with a second `ts.transpileModule` per cell, which type-checks the emitted
 * JavaScript again (about 2.5 ms of a `1+1` cell's ~4 ms) and keeps `exports` in step with each
 * top-level name by writing it through after every assignment (`exports.s = s += …`): a top-level
 * loop then runs some 30x slower than in a function, and a function keeps its own copy of a name
 * that later cells assign through `exports`. Here each top-level name stays the cell's own local,
 * written at a local's cost, and is published once, after the statement that declares it, as an
 * accessor over that local: later cells, whose references tslab turns into `exports.name`, read
 * and write the very binding the cell's closures use. tslab's `exports` is a Proxy that flattens
 * any property defined on it into a value, so for its cells the accessors live on an object put
 * between it and its prototype (own data properties, deleted first, would hide them); a module
 * tslab loads from a file gets them as its own properties, as its importers expect. A name
 * declared again in a later cell gets a new accessor, so later cells see the new binding; a
 * `const` or an import throws when assigned. Imports become `require` calls with the same interop
 * and the same live reads (`(0, m.join)(…)`) as TypeScript's. Anything outside the shape handled
 * here (dynamic `import()`, `export default`, re-exports…) is left to TypeScript: `toCommonJs`
 * returns undefined, and `releaseBindings` makes TypeScript's names new bindings there.
 *
 * Each top-level `await` is followed by a check of the kernel's interrupt count (installAwaitCheck):
 * a loop that yields only to microtasks never lets the kernel's event loop handle an interrupt,
 * so the cell's own code must see it and stop.
 */
import type * as TS from '@tslab/typescript-for-tslab';
import {
  composeLines,
  noteConversion,
  sourceLinesOf,
  withoutInlineMap,
  withoutMapComment
} from './cell-scripts';
import { tslabTypeScriptPath } from './tslab-typescript';

type TypeScript = typeof TS;

/** A text edit on the cell's JavaScript: replace [start, end) with `text`. */
interface Edit {
  start: number;
  end: number;
  text: string;
  /** Among edits at one position, lower goes first (a closing paren before the lines after). */
  order: number;
}

/** A top-level binding: where its accessor goes (after the declaring statement) and its value. */
interface Binding {
  after: number;
  value: string;
  /** A `const` or an import: assigning it throws, as it would in the cell. */
  constant: boolean;
  /** A `var`: declaring it again is the same binding. */
  isVar?: boolean;
}

/** Names this pass introduces; a cell that mentions the prefix is left to TypeScript. */
const RESERVED = '__gaissa';
const SCOPE = `${RESERVED}Scope`;
const BIND = `${RESERVED}Bind`;
/** The global the kernel sets (installAwaitCheck), and the cell's own check after each await. */
const AWAIT_CHECK = `${RESERVED}AwaitCheck`;
const AWAITED = `${RESERVED}Awaited`;
const AWAITED_HELPER =
  `var ${AWAITED} = typeof ${AWAIT_CHECK} === "function" ? ${AWAIT_CHECK}()` +
  ` : function (v) { return v; };\n`;
/** Globals the lines added here use: a cell declaring one of them is left to TypeScript. */
const GLOBALS_USED = ['exports', 'require', 'Object', 'TypeError', '__tslab__'];
/** tslab's names for a cell's last expression: its executor reads them off `exports` and deletes
 * them, so they stay plain values. */
const LAST_EXPRESSION = /^tsLastExpr\d*$/;

/**
 * Where the accessors of top-level names go: for tslab's cells (whose `exports` is the executor's
 * `__tslab__.exports`), an object between `exports` and its prototype, made once; for a module,
 * the module's own `exports`. tslab's executor reads and assigns `exports.name`, so it finds them.
 */
const scopeOf = (exports: string) =>
  `(function (e) { if (typeof __tslab__ === "undefined" || e !== __tslab__.exports) return e;` +
  ` var p = Object.getPrototypeOf(e); if (p && Object.prototype.hasOwnProperty.call(p, "${SCOPE}")) return p;` +
  ` p = Object.create(p, { ${SCOPE}: { value: true } }); Object.setPrototypeOf(e, p); return p; })(${exports})`;
const BIND_HELPER =
  `var ${SCOPE} = ${scopeOf('exports')};\n` +
  `var ${BIND} = function (name, get, set) { delete exports[name];` +
  ` Object.defineProperty(${SCOPE}, name, { configurable: true, enumerable: true, get: get,` +
  ` set: set || function () { throw new TypeError("Assignment to constant variable."); } }); };\n`;

/** `import * as ns` with esModuleInterop's semantics: the module's own keys as live getters
 * (read-only data kept as it is), and the module itself as `default`. */
const IMPORT_STAR = `${RESERVED}ImportStar`;
const IMPORT_STAR_HELPER =
  `var ${IMPORT_STAR} = function (m) { if (m && m.__esModule) return m; var ns = {};` +
  ` if (m != null) for (var k in m) if (k !== "default" && Object.prototype.hasOwnProperty.call(m, k))` +
  ` (function (k) { var d = Object.getOwnPropertyDescriptor(m, k);` +
  ` if (!d || ("get" in d ? !m.__esModule : d.writable || d.configurable))` +
  ` d = { enumerable: true, get: function () { return m[k]; } };` +
  ` Object.defineProperty(ns, k, d); })(k);` +
  ` Object.defineProperty(ns, "default", { enumerable: true, value: m }); return ns; };\n`;
/** `import d` with esModuleInterop: a module without `__esModule` is its own default. */
const importDefault = (required: string) =>
  `(function (m) { return m && m.__esModule ? m : { default: m }; })(${required})`;

class Unsupported extends Error {}

/** CommonJS for tslab's executor, or undefined where the cell is not in the shape handled here. */
export function toCommonJs(ts: TypeScript, js: string): string | undefined {
  return toCommonJsWithLines(ts, js)?.text;
}

/**
 * The same, with the line of `js` each line of the CommonJS comes from (-1: a line this pass
 * added before the cell's own), so a profile of the run code can point at the cell's lines.
 */
export function toCommonJsWithLines(
  ts: TypeScript,
  js: string
): { text: string; lines: number[] } | undefined {
  if (js.includes(RESERVED)) return undefined;
  try {
    const file = ts.createSourceFile(
      'cell.js',
      js,
      ts.ScriptTarget.Latest,
      false,
      ts.ScriptKind.JS
    );
    return new CellModule(ts, file).commonJs();
  } catch (e) {
    // RangeError: a cell nested deeper than this pass's recursion; TypeScript's goes deeper.
    if (e instanceof Unsupported || e instanceof RangeError) return undefined;
    throw e;
  }
}

/**
 * TypeScript's CommonJS for a cell this pass leaves to it, made to start by dropping the accessors
 * of earlier cells' names that the cell exports: its names become new bindings (as a declaration
 * in a later cell should) rather than assignments to the earlier cells' variables. Such a cell
 * keeps TypeScript's semantics: `exports` holds a copy of each name, written through after every
 * assignment in the cell.
 */
const ES_MODULE_MARKER = 'Object.defineProperty(exports, "__esModule", { value: true });\n';

export function releaseBindings(ts: TypeScript, js: string, commonJs: string): string {
  const names = exportedNames(ts, js);
  const marker = ES_MODULE_MARKER;
  const at = commonJs.indexOf(marker);
  if (names.length === 0 || at < 0) return commonJs;
  const release =
    `(function (p) { ${JSON.stringify(names)}.forEach(function (n) {` +
    ` if (Object.prototype.hasOwnProperty.call(p, n)) delete p[n]; }); })(${scopeOf('exports')});\n`;
  const end = at + marker.length;
  return commonJs.slice(0, end) + release + commonJs.slice(end);
}

/** The keys an ES module puts in `exports`, from its top-level export statements. */
function exportedNames(ts: TypeScript, js: string): string[] {
  const file = ts.createSourceFile('cell.js', js, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const names: string[] = [];
  const bound = (name: TS.BindingName): string[] =>
    ts.isIdentifier(name)
      ? [name.text]
      : name.elements.flatMap(e => (ts.isOmittedExpression(e) ? [] : bound(e.name)));
  for (const statement of file.statements) {
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (clause && ts.isNamedExports(clause))
        names.push(...clause.elements.map(element => element.name.text));
      else if (clause) names.push(clause.name.text); // export * as ns from "m"
      continue;
    }
    if (ts.isExportAssignment(statement)) {
      names.push('default');
      continue;
    }
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
    if (!modifiers?.some(m => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (modifiers.some(m => m.kind === ts.SyntaxKind.DefaultKeyword)) names.push('default');
    else if (ts.isVariableStatement(statement))
      names.push(...statement.declarationList.declarations.flatMap(d => bound(d.name)));
    else if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) &&
      statement.name
    )
      names.push(statement.name.text);
  }
  return names;
}

class CellModule {
  private readonly edits: Edit[] = [];
  private readonly bindings = new Map<string, Binding>();
  /** Names imported by name or as default: each reference reads the module, as TypeScript's do. */
  private readonly imported = new Map<string, string>();
  /** How often each name is declared anywhere in the cell (parameters, nested scopes included). */
  private readonly declarations = new Map<string, number>();
  private readonly exported = new Set<string>();
  /** tslab's last-expression name, and where it goes to `exports` when the cell keeps a local. */
  private lastExpression?: { name: string; local?: number };
  /** The top-level statement being visited: a `var` nested in it is published after it. */
  private statement?: TS.Statement;
  private modules = 0;
  private needsImportStar = false;
  private awaits = false;

  constructor(
    private readonly ts: TypeScript,
    private readonly file: TS.SourceFile
  ) {}

  commonJs(): { text: string; lines: number[] } {
    const ts = this.ts;
    const first = this.file.statements[0];
    // A directive prologue ("use strict") must stay first, where the lines added here would go.
    if (first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression))
      throw new Unsupported();
    for (const statement of this.file.statements) this.topLevel(statement);
    for (const statement of this.file.statements) {
      this.statement = statement;
      this.visit(statement, this.file, false);
    }
    // Each reference to an imported name is rewritten: the name must mean the import everywhere.
    for (const name of this.imported.keys())
      if (this.declarations.get(name) !== 1) throw new Unsupported();
    if (GLOBALS_USED.some(name => this.declarations.has(name))) throw new Unsupported();
    const after = new Map<number, string[]>();
    const add = (at: number, line: string) => after.set(at, [...(after.get(at) ?? []), line]);
    for (const name of this.exported) {
      if (name === this.lastExpression?.name) {
        const local = this.lastExpression.local;
        if (local !== undefined) add(local, `exports.${name} = ${name};`);
        continue;
      }
      const binding = this.bindings.get(name);
      // Declared by nothing in the JavaScript (`declare const`), or a name the executor deletes.
      if (!binding || LAST_EXPRESSION.test(name)) throw new Unsupported();
      const set = binding.constant ? '' : `, function (${RESERVED}V) { ${name} = ${RESERVED}V; }`;
      add(binding.after, `${BIND}("${name}", function () { return ${binding.value}; }${set});`);
    }
    for (const [at, lines] of after) this.edit(at, at, '\n' + lines.join('\n'), 1);
    const head = this.head();
    const body = this.applyEdits();
    const headLines = head.split('\n').length - 1;
    return { text: head + body.text, lines: [...Array<number>(headLines).fill(-1), ...body.lines] };
  }

  /** The ES module marker, as TypeScript writes it, and the helpers the cell uses. */
  private head(): string {
    let head = this.needsImportStar ? IMPORT_STAR_HELPER : '';
    head += 'Object.defineProperty(exports, "__esModule", { value: true });\n';
    if (this.bindings.size > 0) head += BIND_HELPER;
    if (this.awaits) head += AWAITED_HELPER;
    return head;
  }

  /** Records what a top-level statement declares and exports, and rewrites imports and exports. */
  private topLevel(statement: TS.Statement): void {
    const ts = this.ts;
    if (ts.isImportDeclaration(statement)) {
      this.edit(this.start(statement), statement.end, this.requireFor(statement), 0);
      return;
    }
    if (ts.isExportAssignment(statement)) throw new Unsupported(); // export default <expression>
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (
        statement.moduleSpecifier ||
        statement.isTypeOnly ||
        !clause ||
        !ts.isNamedExports(clause)
      )
        throw new Unsupported();
      for (const element of clause.elements) {
        if (element.propertyName || element.isTypeOnly) throw new Unsupported();
        this.exported.add(element.name.text);
      }
      this.edit(this.start(statement), statement.end, '', 0);
      return;
    }
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
    const exportKeyword = modifiers?.find(m => m.kind === ts.SyntaxKind.ExportKeyword);
    if (ts.isVariableStatement(statement)) {
      if (modifiers?.some(m => m.kind !== ts.SyntaxKind.ExportKeyword)) throw new Unsupported();
      if (exportKeyword) {
        this.lastExpressionOf(statement, exportKeyword);
        return;
      }
      const flags = statement.declarationList.flags;
      const constant = (flags & ts.NodeFlags.Const) !== 0;
      const isVar = (flags & ts.NodeFlags.BlockScoped) === 0;
      for (const declaration of statement.declarationList.declarations) {
        for (const name of this.boundNames(declaration.name))
          this.declare(name, { after: statement.end, value: name, constant, isVar });
      }
      return;
    }
    if (exportKeyword || modifiers?.some(m => m.kind === ts.SyntaxKind.DefaultKeyword))
      throw new Unsupported();
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name)
      this.declare(statement.name.text, {
        after: statement.end,
        value: statement.name.text,
        constant: false
      });
  }

  /**
   * tslab's `export const tsLastExpr = <the cell's last expression>`, under a name no other
   * binding has. TypeScript assigns it straight to `exports`, keeping a local only where the
   * value takes its name from it (an arrow, function or class expression, unparenthesized).
   * Other `export`s written in a cell are TypeScript's to convert.
   */
  private lastExpressionOf(statement: TS.VariableStatement, exportKeyword: TS.Node): void {
    const ts = this.ts;
    const [declaration, ...more] = statement.declarationList.declarations;
    const value = declaration?.initializer;
    if (
      more.length > 0 ||
      !value ||
      (statement.declarationList.flags & ts.NodeFlags.Const) === 0 ||
      !ts.isIdentifier(declaration.name) ||
      !LAST_EXPRESSION.test(declaration.name.text)
    )
      throw new Unsupported();
    const name = declaration.name.text;
    this.exported.add(name);
    const local =
      ts.isArrowFunction(value) || ts.isFunctionExpression(value) || ts.isClassExpression(value);
    if (local) this.edit(this.start(exportKeyword), this.start(statement.declarationList), '', 0);
    else this.edit(this.start(exportKeyword), this.start(value), `exports.${name} = `, 0);
    this.lastExpression = { name, local: local ? statement.end : undefined };
  }

  /**
   * `require("m")` bound as TypeScript's esModuleInterop binds it: a namespace import is a
   * binding; named and default imports become reads of the module object at each use.
   */
  private requireFor(statement: TS.ImportDeclaration): string {
    const ts = this.ts;
    if (!ts.isStringLiteral(statement.moduleSpecifier) || statement.assertClause)
      throw new Unsupported();
    const required = `require(${JSON.stringify(statement.moduleSpecifier.text)})`;
    const clause = statement.importClause;
    if (!clause) return `${required};`;
    if (clause.isTypeOnly) throw new Unsupported();
    const bindings = clause.namedBindings;
    const mod = `${RESERVED}Import${this.modules++}`;
    const bind = (name: string, value: string) => {
      this.imported.set(name, value);
      this.declare(name, { after: statement.end, value, constant: true });
    };
    if (clause.name && !bindings) {
      bind(clause.name.text, `${mod}.default`);
      return `const ${mod} = ${importDefault(required)};`;
    }
    if (!bindings || clause.name) throw new Unsupported();
    if (ts.isNamespaceImport(bindings)) {
      this.needsImportStar = true;
      const name = bindings.name.text;
      this.declare(name, { after: statement.end, value: name, constant: true });
      return `const ${name} = ${IMPORT_STAR}(${required});`;
    }
    if (bindings.elements.length === 0) throw new Unsupported(); // TypeScript drops the import
    for (const element of bindings.elements) {
      const from = element.propertyName?.text ?? element.name.text;
      if (element.isTypeOnly || from === 'default') throw new Unsupported();
      bind(element.name.text, `${mod}.${from}`);
    }
    return `const ${mod} = ${required};`;
  }

  private declare(name: string, binding: Binding): void {
    const earlier = this.bindings.get(name);
    if (earlier?.isVar && binding.isVar) return; // `var v = 1; var v = 2;`: one binding
    if (earlier) throw new Unsupported();
    this.bindings.set(name, binding);
  }

  /**
   * Counts declarations, publishes a `var` declared in a nested block or loop after its top-level
   * statement, rewrites reads of imported names, and rejects what TypeScript must convert.
   */
  private visit(node: TS.Node, parent: TS.Node, inFunction: boolean): void {
    const ts = this.ts;
    this.countDeclarations(node);
    if (ts.isIdentifier(node)) {
      const value = this.imported.get(node.text);
      if (value && this.isReference(node, parent)) {
        const read = `(0, ${value})`; // (0, m.f)() calls f without `this`, as the import would
        const text = ts.isShorthandPropertyAssignment(parent) ? `${node.text}: ${read}` : read;
        this.edit(this.start(node), node.end, text, 0);
      }
      return;
    }
    if (
      !inFunction &&
      ts.isVariableDeclarationList(node) &&
      (node.flags & ts.NodeFlags.BlockScoped) === 0 &&
      !(parent === this.statement && ts.isVariableStatement(parent))
    ) {
      for (const declaration of node.declarations)
        for (const name of this.boundNames(declaration.name))
          this.declare(name, {
            after: this.statement!.end,
            value: name,
            constant: false,
            isVar: true
          });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      throw new Unsupported(); // import(): TypeScript turns it into a require
    } else if (ts.isMetaProperty(node)) {
      throw new Unsupported(); // import.meta
    } else if (!inFunction && ts.isAwaitExpression(node)) {
      // `await p` becomes `__gaissaAwaited(await p)`: the value, once no interrupt came.
      this.awaits = true;
      this.edit(this.start(node), this.start(node), `${AWAITED}(`, 0);
      this.edit(node.end, node.end, ')', 0);
    } else if (!inFunction && ts.isForOfStatement(node) && node.awaitModifier) {
      // `for await` awaits each step without an await expression: its body starts with the check.
      this.awaits = true;
      this.edit(this.start(node.statement), this.start(node.statement), `{ ${AWAITED}(0); `, -1);
      this.edit(node.statement.end, node.statement.end, ' }', 1);
    }
    // Functions, and classes (their static blocks), have their own `var` scope.
    const scope = inFunction || ts.isFunctionLike(node) || ts.isClassLike(node);
    node.forEachChild(child => this.visit(child, node, scope));
  }

  /** Whether an identifier reads a binding, rather than naming a property, label or declaration. */
  private isReference(node: TS.Identifier, parent: TS.Node): boolean {
    const ts = this.ts;
    if (
      this.isDeclaration(parent) ||
      ts.isPropertyAccessExpression(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isGetAccessor(parent) ||
      ts.isSetAccessor(parent)
    )
      return parent.name !== node;
    if (ts.isBindingElement(parent)) return parent.name !== node && parent.propertyName !== node;
    return !(
      this.isImportBinding(parent) ||
      ts.isExportSpecifier(parent) ||
      ts.isLabeledStatement(parent) ||
      ts.isBreakOrContinueStatement(parent) ||
      ts.isMetaProperty(parent) ||
      ts.isJsxAttribute(parent)
    );
  }

  private countDeclarations(node: TS.Node): void {
    let names: string[] = [];
    if (this.isDeclaration(node) && node.name) names = this.boundNames(node.name);
    else if (this.isImportBinding(node) && node.name) names = [node.name.text];
    for (const name of names) this.declarations.set(name, (this.declarations.get(name) ?? 0) + 1);
  }

  /** A variable, parameter, function or class: what declares `name` (a name or a pattern). */
  private isDeclaration(
    node: TS.Node
  ): node is
    | TS.VariableDeclaration
    | TS.ParameterDeclaration
    | TS.FunctionDeclaration
    | TS.FunctionExpression
    | TS.ClassDeclaration
    | TS.ClassExpression {
    const ts = this.ts;
    return (
      ts.isVariableDeclaration(node) ||
      ts.isParameter(node) ||
      ts.isFunctionDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isClassDeclaration(node) ||
      ts.isClassExpression(node)
    );
  }

  /** What an import declares: `d` in `import d`, `ns` in `* as ns`, each `{ a as b }`. */
  private isImportBinding(
    node: TS.Node
  ): node is TS.ImportClause | TS.NamespaceImport | TS.ImportSpecifier {
    const ts = this.ts;
    return ts.isImportClause(node) || ts.isNamespaceImport(node) || ts.isImportSpecifier(node);
  }

  private boundNames(name: TS.BindingName): string[] {
    const ts = this.ts;
    if (ts.isIdentifier(name)) return [name.text];
    return name.elements.flatMap(element =>
      ts.isOmittedExpression(element) ? [] : this.boundNames(element.name)
    );
  }

  private start(node: TS.Node): number {
    return node.getStart(this.file);
  }

  private edit(start: number, end: number, text: string, order: number): void {
    this.edits.push({ start, end, text, order });
  }

  /** The edited text, and the line of the input each of its lines starts in. */
  private applyEdits(): { text: string; lines: number[] } {
    const js = this.file.text;
    const edits = this.edits.sort((a, b) => a.start - b.start || a.order - b.order);
    let out = '';
    let at = 0;
    const lines = [0];
    let line = 0;
    const newlines = (text: string) => text.split('\n').length - 1;
    const copy = (end: number) => {
      for (let n = newlines(js.slice(at, end)); n > 0; n--) lines.push(++line);
    };
    for (const edit of edits) {
      if (edit.start < at) throw new Unsupported(); // overlapping edits: not a shape seen here
      copy(edit.start);
      out += js.slice(at, edit.start) + edit.text;
      for (let n = newlines(edit.text); n > 0; n--) lines.push(line);
      line += newlines(js.slice(edit.start, edit.end));
      at = edit.end;
    }
    copy(js.length);
    return { text: out + js.slice(at), lines };
  }
}

/** What the check after a top-level await throws when an interrupt came since the cell began. */
export class CellInterrupted extends Error {
  constructor() {
    super('execution interrupted');
    this.name = 'KeyboardInterrupt';
  }
}

/**
 * Gives cells their check after each top-level await. `cellStarts` is called as each cell starts
 * and returns whether an interrupt has come since; it runs after every such await, so it must cost
 * next to nothing (a read of shared memory).
 */
export function installAwaitCheck(cellStarts: () => () => boolean): void {
  (globalThis as Record<string, unknown>)[AWAIT_CHECK] = () => {
    const interrupted = cellStarts();
    return <T>(value: T): T => {
      if (interrupted()) throw new CellInterrupted();
      return value;
    };
  };
}

let attempted = false;

/**
 * Gives tslab's converter, when it loads, a TypeScript whose `transpileModule` converts cells with
 * `toCommonJs` and hands TypeScript only what that declines (its output then starting with
 * `releaseBindings`). tslab's TypeScript exports read-only getters, so the converter gets a view
 * of the module (a Proxy in the module cache) rather than a patched one. Must run before
 * `tslab/dist/converter` is first required; without a module cache to patch the converter keeps
 * TypeScript's pass. The converter's program also emits an inline source map, which each cell's
 * conversion reads and drops (cell-scripts.ts: where a profile's lines are in the cell).
 */
export function installCellModules(): void {
  if (attempted) return;
  attempted = true;
  const path = tslabTypeScriptPath();
  const converterPath = require.resolve('tslab/dist/converter');
  const ts = require(path) as TypeScript; // eslint-disable-line @typescript-eslint/no-require-imports
  const entry = require.cache?.[path];
  if (!entry || entry.exports !== ts || require.cache[converterPath]) return;
  const transpile: TypeScript['transpileModule'] = (input, options) => {
    const cell =
      options.fileName === 'custom.js' &&
      options.compilerOptions?.module === ts.ModuleKind.CommonJS;
    if (!cell) return ts.transpileModule(input, options);
    const { code, sourceLines = [] } = withoutInlineMap(input);
    const ours = toCommonJsWithLines(ts, code);
    if (ours !== undefined) {
      noteConversion(ours.text, composeLines(ours.lines, sourceLines));
      return { outputText: ours.text, diagnostics: [] };
    }
    const typescript = ts.transpileModule(code, {
      ...options,
      compilerOptions: { ...options.compilerOptions, sourceMap: true }
    });
    const plain = withoutMapComment(typescript.outputText);
    const released = releaseBindings(ts, code, plain);
    const map = JSON.parse(typescript.sourceMapText ?? '{}') as { mappings?: unknown };
    const lines = typeof map.mappings === 'string' ? sourceLinesOf(map.mappings) : [];
    // releaseBindings puts its lines right after the ES module marker.
    const added = released.split('\n').length - plain.split('\n').length;
    const after = plain.slice(0, plain.indexOf(ES_MODULE_MARKER) + ES_MODULE_MARKER.length);
    const at = after.split('\n').length - 1;
    const shifted = [...lines.slice(0, at), ...Array<number>(added).fill(-1), ...lines.slice(at)];
    noteConversion(released, composeLines(shifted, sourceLines));
    return { ...typescript, outputText: released, sourceMapText: undefined };
  };
  const watchHost: TypeScript['createWatchCompilerHost'] = (...args: unknown[]) => {
    const options = args[1] as TS.CompilerOptions;
    args[1] = { ...options, inlineSourceMap: true };
    return (ts.createWatchCompilerHost as (...a: unknown[]) => unknown)(...args) as never;
  };
  entry.exports = new Proxy(ts, {
    get: (target, key, receiver) =>
      key === 'transpileModule'
        ? transpile
        : key === 'createWatchCompilerHost'
          ? watchHost
          : Reflect.get(target, key, receiver)
  });
}
