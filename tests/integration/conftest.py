"""Shared fixtures: a real Jupyter client (jupyter_client) talking to the installed `gaissa` kernel."""
import json
import os
import shutil
import tempfile
from html.parser import HTMLParser

import pytest
from jupyter_client.manager import start_new_kernel

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KERNEL = "gaissa"


@pytest.fixture(scope="session", autouse=True)
def own_cache_dir():
    """Kernels started here cache calibrations and the cell predictor's costs in a folder of the
    run's own (they inherit GAISSA_CACHE_DIR), never the user's ~/.cache."""
    if os.environ.get("GAISSA_CACHE_DIR"):
        yield os.environ["GAISSA_CACHE_DIR"]
        return
    d = tempfile.mkdtemp(prefix="gaissa-pytest-cache-")
    os.environ["GAISSA_CACHE_DIR"] = d
    yield d
    del os.environ["GAISSA_CACHE_DIR"]
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def bare_dir():
    """A working directory with no node_modules anywhere above it: cells must resolve their types
    and modules without the notebook sitting inside the project."""
    d = tempfile.mkdtemp(prefix="gaissa-bare-")
    probe = d
    while probe != os.path.dirname(probe):
        assert not os.path.isdir(os.path.join(probe, "node_modules")), probe
        probe = os.path.dirname(probe)
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def kernel(bare_dir):
    km, kc = start_new_kernel(kernel_name=KERNEL, cwd=bare_dir, startup_timeout=60)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def run(kc, code, timeout=30):
    """Executes code; returns (reply content, [(msg_type, content)] of its iopub outputs)."""
    msg_id = kc.execute(code)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        if msg["msg_type"] not in ("status", "execute_input"):
            outputs.append((msg["msg_type"], msg["content"]))
    return reply["content"], outputs


def value(kc, code):
    """Executes code that must succeed with one result; returns that result's text/plain."""
    reply, outputs = run(kc, code)
    assert reply["status"] == "ok", reply
    results = [c["data"]["text/plain"] for t, c in outputs if t == "execute_result"]
    assert len(results) == 1, outputs
    return results[0]


def page_config(html):
    """The JSON of <script id="jupyter-config-data"> in a JupyterLab page."""
    parser = _PageConfig()
    parser.feed(html)
    return json.loads(parser.text)


class _PageConfig(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inside, self.text = False, ""

    def handle_starttag(self, tag, attrs):
        self.inside = tag == "script" and ("id", "jupyter-config-data") in attrs

    def handle_endtag(self, tag):
        self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.text += data


@pytest.fixture(scope="module")
def servers():
    """A real MLflow and Pushgateway on 127.0.0.1 for one test file (team_servers.py)."""
    from team_servers import team_servers

    with team_servers() as started:
        yield started
