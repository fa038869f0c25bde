/**
 * Turns the ES module tslab's converter emits for a cell into the CommonJS body its executor runs
 * inside `(function (exports, require) { … })`.
 *
 * tslab does this with a second `ts.transpileModule` per cell, which builds a program and a type
 * checker and type-checks the emitted JavaScript again: about 2.5 ms of a `1+1` cell's ~4 ms on
 * this project's machines. The cells it converts have a narrow shape (TypeScript's own ESNext
 * print: imports, declarations, `export { every top-level name }` and `export const tsLastExpr =
 * …`), so a parse and a few splices give the same program: each top-level name exported is kept in
 * `exports` after its declaration and after every assignment to it, as TypeScript does
 * (`exports.n = n += 2`), and imports become `require` calls with the same interop and the same
 * live reads (`(0, m.join)(…)`). Anything outside that shape (a name declared twice, destructuring
 * into an exported name, dynamic `import()`, `export default`, re-exports…) is left to
 * TypeScript: `toCommonJs` returns undefined.
 */
import type * as TS from '@tslab/typescript-for-tslab';
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

/** Names this pass introduces; a cell that mentions the prefix is left to TypeScript. */
const RESERVED = '__gaissa';
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
/** TypeScript writes `exports.a = exports.b = … = void 0` in statements of this many names. */
const VOID_CHAIN = 50;

class Unsupported extends Error {}

