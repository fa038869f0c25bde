"""Team servers: a real MLflow server (SQLite store, from .venv-mlflow, which scripts/setup.sh makes)
and a real Prometheus Pushgateway (Debian's prometheus-pushgateway), started here on 127.0.0.1 and
stopped afterwards. Measured cells land in both with the user, notebook and kernel id they were
made with, equal to the local JSONL; tactics and training comparisons land with their metrics and
tables; MLflow killed in the middle loses nothing (each record is delivered after it returns, or
listed as not delivered); a server that hangs or refuses delays no cell and no shutdown beyond its
bound."""
import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request

import pytest

from conftest import REPO, run
from team_servers import (BUSY_CELL, flush_until_settled, get_json, local_records, metric_history, mlflow_run, pushed,
                          start_kernel, stop_kernel, text_of)

NOTEBOOK = 'team/"odd" \\ name\n.ipynb'  # untrusted: quotes, a backslash and a line feed

def test_measured_cells_land_in_mlflow_and_the_pushgateway_equal_to_the_local_records(servers, bare_dir):
    km, kc, _ = start_kernel(bare_dir, MLFLOW_TRACKING_URI=servers["mlflow_url"],
                             GAISSA_PUSHGATEWAY_URL=servers["pushgateway_url"],
                             JUPYTERHUB_USER="ann", JPY_SESSION_NAME=NOTEBOOK)
    try:
        for _ in range(2):
            reply, _ = run(kc, BUSY_CELL, timeout=60)
            assert reply["status"] == "ok", reply
        label_cell = ("(await gaissa.label({ phase: 'inference', population: 'fixed', model: { name: 'm' },"
                      " metrics: { energyPerInferenceJ: 0.4, latencyMs: 12, accuracy: 0.8 } })).record")
        reply, outputs = run(kc, f"console.log(JSON.stringify({label_cell}))", timeout=60)
        assert reply["status"] == "ok", reply
        label = json.loads(text_of(outputs))
        servers["mlflow"].wait_ready()
        text = flush_until_settled(kc)
        # MLflow: two measurements and the label; the Pushgateway: the two measurements.
        assert f"MLflow at {servers['mlflow_url']}: 3 delivered, 0 waiting, 0 not delivered" in text, text
        assert f"Pushgateway at {servers['pushgateway_url']}: 2 delivered, 0 waiting, 0 not yet pushed" in text, text
    finally:
        stop_kernel(km, kc)
    local = local_records(bare_dir)
    assert len(local) == 2

    run_id, tags, params = mlflow_run(servers["mlflow_url"], NOTEBOOK)
    assert tags["gaissa.user"] == "ann" and tags["mlflow.user"] == "ann"
    assert tags["gaissa.notebook"] == NOTEBOOK and tags["gaissa.kernel_id"] == km.kernel_id
    assert tags["gaissa.record.1"] == local[0]["id"] and tags["gaissa.record.2"] == local[1]["id"]
    assert tags["gaissa.method"] == local[1]["method"] and tags["gaissa.region"] == local[1]["region"]
    assert params["host.logical_cpus"] == str(local[0]["host"]["logicalCpus"])
    assert tags["gaissa.label"] == label["rating"]
    files = get_json(f"{servers['mlflow_url']}/api/2.0/mlflow/artifacts/list?run_id={run_id}&path=gaissa")["files"]
    assert sorted(f["path"] for f in files) == ["gaissa/LABEL.json", "gaissa/LABEL.svg"]
    exp_id = get_json(f"{servers['mlflow_url']}/api/2.0/mlflow/runs/get?run_id={run_id}")["run"]["info"]["experiment_id"]
    stored = get_json(f"{servers['mlflow_url']}/api/2.0/mlflow-artifacts/artifacts/{exp_id}/{run_id}/artifacts/gaissa/LABEL.json")
    assert stored == label
    for key, field in [("gaissa.energy_J", "energyJ"), ("gaissa.co2e_g", "co2eG"),
                       ("gaissa.duration_s", "durationS"), ("gaissa.power_W", "powerW")]:
        assert metric_history(servers["mlflow_url"], run_id, key) == [(1, local[0][field]), (2, local[1][field])]

    samples = pushed(servers["pushgateway_url"], km.kernel_id)
    assert samples, "nothing pushed for this kernel"
    for _, labels, _ in samples:
        assert labels["user"] == "ann" and labels["notebook"] == NOTEBOOK
        assert labels["component"] in ("cpu", "gpu", "ram") and labels["method"] in ("rapl", "nvml", "estimate")
    total = lambda name: sum(v for n, _, v in samples if n == name)
    assert total("gaissa_energy_joules_total") == pytest.approx(sum(r["total"]["energyJ"] for r in local), rel=1e-9)
    assert total("gaissa_co2e_grams_total") == pytest.approx(sum(r["total"]["co2eG"] for r in local), rel=1e-9)
    assert total("gaissa_power_watts") == pytest.approx(local[1]["powerW"], rel=1e-9)

    # The CLI twin: its own run, in the experiment named by GAISSA_MLFLOW_EXPERIMENT.
    cli = subprocess.run(["node", os.path.join(REPO, "bin", "gaissa.js"), "measure", "--json", "--", "true"],
                         cwd=bare_dir, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "MLFLOW_TRACKING_URI": servers["mlflow_url"],
                              "GAISSA_MLFLOW_EXPERIMENT": "gaissa-cli-test", "JUPYTERHUB_USER": "bob"})
    assert cli.returncode == 0, cli.stderr
    record = json.loads(cli.stdout)
    run_id, tags, _ = mlflow_run(servers["mlflow_url"], "gaissa-cli-test")
    assert tags["gaissa.user"] == "bob" and tags["gaissa.record.1"] == record["id"]
    assert metric_history(servers["mlflow_url"], run_id, "gaissa.energy_J") == [(1, record["energyJ"])]


