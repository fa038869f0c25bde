"""Cells run through the kernel's own module pass (kernel/execution/cell-module.ts), not tslab's
second TypeScript compile, and keep tslab's semantics across cells; what that pass declines still
runs through TypeScript. A real Jupyter client against the installed kernel."""
from conftest import run, value


def test_cells_use_the_kernels_module_pass(kernel):
    _, kc = kernel
    # A cell's code runs inside tslab's `(function (exports, require) { … })`; a direct eval there
    # can show it. TypeScript's pass would have written `exports.k = k += 1` (no parenthesis) and
    # `path_1.join`; ours reads imports as `(0, __gaissaImport0.join)`.
    source = value(
        kc, "import { join } from 'path';\nlet k = 1;\nk += 1;\neval('arguments.callee.toString()')"
    )
    assert "(exports.k = k += 1)" in source, source
    assert "__gaissaImport0 = require(" in source and "path_1" not in source, source
    assert value(kc, "k") == "2"


def test_state_imports_and_closures_carry_across_cells(kernel):
    _, kc = kernel
    reply, _ = run(kc, "let count = 0;\nfunction inc() { count++; return count; }")
    assert reply["status"] == "ok", reply
    assert value(kc, "inc(); inc(); count") == "2"
    assert value(kc, "inc()") == "3"
    assert value(kc, "count") == "3"
    text = value(
        kc,
        "import { join, basename as bn } from 'path';\nimport * as os from 'os';\n"
        "import fs from 'fs';\njoin('a', bn('/x/b')) + typeof os.cpus + typeof fs.existsSync",
    )
    assert text == "'a/bfunctionfunction'"
    assert value(kc, "join('c', 'd')") == "'c/d'"
    # Imports are live, as in TypeScript's CommonJS: a function reads the module when it runs.
    run(kc, "import { hostname } from 'os';\nfunction host() { return hostname(); }")
    assert value(kc, "require('os').hostname = () => 'patched'; host()") == "'patched'"
    assert value(kc, "const { p, q: [r] } = { p: 1, q: [2] };\nclass Box { v = p + r }\nnew Box().v") == "3"


def test_what_the_pass_declines_still_runs_through_typescript(kernel):
    _, kc = kernel
    # An enum's function has a parameter named like the enum; a dynamic import needs a require.
    assert value(kc, "enum Color { Red, Green }\nColor.Green") == "1"
    assert value(kc, "const m = await import('path');\nm.sep") == "'/'"
    assert value(kc, "let n = 0;\nconst k2 = n++ + 10;\n[n, k2]") == "[ 1, 10 ]"
    source = value(kc, "let w = 1;\nconst v = w++ * 2;\neval('arguments.callee.toString()')")
    assert "(_a = w++" in source, source  # TypeScript's temporary for the value of `w++`
