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
 * (`exports.n = n += 2`), and imports become `require` calls with the same interop. Anything
 * outside that shape (a name declared twice, destructuring into an exported name, dynamic
 * `import()`, `export default`, re-exports…) is left to TypeScript: `toCommonJs` returns undefined.
 */
import { dirname } from 'node:path';
import type * as TS from '@tslab/typescript-for-tslab';

type TypeScript = typeof TS;

/** A text edit on the cell's JavaScript: replace [start, end) with `text`. */
interface Edit {
  start: number;
  end: number;
  text: string;
  /** Among edits at one position, lower goes first (a closing paren before the lines after). */
  order: number;
}

/** `import * as ns` with TypeScript's esModuleInterop semantics: live getters and `default`. */
const IMPORT_STAR = '__gaissaImportStar';
const IMPORT_STAR_HELPER =
  `var ${IMPORT_STAR} = function (m) { if (m && m.__esModule) return m; var ns = {};` +
  ` if (m != null) Object.keys(m).forEach(function (k) { if (k !== "default")` +
  ` Object.defineProperty(ns, k, { enumerable: true, get: function () { return m[k]; } }); });` +
  ` Object.defineProperty(ns, "default", { enumerable: true, value: m }); return ns; };\n`;
/** `import d` with esModuleInterop: a module without `__esModule` is its own default. */
const importDefault = (required: string) =>
  `(function (m) { return m && m.__esModule ? m.default : m; })(${required})`;

class Unsupported extends Error {}