/** CommonJS for tslab's executor, or undefined where the cell is not in the shape handled here. */
export function toCommonJs(ts: TypeScript, js: string): string | undefined {
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

class CellModule {
  private readonly edits: Edit[] = [];
  /** Top-level bindings: where `exports.x = …` goes (after the declaring statement) and its value. */
  private readonly bindings = new Map<string, { after: number; value: string }>();
  /** Names imported by name or as default: each reference reads the module, as TypeScript's do. */
  private readonly imported = new Map<string, string>();
  /** How often each name is declared anywhere in the cell (parameters, nested scopes included). */
  private readonly declarations = new Map<string, number>();
  private readonly exported = new Set<string>();
  /** tslab's last-expression name when it is assigned straight to `exports` (no local). */
  private assignedToExports?: string;
  private modules = 0;
  private needsImportStar = false;

  constructor(
    private readonly ts: TypeScript,
    private readonly file: TS.SourceFile
  ) {}

  commonJs(): string {
    const first = this.file.statements[0];
    // A directive prologue ("use strict") must stay first, where the lines added here would go.
    if (first && this.ts.isExpressionStatement(first) && this.ts.isStringLiteral(first.expression))
      throw new Unsupported();
    for (const statement of this.file.statements) this.topLevel(statement);
    this.file.forEachChild(node => this.visit(node, this.file));
    // Each exported or imported name must be one binding, so every mention of it is that binding.
    for (const name of [...this.exported, ...this.imported.keys()]) {
      const own = this.bindings.has(name) || name === this.assignedToExports;
      if (!own || this.declarations.get(name) !== 1) throw new Unsupported();
    }
    // The lines added here use these globals (as TypeScript's do).
    if (['exports', 'require', 'Object'].some(name => this.declarations.has(name)))
      throw new Unsupported();
    const after = new Map<number, string[]>();
    for (const name of this.exported) {
      const binding = this.bindings.get(name);
      if (!binding) continue;
      after.set(binding.after, [
        ...(after.get(binding.after) ?? []),
        `exports.${name} = ${binding.value};`
      ]);
    }
    for (const [at, lines] of after) this.edit(at, at, '\n' + lines.join('\n'), 1);
    return this.head() + this.applyEdits();
  }

  /** What TypeScript writes first: helpers, the ES module marker, every export set to undefined. */
  private head(): string {
    let head = this.needsImportStar ? IMPORT_STAR_HELPER : '';
    head += 'Object.defineProperty(exports, "__esModule", { value: true });\n';
    // `exports.a = exports.b = void 0` assigns right to left: each statement lists its names last
    // first, as TypeScript does, so `exports` gets its keys in the order of the cell's exports.
    const names = [...this.exported];
    for (let i = 0; i < names.length; i += VOID_CHAIN) {
      const chunk = names.slice(i, i + VOID_CHAIN).reverse();
      head += chunk.map(n => `exports.${n} = `).join('') + 'void 0;\n';
    }
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
        this.lastExpression(statement, exportKeyword);
        return;
      }
      for (const declaration of statement.declarationList.declarations) {
        for (const name of this.boundNames(declaration.name)) this.declare(name, statement.end);
      }
      return;
    }
    if (exportKeyword || modifiers?.some(m => m.kind === ts.SyntaxKind.DefaultKeyword))
      throw new Unsupported();
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name)
      this.declare(statement.name.text, statement.end);
  }

  /**
   * tslab's `export const tsLastExpr = <the cell's last expression>`, under a name no other
   * binding has. TypeScript assigns it straight to `exports`, keeping a local only where the
   * value takes its name from it (an arrow, function or class expression, unparenthesized).
   * Other `export`s written in a cell are TypeScript's to convert: it turns reads of an exported
   * `let` into reads of `exports`, which a later cell may assign.
   */
  private lastExpression(statement: TS.VariableStatement, exportKeyword: TS.Node): void {
    const ts = this.ts;
    const [declaration, ...more] = statement.declarationList.declarations;
    const value = declaration?.initializer;
    if (
      more.length > 0 ||
      !value ||
      (statement.declarationList.flags & ts.NodeFlags.Const) === 0 ||
      !ts.isIdentifier(declaration.name) ||
      !/^tsLastExpr\d*$/.test(declaration.name.text)
    )
      throw new Unsupported();
    const name = declaration.name.text;
    this.exported.add(name);
    if (
      ts.isArrowFunction(value) ||
      ts.isFunctionExpression(value) ||
      ts.isClassExpression(value)
    ) {
      this.edit(this.start(exportKeyword), this.start(statement.declarationList), '', 0);
      this.declare(name, statement.end);
    } else {
      this.edit(this.start(exportKeyword), this.start(value), `exports.${name} = `, 0);
      this.assignedToExports = name;
    }
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
      this.declare(name, statement.end, value);
    };
    if (clause.name && !bindings) {
      bind(clause.name.text, `${mod}.default`);
      return `const ${mod} = ${importDefault(required)};`;
    }
    if (!bindings || clause.name) throw new Unsupported();
    if (ts.isNamespaceImport(bindings)) {
      this.needsImportStar = true;
      this.declare(bindings.name.text, statement.end);
      return `const ${bindings.name.text} = ${IMPORT_STAR}(${required});`;
    }
    if (bindings.elements.length === 0) throw new Unsupported(); // TypeScript drops the import
    for (const element of bindings.elements) {
      const from = element.propertyName?.text ?? element.name.text;
      if (element.isTypeOnly || from === 'default') throw new Unsupported();
      bind(element.name.text, `${mod}.${from}`);
    }
    return `const ${mod} = ${required};`;
  }

  private declare(name: string, after: number, value = name): void {
    if (this.bindings.has(name)) throw new Unsupported();
    this.bindings.set(name, { after, value });
  }

  /** Counts declarations, rewrites assignments to exported names and reads of imported ones. */
  private visit(node: TS.Node, parent: TS.Node): void {
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
    if (ts.isBinaryExpression(node) && this.isAssignment(node.operatorToken.kind)) {
      // A parenthesized name, `(n) = 1`, is left as it is: TypeScript 5.0 does not follow it either.
      if (ts.isIdentifier(node.left)) this.keepExported(node.left.text, node);
      else if (
        (ts.isObjectLiteralExpression(node.left) || ts.isArrayLiteralExpression(node.left)) &&
        this.mentionsExported(node.left)
      )
        throw new Unsupported(); // destructuring
    } else if (
      (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
      (node.operator === ts.SyntaxKind.PlusPlusToken ||
        node.operator === ts.SyntaxKind.MinusMinusToken) &&
      ts.isIdentifier(node.operand) &&
      this.exported.has(node.operand.text)
    ) {
      const name = node.operand.text;
      if (ts.isPrefixUnaryExpression(node)) this.keepExported(name, node);
      else if (this.valueUnused(node, parent)) {
        const op = node.operator === ts.SyntaxKind.PlusPlusToken ? '++' : '--';
        this.edit(this.start(node), node.end, `(exports.${name} = ${op}${name})`, 0);
      } else throw new Unsupported();
    } else if (
      (ts.isForInStatement(node) || ts.isForOfStatement(node)) &&
      !ts.isVariableDeclarationList(node.initializer) &&
      this.mentionsExported(node.initializer)
    ) {
      throw new Unsupported();
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      throw new Unsupported(); // import(): TypeScript turns it into a require
    } else if (ts.isMetaProperty(node)) {
      throw new Unsupported(); // import.meta
    }
    node.forEachChild(child => this.visit(child, node));
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

  /** Wraps an assignment to an exported name so `exports` follows it: `(exports.n = n += 2)`. */
  private keepExported(name: string, assignment: TS.Node): void {
    if (!this.exported.has(name)) return;
    this.edit(this.start(assignment), this.start(assignment), `(exports.${name} = `, 1);
    this.edit(assignment.end, assignment.end, ')', 0);
  }

  /** `n++` whose value nobody reads: as a statement or a for loop's step. */
  private valueUnused(node: TS.Node, parent: TS.Node): boolean {
    const ts = this.ts;
    return (
      ts.isExpressionStatement(parent) || (ts.isForStatement(parent) && parent.incrementor === node)
    );
  }

  private mentionsExported(node: TS.Node): boolean {
    if (this.ts.isIdentifier(node)) return this.exported.has(node.text);
    return node.forEachChild(child => this.mentionsExported(child) || undefined) ?? false;
  }

  private isAssignment(kind: TS.SyntaxKind): boolean {
    const { FirstAssignment, LastAssignment } = this.ts.SyntaxKind;
    return kind >= FirstAssignment && kind <= LastAssignment;
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

  private applyEdits(): string {
    const js = this.file.text;
    const edits = this.edits.sort((a, b) => a.start - b.start || a.order - b.order);
    let out = '';
    let at = 0;
    for (const edit of edits) {
      if (edit.start < at) throw new Unsupported(); // overlapping edits: not a shape seen here
      out += js.slice(at, edit.start) + edit.text;
      at = edit.end;
    }
    return out + js.slice(at);
  }
}

type TranspileModule = TypeScript['transpileModule'];

let attempted = false;

/**
 * Gives tslab's converter, when it loads, a TypeScript whose `transpileModule` converts cells with
 * `toCommonJs` and hands TypeScript only what that declines. tslab's TypeScript exports read-only
 * getters, so the converter gets a view of the module (a Proxy in Node's module cache) rather than
 * a patched one. Must run before `tslab/dist/converter` is first required; without Node's module
 * cache (jest's module system) the converter keeps TypeScript's pass.
 */
export function installCellModules(): void {
  if (attempted) return;
  attempted = true;
  const path = tslabTypeScriptPath();
  const converterPath = require.resolve('tslab/dist/converter');
  const ts = require(path) as TypeScript; // eslint-disable-line @typescript-eslint/no-require-imports
  const entry = require.cache?.[path];
  if (!entry || entry.exports !== ts || require.cache[converterPath]) return;
  const transpile: TranspileModule = (input, options) => {
    const cell =
      options.fileName === 'custom.js' &&
      options.compilerOptions?.module === ts.ModuleKind.CommonJS;
    const outputText = cell ? toCommonJs(ts, input) : undefined;
    return outputText !== undefined
      ? { outputText, diagnostics: [] }
      : ts.transpileModule(input, options);
  };
  entry.exports = new Proxy(ts, {
    get: (target, key, receiver) =>
      key === 'transpileModule' ? transpile : Reflect.get(target, key, receiver)
  });
}
