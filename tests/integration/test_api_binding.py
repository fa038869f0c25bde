"""The `gaissa` binding every cell gets (a declared global, not an import: see TypeScriptRunner.provide),
through a real Jupyter client: typed, usable, importable beside it, and shadowable like any name."""
from conftest import run, value


def test_gaissa_is_there_typed_and_importable_beside_the_global(kernel):
    _, kc = kernel
    assert value(kc, "typeof gaissa.display") == "'function'"
    # The declaration carries the API's types: a wrong use is a type error, not a runtime one.
    reply, _ = run(kc, "const n: number = gaissa.version;")
    assert reply["status"] == "error"
    assert reply["ename"] == "TypeScriptError"
    assert "not assignable to type 'number'" in reply["evalue"]
    reply, _ = run(kc, "gaissa.noSuchThing")
    assert reply["status"] == "error" and "noSuchThing" in reply["evalue"]
    # Importing it explicitly, as the README shows for modules, gives the same object.
    assert value(kc, "import { gaissa as g2 } from 'gaissa';\ng2 === gaissa") == "true"
    assert value(kc, "import { gaissa } from 'gaissa';\ntypeof gaissa.measure") == "'function'"


def test_a_cell_may_shadow_gaissa(kernel):
    _, kc = kernel
    assert value(kc, "let gaissa = 3; gaissa + 1") == "4"
    assert value(kc, "gaissa * 2") == "6"
