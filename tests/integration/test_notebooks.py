"""Every notebook in notebooks/ runs headless through nbclient on the gaissa kernel, from a
directory with no node_modules, and produces the outputs its cells promise. The end-to-end demo,
which `npm start` and Binder open, has every step checked."""
import glob
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
import uuid

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import REPO, page_config

NOTEBOOKS = sorted(glob.glob(os.path.join(REPO, "notebooks", "*.ipynb")))

# expected/<notebook>.json: cell id -> outputs it must contain, each
# [output_type, mime type or stream name, exact value or null for "any"].
EXPECTED_DIR = os.path.join(os.path.dirname(__file__), "expected")

# The newcomer's path: measure, tactics, ROI, label, model card (issue 9).
DEMO = os.path.join(REPO, "notebooks", "demo.ipynb")


def run_notebook(path, cwd):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name="gaissa", timeout=300, resources={"metadata": {"path": cwd}}).execute()
    return nb


def output_matches(output, kind, key, value):
    if output["output_type"] != kind:
        return False
    if kind == "stream":
        return output["name"] == key and (value is None or output["text"] == value)
    data = output.get("data", {})
    return key in data and (value is None or data[key] == value)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=os.path.basename)
def test_notebook_runs_and_produces_expected_outputs(path, bare_dir):
    name = os.path.basename(path)
    shutil.copy(path, bare_dir)
    nb = run_notebook(os.path.join(bare_dir, name), bare_dir)
    cells = {c.get("id"): c for c in nb.cells if c.cell_type == "code"}
    for cell in cells.values():
        assert not [o for o in cell.outputs if o["output_type"] == "error"], cell.source
    expected_file = os.path.join(EXPECTED_DIR, name.replace(".ipynb", ".json"))
    assert os.path.exists(expected_file), f"{name}: write its expected outputs to {expected_file}"
    with open(expected_file) as f:
        expected = json.load(f)
    for cell_id, wants in expected.items():
        outputs = cells[cell_id].outputs
        for kind, key, value in wants:
            assert any(output_matches(o, kind, key, value) for o in outputs), (cell_id, kind, key, value, outputs)


def test_demo_checks_every_step_under_a_stable_cell_id():
    # Read as plain JSON: nbformat would invent random ids for cells that have none.
    with open(DEMO) as f:
        cells = json.load(f)["cells"]
    ids = [c.get("id") for c in cells]
    assert all(ids) and len(set(ids)) == len(ids), ids
    with open(os.path.join(EXPECTED_DIR, "demo.json")) as f:
        expected = json.load(f)
    code_ids = {c["id"] for c in cells if c["cell_type"] == "code"}
    assert code_ids == set(expected), (code_ids ^ set(expected))


def test_npm_start_opens_the_demo():
    """`npm start` as a user runs it (set-up skipped: the test run has just done it), then through the
    running server: the URL it prints and the redirect of `/` lead to the demo notebook."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    token = uuid.uuid4().hex
    server = subprocess.Popen(
        ["npm", "start", "--", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}"],
        cwd=REPO, env={**os.environ, "GAISSA_SETUP_DONE": "1"}, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        printed = None
        deadline = time.monotonic() + 120
        log = []
        while printed is None and time.monotonic() < deadline and server.poll() is None:
            line = server.stdout.readline()
            log.append(line)
            printed = re.search(rf"http://127\.0\.0\.1:{port}(/\S*)\?token=", line)
        assert printed, "".join(log)
        assert printed.group(1) == "/lab/tree/demo.ipynb", printed.group(0)

        base = f"http://127.0.0.1:{port}"
        # The URL is printed just before the server's loop starts taking connections.
        for _ in range(100):
            try:
                root = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                root.request("GET", f"/?token={token}")
                break
            except ConnectionRefusedError:
                time.sleep(0.2)
        redirect = root.getresponse()
        assert redirect.status in (301, 302), redirect.status
        target = urllib.parse.urlsplit(redirect.getheader("Location")).path
        assert target == "/lab/tree/demo.ipynb", target
        # JupyterLab itself says which file the page opens, and the server serves it from notebooks/.
        with urllib.request.urlopen(f"{base}{target}?token={token}", timeout=30) as page:
            tree_path = page_config(page.read().decode())["treePath"]
        with urllib.request.urlopen(f"{base}/api/contents/{tree_path}?token={token}", timeout=30) as r:
            served = json.load(r)
        with open(DEMO) as f:
            demo = json.load(f)
        assert served["type"] == "notebook"
        assert [c.get("id") for c in served["content"]["cells"]] == [c["id"] for c in demo["cells"]]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
