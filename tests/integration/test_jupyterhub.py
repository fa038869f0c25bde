"""A team on JupyterHub: a real hub (PyPI jupyterhub, npm configurable-http-proxy) started with
docs/jupyterhub/jupyterhub_config.py, two users whose single-user servers (JupyterLab from .venv,
with the installed `gaissa` kernel) run measured cells through the hub's proxy, a real MLflow, a
real Pushgateway and a real Prometheus scraping it. Both users' records land in MLflow and in
Prometheus with their user, server, notebook and kernel id, equal to their local JSONL, and the
Grafana dashboard's queries answer per user. Every server runs on 127.0.0.1 and is stopped at the
end, however the test ends.

The test runs the hub without system accounts: the dummy authenticator and the simple local
process spawner, which runs every user's server as the hub's own user with a home of its own
under a temporary folder, whether the test runs as root (CI) or not. JupyterHub's default
LocalProcessSpawner needs a system account per user, so it could only run as root and only after
the test had made accounts on the machine."""
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import urllib.parse
import uuid
from collections import deque
from contextlib import ExitStack
from datetime import datetime, timezone

import pytest
import websocket

from conftest import REPO, run
from team_servers import (Server, flush_until_settled, free_port, get_json, local_records, metric_history,
                          mlflow_run, team_servers)

HUB_CONFIG = os.path.join(REPO, "docs", "jupyterhub", "jupyterhub_config.py")
DASHBOARD = os.path.join(REPO, "docs", "grafana", "gaissa-dashboard.json")
CHP = os.path.join(REPO, "node_modules", ".bin", "configurable-http-proxy")
BIN = os.path.dirname(sys.executable)  # .venv/bin: jupyterhub and jupyterhub-singleuser
USERS = {"alice": "", "bob": "gpu"}  # user: server name (alice the default server, bob a named one)
CELLS = {"alice": 2, "bob": 1}
NOTEBOOK = "experiments/train.ipynb"  # the same path in both users' homes
EXPERIMENT = "team-hub"
BUSY_CELL = "%%gaissa measure\nlet s = 0; for (let i = 0; i < 3e6; i++) s += i; s"


class ServerKernelClient:
    """A kernel of a Jupyter server reached through its websocket, as JupyterLab reaches it; offers
    the calls conftest.run makes of a jupyter_client client."""

    def __init__(self, url, token):
        self.ws = websocket.create_connection(url, header=[f"Authorization: token {token}"], timeout=30)
        self.session = uuid.uuid4().hex
        self.waiting = {"shell": deque(), "iopub": deque()}

    def execute(self, code):
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "", "session": self.session,
                       "date": datetime.now(timezone.utc).isoformat(), "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        return msg_id

    def _get(self, channel, timeout):
        deadline = time.monotonic() + timeout
        while not self.waiting[channel]:
            self.ws.settimeout(max(0.05, deadline - time.monotonic()))
            msg = json.loads(self.ws.recv())
            self.waiting.setdefault(msg["channel"], deque()).append(msg)
        return self.waiting[channel].popleft()

    def get_shell_msg(self, timeout):
        return self._get("shell", timeout)

    def get_iopub_msg(self, timeout):
        return self._get("iopub", timeout)

    def close(self):
        self.ws.close()


