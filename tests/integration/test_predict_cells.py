"""`%%gaissa measure --predict` and `%gaissa predict` through a real Jupyter client against the
installed kernel: the predicted tier shown before the cell runs, replaced by the measurement with
predicted vs measured; learning from measured cells; "no prediction: why"; the ONNX prediction
magic. The kernel's cache folder (learned costs, calibration) is a temporary one."""
import glob
import json
import os
import re
import subprocess

import pytest
from jupyter_client.manager import start_new_kernel

from conftest import KERNEL, REPO, run

MIME = "application/vnd.gaissa.measurement.v1+json"
BOUNDARIES = "[Low < 1 J ≤ Medium < 30 J ≤ High]"


@pytest.fixture
def cache_dir(tmp_path):
    return str(tmp_path / "cache")


@pytest.fixture
def kc(bare_dir, cache_dir):
    env = dict(os.environ, GAISSA_CACHE_DIR=cache_dir)
    km, client = start_new_kernel(kernel_name=KERNEL, cwd=bare_dir, startup_timeout=60, env=env)
    yield client
    client.stop_channels()
    km.shutdown_kernel(now=True)


def shown(outputs):
    """(kind, data) of every display and display update, in order."""
    return [(t, c["data"]) for t, c in outputs if t in ("display_data", "update_display_data")]


def test_predict_shows_the_tier_first_then_predicted_vs_measured(kc, cache_dir):
    reply, outputs = run(kc, "%%gaissa measure --predict --no-log\nlet s = 0;\nfor (let i = 0; i < 3e7; i++) s += i % 5;", timeout=120)
    assert reply["status"] == "ok", reply
    views = shown(outputs)
    kind, first = views[0]
    assert kind == "display_data"
    assert first["text/plain"].startswith("Predicted (not measured): ")
    assert BOUNDARIES in first["text/plain"]
    assert "operations in loops nested 1 deep" in first["text/plain"]
    assert MIME not in first, "the prediction is not a measurement"
    kind, last = views[-1]
    assert kind == "update_display_data", "the measurement replaces the prediction in place"
    record = last[MIME]
    prediction = record["prediction"]
    assert prediction["method"] == "predicted"
    assert prediction["tier"] in ("Low", "Medium", "High")
    assert prediction["estimateJ"] > 0
    assert prediction["boundaries"] == {"mediumFromJ": 1, "highFromJ": 30}
    assert record["energyJ"] > 0
    assert re.search(r"Prediction +predicted .* \(\w+\) / (measured|estimated|partly measured \(<?\d+ % counter\)) .* \(\w+\), error [+-]?\d+ %", last["text/plain"])
    assert "<th>Prediction</th>" in last["text/html"]
    # The costs learned from the cell are kept for this machine.
    [costs] = glob.glob(os.path.join(cache_dir, "cell-costs-*.json"))
    learned = json.load(open(costs))
    assert learned["lastMeter"] == record["method"]
    assert learned["byMeter"][record["method"]]["cells"] == 1


def test_a_function_measured_earlier_prices_the_next_cell(kc):
    define = "function busy() {\n  let n = 0;\n  while (Math.random() < 0.9999995) n++;\n  return n;\n}"
    reply, _ = run(kc, define)
    assert reply["status"] == "ok"
    # Its while loop cannot be sized: no prediction, and why.
    reply, outputs = run(kc, "%%gaissa measure --predict --no-log\nbusy();", timeout=120)
    assert reply["status"] == "ok"
    first = shown(outputs)[0][1]["text/plain"]
    assert "no prediction: it calls busy(), which no measured cell ran" in first
    record = shown(outputs)[-1][1][MIME]
    assert record["prediction"]["tier"] is None and record["prediction"]["estimateJ"] is None
    # Measured once, it prices the next cell's calls.
    reply, outputs = run(kc, "%%gaissa measure --predict --no-log\nbusy();\nbusy();", timeout=120)
    assert reply["status"] == "ok"
    first = shown(outputs)[0][1]["text/plain"]
    assert "busy() measured earlier, 2 call(s)" in first
    assert shown(outputs)[-1][1][MIME]["prediction"]["estimateJ"] > 0


def test_an_unsized_loop_gets_no_prediction_but_is_measured(kc):
    reply, outputs = run(kc, "%%gaissa measure --predict --no-log\nlet k = 0;\nwhile (k < 1000) k++;", timeout=120)
    assert reply["status"] == "ok"
    views = shown(outputs)
    assert "no prediction: cannot size a while loop at line 2" in views[0][1]["text/plain"]
    assert "no prediction: cannot size a while loop at line 2" in views[-1][1]["text/plain"]
    assert views[-1][1][MIME]["energyJ"] >= 0


def write_model(path):
    script = (
        "const fs = require('fs');"
        "const { onnx } = require('onnx-proto');"
        "const { mlpModel } = require('./lib/kernel/onnx/synthetic-models');"
        f"fs.writeFileSync({json.dumps(path)}, onnx.ModelProto.encode(mlpModel({{ sizes: [64, 32, 10] }})).finish());"
    )
    subprocess.run(["node", "-e", script], cwd=REPO, check=True)


def test_predict_magic_delegates_to_gaissa_predict(kc, bare_dir):
    model = os.path.join(bare_dir, "mlp.onnx")
    write_model(model)
    # No calibration in the fresh cache: the magic measures one first (under 30 s) and says so.
    reply, outputs = run(kc, f"%gaissa predict {model} --batch 4 --threads 1", timeout=240)
    assert reply["status"] == "ok", reply
    printed = "".join(c["text"] for t, c in outputs if t == "stream")
    assert "calibrat" in printed.lower()
    [(_, data)] = shown(outputs)
    assert data["text/plain"].startswith("Predicted (not measured): mlp, batch 4, 1 thread")
    p = data["application/json"]
    assert p["method"] == "predicted" and p["batch"] == 4 and p["threads"] == 1
    assert p["low"] <= p["energyPerInferenceJ"] <= p["high"]
    # Input it cannot use: no prediction, and why.
    bad = os.path.join(bare_dir, "text.onnx")
    open(bad, "w").write("this is not a model")
    reply, _ = run(kc, f"%gaissa predict {bad} --threads 1")
    assert reply["status"] == "error"
    assert reply["evalue"].startswith("%gaissa predict: no prediction: ")
    reply, _ = run(kc, "%gaissa predict m.onnx --batch 0")
    assert reply["status"] == "error" and "--batch must be at least 1" in reply["evalue"]
