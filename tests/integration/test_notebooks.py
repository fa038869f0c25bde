"""Every notebook in notebooks/ runs headless through nbclient on the gaissa kernel, from a
directory with no node_modules, and produces the outputs its cells promise."""
import glob
import os
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import REPO

NOTEBOOKS = sorted(glob.glob(os.path.join(REPO, "notebooks", "*.ipynb")))

# Per notebook: cell id -> what its outputs must contain (output_type, and mime type or stream name).
EXPECTED = {
    "getting-started.ipynb": {
        "declare": [("execute_result", "text/plain", "'HELLO, GREEN AI'")],
        "persist": [("execute_result", "text/plain", "1863690")],
        "await": [("stream", "stdout", "the answer is 42\n")],
        "display": [("display_data", "text/html", "<b>done</b>")],
        "time": [("stream", "stdout", None), ("execute_result", "text/plain", None)],
        "help": [("stream", "stdout", None)],
        "version": [("execute_result", "text/plain", None)],
    },
}


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
    expected = EXPECTED.get(name)
    assert expected, f"{name}: add its expected outputs to EXPECTED"
    for cell_id, wants in expected.items():
        outputs = cells[cell_id].outputs
        for kind, key, value in wants:
            assert any(output_matches(o, kind, key, value) for o in outputs), (cell_id, kind, key, value, outputs)
