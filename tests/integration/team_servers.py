"""The team servers the integration tests start on 127.0.0.1 and stop afterwards (a real MLflow with a
SQLite store, Debian's Prometheus Pushgateway and Prometheus), and what the tests read back from
them: MLflow runs and metric histories, pushed samples, and the local JSONL they must equal."""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from contextlib import ExitStack, contextmanager

from jupyter_client.manager import KernelManager

from conftest import KERNEL, REPO, run

MLFLOW = os.environ.get("GAISSA_MLFLOW") or os.path.join(REPO, ".venv-mlflow", "bin", "mlflow")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url, body=None, timeout=10, headers=None, method=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"content-type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        text = response.read()
        return json.loads(text) if text else None


class Server:
    """A server process in its own process group, so that stopping it stops its workers too."""

    def __init__(self, argv, ready_url, env=None, cwd=None):
        self.argv, self.ready_url, self.env, self.cwd, self.proc = argv, ready_url, env, cwd, None
        self.log = tempfile.NamedTemporaryFile(prefix="gaissa-server-", suffix=".log", delete=False)

    def start(self):
        self.proc = subprocess.Popen(self.argv, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.cwd,
                                     env={**os.environ, **(self.env or {})}, start_new_session=True)
        return self

    def output(self, chars=3000):
        with open(self.log.name) as f:
            return f.read()[-chars:]

    def wait_ready(self, timeout=150):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.output()
            try:
                urllib.request.urlopen(self.ready_url, timeout=2).read()
                return self
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"{self.argv[0]} not ready in {timeout} s: " + self.output())

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


def _stopped_at_exit(stack, server):
    stack.callback(server.stop)
    return server.start()


@contextmanager
def team_servers(prometheus=False):
    """MLflow and a Pushgateway (and, when asked, a Prometheus scraping the Pushgateway every
    second, honor_labels as a team's would), each stopped on the way out, however it is left."""
    assert os.access(MLFLOW, os.X_OK), f"no MLflow at {MLFLOW}: scripts/setup.sh --test makes .venv-mlflow"
    pushgateway = shutil.which("prometheus-pushgateway") or shutil.which("pushgateway")
    assert pushgateway, "no prometheus-pushgateway: scripts/setup.sh --test installs it as root (apt)"
    with ExitStack() as stack:
        store = tempfile.mkdtemp(prefix="gaissa-team-servers-")
        stack.callback(shutil.rmtree, store, ignore_errors=True)
        mport, pport = free_port(), free_port()
        mlflow = _stopped_at_exit(stack, Server(
            [MLFLOW, "server", "--backend-store-uri", f"sqlite:///{store}/mlflow.db", "--artifacts-destination",
             f"{store}/artifacts", "--host", "127.0.0.1", "--port", str(mport), "--workers", "1"],
            f"http://127.0.0.1:{mport}/health",
            # MLflow 3 starts job runners (GenAI evaluation) by default: not needed, and heavy.
            env={"MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"},
        ))
        # In memory only: Debian's build persists to /var/lib/prometheus by default, which would
        # bring back the groups of earlier runs (and share them with runs beside this one).
        pgw = _stopped_at_exit(stack, Server([pushgateway, f"--web.listen-address=127.0.0.1:{pport}",
                                              "--persistence.file="], f"http://127.0.0.1:{pport}/-/ready"))
        servers = {"mlflow": mlflow, "pushgateway": pgw, "mlflow_url": f"http://127.0.0.1:{mport}",
                   "pushgateway_url": f"http://127.0.0.1:{pport}"}
        if prometheus:
            servers["prometheus_url"] = _start_prometheus(stack, store, pport)
        pgw.wait_ready()
        yield servers


def _start_prometheus(stack, store, pushgateway_port):
    binary = shutil.which("prometheus")
    assert binary, "no prometheus: scripts/setup.sh --test installs it as root (apt)"
    port = free_port()
    config = os.path.join(store, "prometheus.yml")
    with open(config, "w") as f:
        json.dump({  # JSON is YAML
            "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
            "scrape_configs": [{"job_name": "pushgateway", "honor_labels": True,
                                "static_configs": [{"targets": [f"127.0.0.1:{pushgateway_port}"]}]}],
        }, f)
    _stopped_at_exit(stack, Server(
        [binary, f"--config.file={config}", f"--storage.tsdb.path={store}/prometheus",
         f"--web.listen-address=127.0.0.1:{port}"],
        f"http://127.0.0.1:{port}/-/ready")).wait_ready()
    return f"http://127.0.0.1:{port}"


def text_of(outputs):
    return "".join(c.get("text", "") for t, c in outputs if t == "stream")


def local_records(d):
    with open(os.path.join(d, "gaissa-emissions.jsonl")) as f:
        return [json.loads(line) for line in f if line.strip()]


def mlflow_run(url, experiment, kernel_id=None):
    """The experiment's one run (the one of this kernel, when given)."""
    exp = get_json(f"{url}/api/2.0/mlflow/experiments/get-by-name?"
                   + urllib.parse.urlencode({"experiment_name": experiment}))["experiment"]
    runs = get_json(f"{url}/api/2.0/mlflow/runs/search", {"experiment_ids": [exp["experiment_id"]]}).get("runs", [])
    tags = lambda r: {t["key"]: t["value"] for t in r["data"].get("tags", [])}
    if kernel_id:
        runs = [r for r in runs if tags(r).get("gaissa.kernel_id") == kernel_id]
    assert len(runs) == 1, runs
    return runs[0]["info"]["run_id"], tags(runs[0]), {p["key"]: p["value"] for p in runs[0]["data"].get("params", [])}


def metric_history(url, run_id, key):
    query = urllib.parse.urlencode({"run_id": run_id, "metric_key": key})
    metrics = get_json(f"{url}/api/2.0/mlflow/metrics/get-history?{query}").get("metrics", [])
    return sorted((m["step"], m["value"]) for m in metrics)


def pushed(url, kernel_id):
    """The Pushgateway's samples for one kernel: [(metric, labels, value)]."""
    out = []
    for group in get_json(f"{url}/api/v1/metrics")["data"]:
        for name, family in group.items():
            if not name.startswith("gaissa_"):
                continue
            for m in family["metrics"]:
                if m["labels"].get("kernel_id") == kernel_id:
                    out.append((name, m["labels"], float(m["value"])))
    return out


def flush_until_settled(kc, timeout=120):
    """`%gaissa sinks flush` until nothing waits; returns its last text."""
    deadline = time.monotonic() + timeout
    while True:
        reply, outputs = run(kc, "%gaissa sinks flush", timeout=60)
        assert reply["status"] == "ok", reply
        text = text_of(outputs)
        counts = [line for line in text.splitlines() if " waiting" in line]
        if counts and all(" 0 waiting" in line for line in counts):
            return text
        assert time.monotonic() < deadline, text
        time.sleep(1)


# ---- kernels measuring into the team servers

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