def registered_model_version(url, name):
    """A registered model and its version 1, made through MLflow's REST API as a team would."""
    post = lambda path, body: get_json(f"{url}/api/2.0/mlflow/{path}", body)
    post("registered-models/create", {"name": name})
    run_id = post("runs/create", {"experiment_id": "0"})["run"]["info"]["run_id"]
    version = post("model-versions/create", {"name": name, "source": f"runs:/{run_id}/model", "run_id": run_id})
    return version["model_version"]["version"]


def model_version_tags(url, name, version):
    query = urllib.parse.urlencode({"name": name, "version": version})
    found = get_json(f"{url}/api/2.0/mlflow/model-versions/get?{query}")["model_version"]
    return {t["key"]: t["value"] for t in found.get("tags", [])}


COMPARE_CELL = """
const fp32 = gaissa.model.synthetic.mlp({ sizes: [784, 16, 10] });
const int8 = await gaissa.tactics.apply(fp32, 'quantize-dynamic');
const samples = Array.from({ length: 16 }, (_, i) => Array.from({ length: 784 }, (_, j) => ((i * 31 + j) % 17) / 17));
const comparison = await gaissa.compare({ 'fp32 model': fp32, 'int8: dynamic': int8 },
  { inputs: samples, repeat: 1, warmup: 0, minWindowS: 0, progress: false });
console.log(JSON.stringify(comparison.payload));
"""