/** CommonJS for tslab's executor, or undefined where the cell is not in the shape handled here. */
export function toCommonJs(ts: TypeScript, js: string): string | undefined {
  if (js.includes(IMPORT_STAR)) return undefined;
  const file = ts.createSourceFile('cell.js', js, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  try {
    return new CellModule(ts, file).commonJs();
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

class CellModule {
  private readonly edits: Edit[] = [];
  /** Top-level names and where their `exports.x = x` goes (after the declaring statement). */
  private readonly declaredAt = new Map<string, number>();
  /** How often each name is declared anywhere in the cell (parameters, nested scopes included). */
  private readonly declarations = new Map<string, number>();
  private readonly exported = new Set<string>();
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
    this.file.forEachChild(node => this.visit(node));
    // Each exported name must be one top-level binding, so every assignment to it is one to keep.
    for (const name of this.exported) {
      if (!this.declaredAt.has(name) || this.declarations.get(name) !== 1) throw new Unsupported();
    }
    if (this.declarations.has('exports') || this.declarations.has('require'))
      throw new Unsupported();
    const after = new Map<number, string[]>();
    for (const name of this.exported) {
      const at = this.declaredAt.get(name)!;
      after.set(at, [...(after.get(at) ?? []), `exports.${name} = ${name};`]);
    }
    for (const [at, lines] of after) this.edit(at, at, '\n' + lines.join('\n'), 1);
    // `exports.a = exports.b = void 0` assigns right to left: list them last first, as TypeScript
    // does, so `exports` gets its keys in the order of the cell's exports.
    const names = [...this.exported].reverse();
    const head =
      (this.needsImportStar ? IMPORT_STAR_HELPER : '') +
      (names.length ? names.map(n => `exports.${n} = `).join('') + 'void 0;\n' : '');
    return head + this.applyEdits();
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
      if (exportKeyword && !this.isLastExpression(statement)) throw new Unsupported();
      for (const declaration of statement.declarationList.declarations) {
        for (const name of this.boundNames(declaration.name)) {
          this.declare(name, statement.end);
          if (exportKeyword) this.exported.add(name);
        }
      }
      if (exportKeyword) {
        const list = this.start(statement.declarationList);
        this.edit(this.start(exportKeyword), list, '', 0);
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
   * binding has. Other `export`s written in a cell are TypeScript's to convert: it turns reads of
   * an exported `let` into reads of `exports`, which a later cell may assign.
   */
  private isLastExpression(statement: TS.VariableStatement): boolean {
    const [declaration, ...more] = statement.declarationList.declarations;
    return (
      more.length === 0 &&
      (statement.declarationList.flags & this.ts.NodeFlags.Const) !== 0 &&
      this.ts.isIdentifier(declaration.name) &&
      /^tsLastExpr\d*$/.test(declaration.name.text)
    );
  }

  /** `const … = require("m")` with the bindings TypeScript's esModuleInterop would give. */
  private requireFor(statement: TS.ImportDeclaration): string {
    const ts = this.ts;
    if (!ts.isStringLiteral(statement.moduleSpecifier) || statement.assertClause)
      throw new Unsupported();
    const required = `require(${JSON.stringify(statement.moduleSpecifier.text)})`;
    const clause = statement.importClause;
    if (!clause) return `${required};`;
    if (clause.isTypeOnly) throw new Unsupported();
    const bindings = clause.namedBindings;
    const bind = (name: string) => this.declare(name, statement.end);
    if (clause.name && !bindings) {
      bind(clause.name.text);
      return `const ${clause.name.text} = ${importDefault(required)};`;
    }
    if (!bindings || clause.name) throw new Unsupported();
    if (ts.isNamespaceImport(bindings)) {
      this.needsImportStar = true;
      bind(bindings.name.text);
      return `const ${bindings.name.text} = ${IMPORT_STAR}(${required});`;
    }
    const parts = bindings.elements.map(element => {
      const from = element.propertyName?.text ?? element.name.text;
      if (element.isTypeOnly || from === 'default') throw new Unsupported();
      bind(element.name.text);
      return from === element.name.text ? from : `${from}: ${element.name.text}`;
    });
    return `const { ${parts.join(', ')} } = ${required};`;
  }

  private declare(name: string, after: number): void {
    if (this.declaredAt.has(name)) throw new Unsupported();
    this.declaredAt.set(name, after);
  }

  /** Counts declarations and rewrites assignments to exported names, everywhere in the cell. */
  private visit(node: TS.Node, parent?: TS.Node): void {
    const ts = this.ts;
    this.countDeclarations(node);
    if (ts.isBinaryExpression(node) && this.isAssignment(node.operatorToken.kind)) {
      const target = this.unparenthesized(node.left);
      if (ts.isIdentifier(target)) this.keepExported(target.text, node);
      else if (this.mentionsExported(target)) throw new Unsupported(); // destructuring
    } else if (
      (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
      (node.operator === ts.SyntaxKind.PlusPlusToken ||
        node.operator === ts.SyntaxKind.MinusMinusToken)
    ) {
      const operand = this.unparenthesized(node.operand);
      if (ts.isIdentifier(operand) && this.exported.has(operand.text)) {
        if (ts.isPrefixUnaryExpression(node)) this.keepExported(operand.text, node);
        else if (parent && this.valueUnused(node, parent)) {
          const op = node.operator === ts.SyntaxKind.PlusPlusToken ? '++' : '--';
          this.edit(
            this.start(node),
            node.end,
            `(exports.${operand.text} = ${op}${operand.text})`,
            0
          );
        } else throw new Unsupported();
      }
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

  private countDeclarations(node: TS.Node): void {
    const ts = this.ts;
    let names: string[] = [];
    if (ts.isVariableDeclaration(node) || ts.isParameter(node)) names = this.boundNames(node.name);
    else if (
      (ts.isFunctionDeclaration(node) ||
        ts.isFunctionExpression(node) ||
        ts.isClassDeclaration(node) ||
        ts.isClassExpression(node)) &&
      node.name
    )
      names = [node.name.text];
    else if (ts.isImportClause(node) && node.name) names = [node.name.text];
    else if (ts.isNamespaceImport(node) || ts.isImportSpecifier(node)) names = [node.name.text];
    for (const name of names) this.declarations.set(name, (this.declarations.get(name) ?? 0) + 1);
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

  private unparenthesized(node: TS.Expression): TS.Expression {
    while (this.ts.isParenthesizedExpression(node)) node = node.expression;
    return node;
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

let installed = false;

/**
 * Gives tslab's converter, when it loads, a TypeScript whose `transpileModule` converts cells with
 * `toCommonJs` and hands TypeScript only what that declines. tslab's TypeScript exports read-only
 * getters, so the converter gets a view of the module (a Proxy in Node's module cache) rather than
 * a patched one. Must run before `tslab/dist/converter` is first required; returns whether the
 * converter will use it (not under a module system without Node's cache, such as jest's).
 */
export function installCellModules(): boolean {
  if (installed) return true;
  const path = tslabTypeScriptPath();
  const converterPath = require.resolve('tslab/dist/converter');
  const ts = require(path) as TypeScript; // eslint-disable-line @typescript-eslint/no-require-imports
  const entry = require.cache?.[path];
  if (!entry || entry.exports !== ts || require.cache[converterPath]) return false;
  const transpile: TranspileModule = (input, options) => {
    const cell = options.fileName === 'custom.js' && isCommonJs(ts, options);
    const outputText = cell ? toCommonJs(ts, input) : undefined;
    return outputText !== undefined
      ? { outputText, diagnostics: [] }
      : ts.transpileModule(input, options);
  };
  entry.exports = new Proxy(ts, {
    get: (target, key, receiver) =>
      key === 'transpileModule' ? transpile : Reflect.get(target, key, receiver)
  });
  installed = true;
  return true;
}

function isCommonJs(ts: TypeScript, options: TS.TranspileOptions): boolean {
  return options.compilerOptions?.module === ts.ModuleKind.CommonJS;
}

/** tslab's own TypeScript (5.0, bundled with it), which its converter uses. */
export function tslabTypeScriptPath(): string {
  const tslabDir = dirname(require.resolve('tslab/package.json'));
  return require.resolve('@tslab/typescript-for-tslab', { paths: [tslabDir] });
}
