"""Team servers: a real MLflow server (SQLite store, from .venv-mlflow, which scripts/setup.sh makes)
and a real Prometheus Pushgateway (Debian's prometheus-pushgateway), started here on 127.0.0.1 and
stopped afterwards. Measured cells land in both with the user, notebook and kernel id they were
made with, equal to the local JSONL; MLflow killed in the middle loses nothing (each record is
delivered after it returns, or listed as not delivered); a server that hangs or refuses delays no
cell and no shutdown beyond its bound."""
import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid

import pytest
from jupyter_client.manager import KernelManager

from conftest import KERNEL, REPO, run
from team_servers import flush_until_settled, get_json, local_records, metric_history, mlflow_run, pushed, text_of

NOTEBOOK = 'team/"odd" \\ name\n.ipynb'  # untrusted: quotes, a backslash and a line feed
BUSY_CELL = "%%gaissa measure\nlet s = 0; for (let i = 0; i < 3e6; i++) s += i; s"


def start_kernel(cwd, **env):
    """A kernel as Jupyter server starts one: its connection file named kernel-<id>.json."""
    log = tempfile.NamedTemporaryFile(prefix="gaissa-kernel-", suffix=".log", delete=False)
    kernel_id = str(uuid.uuid4())
    km = KernelManager(kernel_name=KERNEL, connection_file=os.path.join(cwd, f"kernel-{kernel_id}.json"))
    km.kernel_id = kernel_id
    km.start_kernel(cwd=cwd, env={**os.environ, **env}, stderr=log)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc, log.name


def stop_kernel(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=True)


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