def test_comparisons_and_registered_model_labels_land_in_mlflow(servers, bare_dir):
    url = servers["mlflow"].wait_ready() and servers["mlflow_url"]
    version = registered_model_version(url, "gaissa-mnist")
    km, kc, _ = start_kernel(bare_dir, MLFLOW_TRACKING_URI=url, GAISSA_MLFLOW_EXPERIMENT="gaissa-compare-test",
                             JUPYTERHUB_USER="dee")
    try:
        reply, outputs = run(kc, COMPARE_CELL, timeout=120)
        assert reply["status"] == "ok", reply
        payload = json.loads(text_of(outputs))
        label_cell = (f"const view = await gaissa.label(comparison, {{ mlflowModel: 'gaissa-mnist/{version}' }});"
                      " console.log(JSON.stringify(view.record))")
        reply, outputs = run(kc, label_cell, timeout=60)
        assert reply["status"] == "ok", reply
        label = json.loads(text_of(outputs))
        # A version MLflow does not have: listed as a label not delivered, with MLflow's reason.
        reply, _ = run(kc, "await gaissa.label(comparison, { mlflowModel: { name: 'gaissa-mnist', version: 99 } })")
        assert reply["status"] == "ok", reply
        text = flush_until_settled(kc)
        # The comparison, two labels in the run and one on the model version; one refused.
        assert f"MLflow at {url}: 4 delivered, 0 waiting, 1 not delivered" in text, text
        assert "label 2 (" in text and "on models:/gaissa-mnist/99: refused: MLflow has no registered model version" in text, text
        # A malformed one is an error before anything is issued.
        reply, outputs = run(kc, "await gaissa.label(comparison, { mlflowModel: 'gaissa-mnist' })")
        assert reply["status"] == "error" and "options.mlflowModel" in reply["evalue"], reply
    finally:
        stop_kernel(km, kc)

    run_id, tags, _ = mlflow_run(url, "gaissa-compare-test")
    assert tags["gaissa.compare.1.baseline"] == "fp32_model"
    assert tags["gaissa.compare.1.recommended"] in ("fp32_model", "int8_dynamic")
    for key, variant in [("fp32_model", payload["variants"][0]), ("int8_dynamic", payload["variants"][1])]:
        for metric, field in [("energy_per_inference_J", "energyPerInferenceJ"), ("latency_ms", "latencyMs"),
                              ("agreement", "agreement"), ("model_size_MB", "modelSizeMB")]:
            assert metric_history(url, run_id, f"gaissa.compare.{key}.{metric}") == [(1, variant[field])]
    files = get_json(f"{url}/api/2.0/mlflow/artifacts/list?run_id={run_id}&path=gaissa")["files"]
    assert {"gaissa/COMPARISON.json", "gaissa/COMPARISON.csv", "gaissa/LABEL.json"} <= {f["path"] for f in files}
    exp_id = get_json(f"{url}/api/2.0/mlflow/runs/get?run_id={run_id}")["run"]["info"]["experiment_id"]
    artifacts = f"{url}/api/2.0/mlflow-artifacts/artifacts/{exp_id}/{run_id}/artifacts/gaissa"
    assert get_json(f"{artifacts}/COMPARISON.json") == payload
    with urllib.request.urlopen(f"{artifacts}/COMPARISON.csv", timeout=10) as response:
        rows = response.read().decode().splitlines()
    assert rows[0].startswith("variant,mlflow_key,") and rows[2].startswith("int8: dynamic,int8_dynamic,")

    tags = model_version_tags(url, "gaissa-mnist", version)
    assert tags["gaissa.label"] == label["rating"]
    assert tags["gaissa.label.phase"] == "inference" and tags["gaissa.label.method"] == label["method"]
    assert tags["gaissa.label.model"] == label["model"]["name"] == payload["recommended"]
    assert tags["gaissa.label.run_id"] == run_id

    # The CLI: gaissa label --mlflow-model tags the version too; a malformed one exits 2.
    request = os.path.join(bare_dir, "request.json")
    with open(request, "w") as f:
        json.dump({"phase": "inference", "population": "fixed", "model": {"name": "cli-model"},
                   "metrics": {"energyPerInferenceJ": 0.01, "latencyMs": 2, "accuracy": 0.9}}, f)
    version2 = registered_model_version(url, "gaissa-cli-model")
    cli = lambda *args: subprocess.run(["node", os.path.join(REPO, "bin", "gaissa.js"), "label", "--json", request, *args],
                                       cwd=bare_dir, capture_output=True, text=True, timeout=120,
                                       env={**os.environ, "MLFLOW_TRACKING_URI": url, "GAISSA_MLFLOW_EXPERIMENT": "gaissa-cli-label"})
    done = cli("--mlflow-model", f"models:/gaissa-cli-model/{version2}")
    assert done.returncode == 0 and done.stderr == "", done.stderr
    cli_label = json.loads(done.stdout)
    tags = model_version_tags(url, "gaissa-cli-model", version2)
    assert tags["gaissa.label"] == cli_label["rating"] and tags["gaissa.label.model"] == "cli-model"
    bad = cli("--mlflow-model", "gaissa-cli-model/latest")
    assert bad.returncode == 2 and "--mlflow-model.version: must be a model version number" in bad.stderr, bad.stderr
    assert bad.stdout == ""


