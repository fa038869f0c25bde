"""The team view's comm (gaissa.team) through a real kernel and a real MLflow server (the one
test_team_sinks.py starts, on 127.0.0.1, stopped afterwards): two users measure in two notebooks
and one issues a label; a third kernel reads the team view back and its totals per user and per
notebook equal the sums of the local records. A kernel with no tracking URI, or one whose server
is not listening, says so in the view instead of failing."""
import json
import os
import shutil
import socket
import tempfile
import time
import uuid

import jsonschema
import pytest

from conftest import REPO, run
from team_servers import BUSY_CELL, flush_until_settled, local_records, start_kernel, stop_kernel

SCHEMA = json.load(open(os.path.join(REPO, "schema", "team-view-comm.schema.json")))
ANN_NOTEBOOK = 'team/<img src=x onerror="alert(1)">\n.ipynb'  # untrusted: markup and a line feed
BOB_NOTEBOOK = "team/bob.ipynb"


def team_view(kc, timeout=90):
    """Opens a gaissa.team comm with a fetch; returns the kernel's first answer."""
    comm_id = uuid.uuid4().hex
    kc.shell_channel.send(kc.session.msg("comm_open", {
        "comm_id": comm_id, "target_name": "gaissa.team", "data": {"type": "fetch", "protocol": 1}}))
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(1, deadline - time.monotonic()))
        content = msg["content"]
        if content.get("comm_id") != comm_id:
            continue
        assert msg["msg_type"] == "comm_msg", msg
        kc.shell_channel.send(kc.session.msg("comm_close", {"comm_id": comm_id, "data": {}}))
        return content["data"]


@pytest.fixture
def dirs():
    made = [tempfile.mkdtemp(prefix="gaissa-team-view-") for _ in range(3)]
    yield made
    for d in made:
        shutil.rmtree(d, ignore_errors=True)


def measure(cwd, url, user, notebook, cells, label=False):
    km, kc, _ = start_kernel(cwd, MLFLOW_TRACKING_URI=url, JUPYTERHUB_USER=user, JPY_SESSION_NAME=notebook)
    try:
        for _ in range(cells):
            assert run(kc, BUSY_CELL, timeout=60)[0]["status"] == "ok"
        if label:
            reply, _ = run(kc, "(await gaissa.label({ phase: 'inference', population: 'fixed', model: { name: 'm' },"
                               " metrics: { energyPerInferenceJ: 0.4, latencyMs: 12, accuracy: 0.8 } })).record.rating",
                           timeout=60)
            assert reply["status"] == "ok", reply
        flush_until_settled(kc)
    finally:
        stop_kernel(km, kc)
    return local_records(cwd)


def test_the_team_view_totals_equal_the_local_records_of_each_user_and_notebook(servers, dirs):
    url = servers["mlflow_url"]
    servers["mlflow"].wait_ready()
    ann = measure(dirs[0], url, "ann", ANN_NOTEBOOK, 2, label=True)
    bob = measure(dirs[1], url, "bob", BOB_NOTEBOOK, 1)
    # The reader: credentials in the URI must not come back in the view.
    km, kc, _ = start_kernel(dirs[2], MLFLOW_TRACKING_URI=url.replace("http://", "http://reader:s3cret@"))
    try:
        view = team_view(kc)
    finally:
        stop_kernel(km, kc)
    jsonschema.validate(view, SCHEMA)
    assert "s3cret" not in json.dumps(view)
    assert view["status"] == "ok" and view["source"] == "mlflow", view["errors"]
    assert view["trackingUri"] == url + "/" and view["errors"] == []

    listed = {m["recordId"]: m for m in view["measurements"]}
    for user, notebook, records in [("ann", ANN_NOTEBOOK, ann), ("bob", BOB_NOTEBOOK, bob)]:
        for r in records:
            m = listed[r["id"]]
            assert (m["user"], m["notebook"], m["experiment"]) == (user, notebook, notebook)
            assert m["energyJ"] == r["energyJ"] and m["co2eG"] == r["co2eG"] and m["durationS"] == r["durationS"]
        total = next(t for t in view["totals"]["perUser"] if t["key"] == user)
        assert total["measurements"] == len(records)
        assert total["energyJ"] == pytest.approx(sum(r["energyJ"] for r in records), rel=1e-12)
        assert total["co2eG"] == pytest.approx(sum(r["co2eG"] for r in records), rel=1e-12)
        by_notebook = next(t for t in view["totals"]["perNotebook"] if t["key"] == notebook)
        assert by_notebook["measurements"] == len(records)
        assert by_notebook["energyJ"] == pytest.approx(total["energyJ"], rel=1e-12)
    # Newest first.
    ended = [m["endedAt"] for m in view["measurements"]]
    assert ended == sorted(ended, reverse=True)
    labels = [(l["user"], l["notebook"]) for l in view["labels"]]
    assert labels == [("ann", ANN_NOTEBOOK)], view["labels"]
    assert view["labels"][0]["rating"] in "ABCDE"


def free_closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_team_view_says_when_no_server_is_configured_or_it_does_not_answer(dirs):
    env = {k: v for k, v in os.environ.items() if k not in ("MLFLOW_TRACKING_URI", "GAISSA_MLFLOW_EXPERIMENT")}
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        km, kc, _ = start_kernel(dirs[0])
        try:
            view = team_view(kc)
        finally:
            stop_kernel(km, kc)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    jsonschema.validate(view, SCHEMA)
    assert view["status"] == "unconfigured" and view["trackingUri"] is None and view["source"] is None

    km, kc, _ = start_kernel(dirs[1], MLFLOW_TRACKING_URI=f"http://127.0.0.1:{free_closed_port()}")
    try:
        started = time.monotonic()
        view = team_view(kc)
        assert time.monotonic() - started < 40
    finally:
        stop_kernel(km, kc)
    jsonschema.validate(view, SCHEMA)
    assert view["status"] == "unreachable" and view["runs"] == 0
    assert "ECONNREFUSED" in view["errors"][0], view["errors"]
