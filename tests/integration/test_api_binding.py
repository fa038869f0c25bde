"""The `gaissa` binding every cell gets (a declared global, not an import: see TypeScriptRunner.provide),
through a real Jupyter client: typed, usable, importable beside it, and shadowable like any name."""
from conftest import run


def result_text(outputs):
    return [c["data"]["text/plain"] for t, c in outputs if t == "execute_result"]


def test_gaissa_is_there_typed_and_importable_beside_the_global(kernel):
    _, kc = kernel
    reply, outputs = run(kc, "typeof gaissa.display")
    assert reply["status"] == "ok", reply
    assert result_text(outputs) == ["'function'"]
    # The declaration carries the API's types: a wrong use is a type error, not a runtime one.
    reply, _ = run(kc, "const n: number = gaissa.version;")
    assert reply["status"] == "error"
    assert reply["ename"] == "TypeScriptError"
    assert "not assignable to type 'number'" in reply["evalue"]
    reply, _ = run(kc, "gaissa.noSuchThing")
    assert reply["status"] == "error" and "noSuchThing" in reply["evalue"]
    # Importing it explicitly, as the README shows for modules, gives the same object.
    reply, outputs = run(kc, "import { gaissa as g2 } from 'gaissa';\ng2 === gaissa")
    assert reply["status"] == "ok", reply
    assert result_text(outputs) == ["true"]
    reply, outputs = run(kc, "import { gaissa } from 'gaissa';\ntypeof gaissa.measure")
    assert reply["status"] == "ok", reply
    assert result_text(outputs) == ["'function'"]


def test_a_cell_may_shadow_gaissa(kernel):
    _, kc = kernel
    reply, outputs = run(kc, "let gaissa = 3; gaissa + 1")
    assert reply["status"] == "ok", reply
    assert result_text(outputs) == ["4"]
    reply, outputs = run(kc, "gaissa * 2")
    assert result_text(outputs) == ["6"]