TRAIN_COMPARE_CELL = """
const tf = await gaissa.train.tfjs();
const xs = Array.from({ length: 24 * 4 }, (_, i) => Math.sin(i * 1.7) + (Math.floor(i / 4) % 2));
const ys = Array.from({ length: 24 }, (_, r) => [r % 2, 1 - (r % 2)]).flat();
const pair = (a, b) => ({ x: tf.tensor2d(xs.slice(a * 4, b * 4), [b - a, 4]), y: tf.tensor2d(ys.slice(a * 2, b * 2), [b - a, 2]) });
const model = () => {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 8, activation: 'relu', inputShape: [4], kernelInitializer: tf.initializers.glorotUniform({ seed: 5 }) }));
  m.add(tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) }));
  m.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
};
const trained = await gaissa.train.compare(
  { model, data: { train: pair(0, 16), validation: pair(16, 20), test: pair(20, 24) }, epochs: 2, display: false },
  [{ name: 'frozen: 1', freeze: 1 }], { warmup: 0, display: false });
console.log('TRAINED ' + JSON.stringify({ payload: trained.payload, training: trained.training }));
"""


def test_a_training_comparison_lands_in_mlflow(servers, bare_dir):
    url = servers["mlflow"].wait_ready() and servers["mlflow_url"]
    km, kc, _ = start_kernel(bare_dir, MLFLOW_TRACKING_URI=url, GAISSA_MLFLOW_EXPERIMENT="gaissa-train-compare-test")
    try:
        reply, outputs = run(kc, TRAIN_COMPARE_CELL, timeout=180)
        assert reply["status"] == "ok", reply
        line = next(l for l in text_of(outputs).splitlines() if l.startswith("TRAINED "))
        trained = json.loads(line[len("TRAINED "):])
        text = flush_until_settled(kc)
        # Each training run is a measurement; then the comparison.
        assert f"MLflow at {url}: 3 delivered, 0 waiting, 0 not delivered" in text, text
    finally:
        stop_kernel(km, kc)

    payload, training = trained["payload"], trained["training"]
    run_id, tags, _ = mlflow_run(url, "gaissa-train-compare-test")
    assert tags["gaissa.train_compare.1.baseline"] == "baseline"
    assert tags["gaissa.train_compare.1.recommended"] in ("baseline", "frozen_1")
    for key, variant in [("baseline", payload["variants"][0]), ("frozen_1", payload["variants"][1])]:
        for metric, value in [("energy_J", variant["energyJ"]), ("co2e_g", variant["co2ePerInferenceG"]),
                              ("duration_s", variant["durationS"]), ("accuracy", variant["accuracy"]),
                              ("loss", training[variant["name"]]["loss"])]:
            assert metric_history(url, run_id, f"gaissa.train_compare.{key}.{metric}") == [(1, value)]
    assert metric_history(url, run_id, "gaissa.compare.baseline.energy_per_inference_J") == []
    exp_id = get_json(f"{url}/api/2.0/mlflow/runs/get?run_id={run_id}")["run"]["info"]["experiment_id"]
    artifacts = f"{url}/api/2.0/mlflow-artifacts/artifacts/{exp_id}/{run_id}/artifacts/gaissa"
    assert get_json(f"{artifacts}/TRAINING-COMPARISON.json") == payload
    with urllib.request.urlopen(f"{artifacts}/TRAINING-COMPARISON.csv", timeout=10) as response:
        rows = response.read().decode().splitlines()
    assert rows[0].startswith("variant,mlflow_key,") and rows[2].startswith("frozen: 1,frozen_1,freeze(1),")