def hub_overlay(tmp, ports, token):
    """The test's own settings on top of the documented config: its ports and files, no system
    accounts, the .venv's programs, and an API token for the test itself."""
    settings = {
        "JupyterHub.bind_url": f"http://127.0.0.1:{ports['proxy']}",
        "JupyterHub.hub_bind_url": f"http://127.0.0.1:{ports['hub']}",
        "ConfigurableHTTPProxy.api_url": f"http://127.0.0.1:{ports['proxy_api']}",
        "ConfigurableHTTPProxy.command": [CHP],
        "JupyterHub.db_url": f"sqlite:///{tmp}/jupyterhub.sqlite",
        "JupyterHub.cookie_secret_file": f"{tmp}/cookie_secret",
        "JupyterHub.authenticator_class": "dummy",
        "Authenticator.allow_all": True,
        "JupyterHub.spawner_class": "simple",
        "SimpleLocalProcessSpawner.home_dir_template": f"{tmp}/home/{{username}}",
        "Spawner.cmd": [os.path.join(BIN, "jupyterhub-singleuser")],
        # Jupyter server refuses to run as root unless told: the servers run as the hub's user.
        "Spawner.args": ["--allow-root"] if os.getuid() == 0 else [],
        "Spawner.start_timeout": 120,
        "Spawner.http_timeout": 120,
        "JupyterHub.services": [{"name": "gaissa-test", "api_token": token}],
        "JupyterHub.load_roles": [{"name": "gaissa-test", "services": ["gaissa-test"],
                                   "scopes": ["admin:users", "admin:servers", "tokens"]}],
    }
    lines = [f"load_subconfig({HUB_CONFIG!r})", "c = get_config()"]
    lines += [f"c.{key} = {value!r}" for key, value in settings.items()]
    # A JUPYTER_PATH set for the test (a kernelspec of one's own build) reaches the users' servers.
    if os.environ.get("JUPYTER_PATH"):
        lines.append(f"c.Spawner.environment['JUPYTER_PATH'] = {os.environ['JUPYTER_PATH']!r}")
    path = os.path.join(tmp, "jupyterhub_config.py")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


class Hub:
    def __init__(self, stack, team):
        self.tmp = tempfile.mkdtemp(prefix="gaissa-hub-")
        stack.callback(shutil.rmtree, self.tmp, ignore_errors=True)
        ports = {name: free_port() for name in ("proxy", "hub", "proxy_api")}
        self.url = f"http://127.0.0.1:{ports['proxy']}"
        self.token = uuid.uuid4().hex
        config = hub_overlay(self.tmp, ports, self.token)
        env = {"MLFLOW_TRACKING_URI": team["mlflow_url"], "GAISSA_PUSHGATEWAY_URL": team["pushgateway_url"],
               "GAISSA_MLFLOW_EXPERIMENT": EXPERIMENT}
        self.server = Server([os.path.join(BIN, "jupyterhub"), "-f", config], f"{self.url}/hub/api/",
                             env=env, cwd=self.tmp)
        stack.callback(self.sweep)
        stack.callback(self.server.stop)  # the hub stops the proxy and the servers it spawned
        self.server.start().wait_ready(timeout=120)
        stack.callback(self.stop_servers)

    def api(self, path, body=None, method=None, token=None):
        return get_json(f"{self.url}/hub/api{path}", body, timeout=60, method=method,
                        headers={"authorization": f"token {token or self.token}"})

    def spawn(self, user, server_name):
        self.api(f"/users/{user}", body={}, method="POST")
        self.api(f"/users/{user}/servers/{server_name}" if server_name else f"/users/{user}/server",
                 body={}, method="POST")

    def wait_running(self, user, server_name, timeout=150):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.api(f"/users/{user}")["servers"].get(server_name)
            if server and server["ready"]:
                return f"{self.url}{server['url']}"
            assert server and server.get("pending") == "spawn", (server, self.server.output())
            time.sleep(0.5)
        raise AssertionError(f"{user}'s server not ready in {timeout} s: {self.server.output()}")

    def stop_servers(self, timeout=60):
        """Each user's server stopped, its kernels with it, before the hub goes."""
        for user, server_name in USERS.items():
            try:
                path = f"/users/{user}/servers/{server_name}" if server_name else f"/users/{user}/server"
                self.api(path, body={}, method="DELETE")
            except OSError:
                pass  # never started, or already gone
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if not any(self.api(f"/users/{user}").get("servers") for user in USERS):
                    return
            except OSError:
                return
            time.sleep(0.5)

    def sweep(self):
        """Whatever still runs from the users' homes (a server or kernel a failed stop left) is
        ended: the test leaves nothing running."""
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                cwd = os.readlink(f"/proc/{pid}/cwd")
                cmdline = open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace")
            except OSError:
                continue
            if cwd.startswith(self.tmp) or self.tmp in cmdline:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except OSError:
                    pass


