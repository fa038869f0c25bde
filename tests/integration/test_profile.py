"""%%gaissa profile and gaissa.profile through a real Jupyter client against the installed kernel:
a cell with one hot line spends its energy there, a function from an earlier cell keeps that cell,
a cell too short to sample says so, and the profile's provenance is its measurement's."""
import json
import os

import jsonschema

from conftest import REPO, run

MIME = "application/vnd.gaissa.profile.v1+json"

with open(os.path.join(REPO, "schema", "profile.schema.json")) as f:
    SCHEMA = json.load(f)


def profile_of(outputs):
    profiles = [c["data"] for t, c in outputs if t == "display_data" and MIME in c["data"]]
    assert len(profiles) == 1, outputs
    data = profiles[0]
    jsonschema.validate(data[MIME], SCHEMA)
    assert "Energy profile:" in data["text/plain"] and "gaissa-profile-static" in data["text/html"]
    return data[MIME]


def assert_adds_up(p):
    assert p["status"] == "ok", p["reason"]
    parts = sum(l["energyJ"] for l in p["lines"]) + sum(o["energyJ"] for o in p["other"])
    assert abs(parts - p["totalEnergyJ"]) <= 1e-9 * max(1, p["totalEnergyJ"])
    assert p["provenance"] == (
        "measured" if p["coverage"] == 1 else "estimated" if p["coverage"] == 0 else "partly-measured"
    )
    if p["method"] == "estimate":
        assert p["provenance"] == "estimated"
    assert p["overhead"]["slowdown"] >= 0 and p["overhead"]["profilerMs"] > 0


def test_hot_line_and_earlier_cell(kernel):
    _, kc = kernel
    reply, _ = run(
        kc,
        "function spin(n: number): number {\n"
        "  let s = 0;\n"
        "  for (let i = 0; i < n; i++) s += Math.sqrt(i) % 3;\n"
        "  return s;\n"
        "}",
    )
    assert reply["status"] == "ok"
    earlier = reply["execution_count"]
    reply, outputs = run(
        kc,
        "%%gaissa profile\n"
        "let cheap = 1 + 1;\n"
        "let hot = 0;\n"
        "for (let i = 0; i < 2e8; i++) hot += i % 7;\n"
        "const viaEarlier = spin(3e7);\n"
        "hot + cheap + viaEarlier",
        timeout=120,
    )
    assert reply["status"] == "ok", reply
    assert any(t == "execute_result" for t, _ in outputs), "the cell's value is still shown"
    p = profile_of(outputs)
    assert_adds_up(p)
    cell = reply["execution_count"]
    by_line = {(l["cell"], l["line"]): l for l in p["lines"]}
    hot = by_line[(cell, 3)]
    assert hot["text"] == "for (let i = 0; i < 2e8; i++) hot += i % 7;"
    assert (p["lines"][0]["cell"], p["lines"][0]["line"]) == (cell, 3)
    cheap = by_line.get((cell, 1), {"energyJ": 0})
    assert hot["energyJ"] > 10 * cheap["energyJ"]
    # The loop inside spin() is line 3 of the earlier cell, and spin() is that cell's function.
    assert by_line[(earlier, 3)]["energyJ"] > 0
    # The window also holds the kernel compiling the cell (the first cell of a kernel warms
    # TypeScript); of the energy in cell lines, the two loops hold nearly all.
    in_lines = sum(l["energyJ"] for l in p["lines"])
    assert hot["energyJ"] + by_line[(earlier, 3)]["energyJ"] > 0.9 * in_lines
    assert hot["energyJ"] > 0.5 * in_lines
    spin = [f for f in p["functions"] if f["name"] == "spin"]
    assert spin and spin[0]["cell"] == earlier and spin[0]["line"] == 1, p["functions"]
    assert {c["cell"] for c in p["cells"]} >= {cell, earlier}
    assert p["flame"] and p["flame"][0]["cell"] == cell


def test_function_twin_and_too_short(kernel):
    _, kc = kernel
    reply, outputs = run(
        kc,
        "const p = await gaissa.profile(() => { let s = 0; for (let i = 0; i < 1e8; i++) s += i % 5; return s; });\n"
        "[p.record.status, p.result]",
        timeout=120,
    )
    assert reply["status"] == "ok", reply
    result = [c["data"]["text/plain"] for t, c in outputs if t == "execute_result"]
    assert result and "'ok'" in result[0] and "200000000" in result[0]

    reply, outputs = run(kc, "%%gaissa profile\nlet tiny = 1 + 1;", timeout=60)
    assert reply["status"] == "ok", reply
    p = profile_of(outputs)
    assert p["status"] == "too-short"
    assert "too short to attribute" in p["reason"]
    assert p["lines"] == [] and p["functions"] == []

    reply, outputs = run(kc, "%gaissa help profile")
    text = "".join(c["text"] for t, c in outputs if t == "stream")
    assert "--interval-us" in text