def test_mlflow_killed_in_the_middle_loses_no_record(servers, bare_dir):
    servers["mlflow"].wait_ready()
    km, kc, _ = start_kernel(bare_dir, MLFLOW_TRACKING_URI=servers["mlflow_url"],
                             GAISSA_MLFLOW_EXPERIMENT="gaissa-fault-test", JUPYTERHUB_USER="cy")
    try:
        assert run(kc, BUSY_CELL, timeout=60)[0]["status"] == "ok"
        flush_until_settled(kc)
        servers["mlflow"].stop(signal.SIGKILL)
        warnings = ""
        for _ in range(3):
            started = time.monotonic()
            reply, outputs = run(kc, BUSY_CELL, timeout=60)
            assert reply["status"] == "ok", reply
            assert time.monotonic() - started < 20  # the cell never waits on the dead server
            warnings += text_of(outputs)
        status = text_of(run(kc, "%gaissa sinks")[1])
        assert "failing:" in status, status
        # Reported once, not per record: by the measured cell after the failure.
        assert warnings.count("warning: MLflow at") == 1, warnings
        servers["mlflow"].start().wait_ready()
        text = flush_until_settled(kc)
    finally:
        stop_kernel(km, kc)
    local = local_records(bare_dir)
    assert len(local) == 4
    not_delivered = {line.split(": ")[1] for line in text.splitlines() if "not delivered: " in line}
    run_id, tags, _ = mlflow_run(servers["mlflow_url"], "gaissa-fault-test")
    delivered = {v for k, v in tags.items() if k.startswith("gaissa.record.")}
    assert delivered | not_delivered == {r["id"] for r in local}, (delivered, not_delivered)
    assert not delivered & not_delivered
    history = dict(metric_history(servers["mlflow_url"], run_id, "gaissa.energy_J"))
    for n, r in enumerate(local, 1):
        if r["id"] in delivered:
            assert history[n] == r["energyJ"]


class _Hanging:
    """Accepts connections and never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                self.held.append(self.sock.accept()[0])
            except OSError:
                return

    def close(self):
        for c in self.held:
            c.close()
        self.sock.close()


def test_a_hanging_or_refusing_server_delays_no_cell_and_the_shutdown_says_what_was_lost(bare_dir):
    hanging = _Hanging()
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Refuse(BaseHTTPRequestHandler):
        def do_PUT(self):
            self.send_response(403)
            self.end_headers()
            self.wfile.write(b"forbidden")

        def log_message(self, *args):
            pass

    refusing = HTTPServer(("127.0.0.1", 0), Refuse)
    threading.Thread(target=refusing.serve_forever, daemon=True).start()
    km, kc, log = start_kernel(bare_dir, MLFLOW_TRACKING_URI=hanging.url,
                               GAISSA_PUSHGATEWAY_URL=f"http://127.0.0.1:{refusing.server_port}")
    try:
        run(kc, "1")  # warm TypeScript, so the timing below is the measured cell's
        started = time.monotonic()
        reply, _ = run(kc, "%%gaissa measure\n1 + 1", timeout=60)
        elapsed = time.monotonic() - started
        assert reply["status"] == "ok"
        assert elapsed < 4, elapsed  # an attempt to the hung server takes 5 s before it is cut
        assert len(local_records(bare_dir)) == 1
        time.sleep(1)
        status = text_of(run(kc, "%gaissa sinks")[1])
        assert "MLflow at " + hanging.url + ": 0 delivered, 1 waiting" in status, status
        assert "refused: HTTP 403: forbidden" in status, status
        started = time.monotonic()
        kc.shutdown()
        km.finish_shutdown(waittime=10)
        assert time.monotonic() - started < 8
        said = open(log).read()
        record_id = local_records(bare_dir)[0]["id"]
        assert f"1 measurement(s) not delivered to MLflow at {hanging.url}" in said, said
        assert record_id in said
        # The CLI prints its record, gives the hung server its 5 s, then names what it kept.
        started = time.monotonic()
        cli = subprocess.run(["node", os.path.join(REPO, "bin", "gaissa.js"), "measure", "--json", "--", "true"],
                             cwd=bare_dir, capture_output=True, text=True, timeout=60,
                             env={**os.environ, "MLFLOW_TRACKING_URI": hanging.url})
        assert cli.returncode == 0 and 5 <= time.monotonic() - started < 15, cli.stderr
        assert f"1 measurement(s) not delivered to MLflow at {hanging.url}" in cli.stderr, cli.stderr
        assert json.loads(cli.stdout)["id"] in cli.stderr
    finally:
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=True)
        hanging.close()
        refusing.shutdown()
