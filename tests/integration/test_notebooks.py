"""Every notebook in notebooks/ runs headless through nbclient on the gaissa kernel, from a
directory with no node_modules, and produces the outputs its cells promise. The end-to-end demo,
which `npm start` and Binder open, has every step checked."""
import glob
import json
import os
import re
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import REPO

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
    with open(os.path.join(REPO, "scripts", "start.sh")) as f:
        script = f.read()
    notebook_dir = re.search(r"--notebook-dir=(\S+)", script).group(1)
    opened = re.search(r"--ServerApp\.default_url=/lab/tree/([^\s)]+)", script).group(1)
    assert os.path.join(REPO, notebook_dir, opened) == DEMO
    assert os.path.isfile(DEMO)
