"""Cells run through the kernel's own module pass (kernel/execution/cell-module.ts), not tslab's
second TypeScript compile: a top-level name is one live binding for the cell, its functions and
later cells; what that pass declines still runs through TypeScript. A real Jupyter client against
the installed kernel."""
from conftest import run, value


def test_cells_use_the_kernels_module_pass(kernel):
    _, kc = kernel
    # A cell's code runs inside tslab's `(function (exports, require) { … })`; a direct eval there
    # can show it. TypeScript's pass would have written `exports.k = k += 1` and `path_1.join`;
    # ours leaves `k += 1` alone, publishes `k` once as an accessor, and reads imports as
    # `(0, __gaissaImport0.join)`.
    source = value(
        kc, "import { join } from 'path';\nlet k = 1;\nk += 1;\neval('arguments.callee.toString()')"
    )
    assert "k += 1;" in source and "exports.k" not in source, source
    assert source.count('__gaissaBind("k"') == 1, source
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
    # TypeScript's output, writing `w` through to `exports`, first releases earlier cells' `w`.
    run(kc, "let w = 0;\nfunction readW() { return w; }")
    source = value(
        kc,
        "const m2 = await import('path');\nlet w = 1;\nw += 1;\neval('arguments.callee.toString()')",
    )
    assert "exports.w = w += 1" in source and '"m2","w"]' in source, source
    assert value(kc, "[w, readW()]") == "[ 2, 0 ]"


def test_top_level_names_are_live_bindings_across_cells(kernel):
    _, kc = kernel
    assert value(kc, "let s = 0; for (let i = 0; i < 2e6; i++) { s += i % 7; } s") == "5999995"
    run(kc, "let count = 0;\nfunction inc() { return ++count; }")
    run(kc, "count += 5")
    assert value(kc, "inc()") == "6"
    assert value(kc, "count") == "6"
    run(kc, "const fixed = 1;")
    reply, _ = run(kc, "fixed = 2")
    assert reply["status"] == "error", reply
    assert value(kc, "fixed") == "1"
