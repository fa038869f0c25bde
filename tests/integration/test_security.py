"""Messages with a wrong or missing HMAC signature are dropped without executing anything."""
import re
import time

import zmq
from jupyter_client.manager import start_new_kernel
from jupyter_client.session import Session

from conftest import run


def forged_execute(km, key, code):
    """Sends an execute_request signed with `key` on a fresh shell connection; returns its msg_id."""
    ctx = zmq.Context.instance()
    sock = ctx.socket(zmq.DEALER)
    sock.linger = 0
    sock.connect(f"tcp://{km.ip}:{km.shell_port}")
    session = Session(key=key)
    msg = session.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                          "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    session.send(sock, msg)
    return sock, msg["header"]["msg_id"]


def test_wrong_key_and_empty_signature_do_not_execute(kernel):
    km, kc = kernel
    socks = []
    forged_ids = set()
    for key in (b"not-the-kernel-key", b""):
        sock, msg_id = forged_execute(km, key, "(globalThis as any).pwned = true; 1")
        socks.append(sock)
        forged_ids.add(msg_id)
    time.sleep(1.0)
    for sock in socks:
        assert sock.poll(500) == 0, "the kernel answered a forged message"
        sock.close()
    reply, outputs = run(kc, "typeof (globalThis as any).pwned")
    assert outputs[0][1]["data"]["text/plain"] == "'undefined'"
    # Nothing was published for the forged requests either (no busy, no execute_input).
    seen = []
    while True:
        try:
            seen.append(kc.get_iopub_msg(timeout=0.2))
        except Exception:
            break
    assert not [m for m in seen if m["parent_header"].get("msg_id") in forged_ids]


def test_dropped_messages_are_logged_without_any_signature(bare_dir, tmp_path):
    log = tmp_path / "kernel.log"
    with open(log, "w") as err:
        km, kc = start_new_kernel(kernel_name="gaissa", cwd=bare_dir, stderr=err, startup_timeout=60)
    try:
        sock, _ = forged_execute(km, b"wrong", "1")
        time.sleep(0.5)
        sock.close()
        assert run(kc, "1")[0]["status"] == "ok"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    text = log.read_text()
    assert "dropped a message: bad signature" in text
    assert km.session.key.decode() not in text
    # No 64-hex-digit HMAC digest of any kind is written to the log.
    assert not re.search(r"\b[0-9a-f]{64}\b", text)


def test_signed_message_with_a_deeply_nested_header_does_not_wedge_the_shell(kernel):
    """A reply echoes the request's header: one nested past JSON.stringify's recursion used to
    throw while publishing busy, outside the error handling, and leave the shell busy for good
    (the heartbeat still answered, so Jupyter never noticed)."""
    km, kc = kernel
    assert run(kc, "1")[0]["status"] == "ok"
    ctx = zmq.Context.instance()
    sock = ctx.socket(zmq.DEALER)
    sock.linger = 0
    sock.connect(f"tcp://{km.ip}:{km.shell_port}")
    depth = 5000
    header = ('{"msg_id":"deep","msg_type":"execute_request","session":"s","username":"u",'
              '"date":"","version":"5.3","x":' + "[" * depth + "]" * depth + "}").encode()
    parts = [header, b"{}", b"{}", b'{"code":"1","silent":false}']
    sock.send_multipart([b"<IDS|MSG>", kc.session.sign(parts), *parts])
    time.sleep(0.5)
    sock.close()
    reply, outputs = run(kc, "'still answering'", timeout=10)
    assert reply["status"] == "ok"
    assert outputs[0][1]["data"]["text/plain"] == "'still answering'"
