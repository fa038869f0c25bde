"""Every notebook in notebooks/ runs headless through nbclient on the gaissa kernel, from a
directory with no node_modules, and produces the outputs its cells promise."""
import glob
import json
import os
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import REPO

NOTEBOOKS = sorted(glob.glob(os.path.join(REPO, "notebooks", "*.ipynb")))

# expected/<notebook>.json: cell id -> outputs it must contain, each
# [output_type, mime type or stream name, exact value or null for "any"].
EXPECTED_DIR = os.path.join(os.path.dirname(__file__), "expected")


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