def start_notebook_kernel(stack, base, token):
    """What JupyterLab does on opening a notebook: a session for its path with the gaissa kernel,
    then the kernel's websocket."""
    auth = {"authorization": f"token {token}"}
    get_json(f"{base}api/contents/{os.path.dirname(NOTEBOOK)}", {"type": "directory"}, method="PUT", headers=auth)
    get_json(f"{base}api/contents/{NOTEBOOK}", {"type": "notebook", "content": {
        "cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}}, method="PUT", headers=auth)
    session = get_json(f"{base}api/sessions", {"path": NOTEBOOK, "type": "notebook", "name": os.path.basename(NOTEBOOK),
                                               "kernel": {"name": "gaissa"}}, method="POST", headers=auth, timeout=120)
    kernel_id = session["kernel"]["id"]
    # Closing the notebook's session shuts its kernel down as JupyterLab would: its sinks get their
    # last seconds.
    stack.callback(get_json, f"{base}api/sessions/{session['id']}", method="DELETE", headers=auth, timeout=60)
    ws = base.replace("http://", "ws://", 1) + f"api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
    kc = ServerKernelClient(ws, token)
    stack.callback(kc.close)
    return kc, kernel_id


def prometheus_query(url, query):
    """An instant query's answer: [(labels, value)] for a vector, [(labels, [values])] for a range."""
    answer = get_json(f"{url}/api/v1/query?" + urllib.parse.urlencode({"query": query}))
    assert answer["status"] == "success", answer
    if answer["data"]["resultType"] == "matrix":
        return [(r["metric"], [float(v) for _, v in r["values"]]) for r in answer["data"]["result"]]
    return [(r["metric"], float(r["value"][1])) for r in answer["data"]["result"]]


def scraped(url, selector, count, timeout=30):
    """The selector's series once Prometheus has scraped each of `count` of them twice (it scrapes
    every second): a rate or increase over them needs two samples."""
    deadline = time.monotonic() + timeout
    while sum(len(values) >= 2 for _, values in prometheus_query(url, f"{selector}[5m]")) < count:
        assert time.monotonic() < deadline, prometheus_query(url, selector)
        time.sleep(0.5)
    return prometheus_query(url, selector)


@pytest.fixture(scope="module")
def team():
    with team_servers(prometheus=True) as started:
        yield started


def test_two_hub_users_measurements_land_in_mlflow_and_prometheus_attributed_and_equal_to_local(team):
    with ExitStack() as stack:
        hub = Hub(stack, team)
        for user, server_name in USERS.items():
            hub.spawn(user, server_name)
        kernels = {}
        for user, server_name in USERS.items():
            base = hub.wait_running(user, server_name)
            token = hub.api(f"/users/{user}/tokens", {"scopes": [f"access:servers!user={user}"]}, method="POST")["token"]
            kernels[user] = start_notebook_kernel(stack, base, token)
        for user, (kc, _) in kernels.items():
            for _ in range(CELLS[user]):
                reply, _ = run(kc, BUSY_CELL, timeout=90)
                assert reply["status"] == "ok", reply
        team["mlflow"].wait_ready()
        for user, (kc, _) in kernels.items():
            text = flush_until_settled(kc)
            n = CELLS[user]
            assert f"MLflow at {team['mlflow_url']}: {n} delivered, 0 waiting, 0 not delivered" in text, text
            assert f"Pushgateway at {team['pushgateway_url']}: {n} delivered, 0 waiting" in text, text
        homes = {user: os.path.join(hub.tmp, "home", user) for user in USERS}
        for user, server_name in USERS.items():
            # Jupyter server names the notebook to its kernel by its path on disk (given the
            # session's file name, as JupyterLab gives it); the records are written beside it.
            notebook = os.path.join(homes[user], NOTEBOOK)
            local = local_records(os.path.dirname(notebook))
            assert len(local) == CELLS[user]
            who = {"user": user, "server": server_name, "notebook": notebook, "kernel_id": kernels[user][1]}
            assert_in_mlflow(team["mlflow_url"], who, local)
            assert_in_prometheus(team["prometheus_url"], who, local)
            assert_dashboard_answers(team["prometheus_url"], who, local)


def assert_in_mlflow(url, who, local):
    """One run for the user's kernel in the team's experiment, attributed, equal to the local JSONL."""
    run_id, tags, _ = mlflow_run(url, EXPERIMENT, who["kernel_id"])
    assert tags["gaissa.user"] == who["user"] and tags["mlflow.user"] == who["user"]
    assert tags["gaissa.notebook"] == who["notebook"] and tags["gaissa.kernel_id"] == who["kernel_id"]
    assert tags.get("gaissa.server") == (who["server"] or None)  # none for the default server
    assert [tags[f"gaissa.record.{n}"] for n in range(1, len(local) + 1)] == [r["id"] for r in local]
    for key, field in [("gaissa.energy_J", "energyJ"), ("gaissa.co2e_g", "co2eG"), ("gaissa.duration_s", "durationS"),
                       ("gaissa.power_W", "powerW")]:
        assert metric_history(url, run_id, key) == [(n, r[field]) for n, r in enumerate(local, 1)]


def assert_in_prometheus(url, who, local):
    """The kernel's series as Prometheus scraped them from the Pushgateway (honor_labels), with
    their labels and the local records' totals."""
    series = scraped(url, f'{{__name__=~"gaissa_.+", kernel_id="{who["kernel_id"]}"}}', 3)
    names = {m["__name__"] for m, _ in series}
    assert names == {"gaissa_energy_joules_total", "gaissa_co2e_grams_total", "gaissa_power_watts"}, series
    for labels, _ in series:
        assert labels["user"] == who["user"] and labels["notebook"] == who["notebook"]
        assert labels.get("server", "") == who["server"]  # Prometheus drops an empty label
        assert labels["job"] == "gaissa" and labels["instance"] == who["kernel_id"]
    total = lambda name: sum(v for m, v in series if m["__name__"] == name)
    assert total("gaissa_energy_joules_total") == pytest.approx(sum(r["total"]["energyJ"] for r in local), rel=1e-9)
    assert total("gaissa_co2e_grams_total") == pytest.approx(sum(r["total"]["co2eG"] for r in local), rel=1e-9)
    assert total("gaissa_power_watts") == pytest.approx(local[-1]["powerW"], rel=1e-9)


def assert_dashboard_answers(url, who, local):
    """Every query of the Grafana dashboard, as Grafana sends it with this user picked in its user
    filter, answers with this user's series and figures."""
    user = who["user"]
    assert user in get_json(f"{url}/api/v1/label/user/values?"
                            + urllib.parse.urlencode({"match[]": "gaissa_energy_joules_total"}))["data"]
    with open(DASHBOARD) as f:
        panels = {p["title"]: [t["expr"] for t in p["targets"]] for p in json.load(f)["panels"]}
    at = lambda expr: prometheus_query(
        url, expr.replace("$user", user).replace("$server", ".*").replace("$notebook", ".*"))
    energy = sum(r["total"]["energyJ"] for r in local)
    for title, exprs in panels.items():
        answers = [at(expr) for expr in exprs]
        assert any(answers), (title, user, exprs)
        if "by (user)" in exprs[0]:
            assert [m["user"] for m, _ in answers[0]] == [user], (title, answers)
    assert at(panels["Energy per notebook"][0]) == [({"notebook": who["notebook"]}, pytest.approx(energy, rel=1e-9))]
    power = at(panels["Power per user (latest measurement of each kernel)"][0])
    assert power[0][1] == pytest.approx(local[-1]["powerW"], rel=1e-9)
    co2e = at(panels["CO2e per user"][0])
    assert co2e[0][1] == pytest.approx(sum(r["total"]["co2eG"] for r in local), rel=1e-9)
    measured, estimated = (sum(v for _, v in at(e)) for e in panels["Measured vs estimated energy"])
    assert measured + estimated == pytest.approx(energy, rel=1e-9)
    components = at(panels["Energy measured per hour, by component"][0])
    assert components and {m["component"] for m, _ in components} <= {"cpu", "gpu", "ram"}
