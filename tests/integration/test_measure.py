"""%%gaissa measure, auto-measure, settings, the gaissa.meter comm and the CLI twin, through a real
Jupyter client against the installed kernel. The figures come from whichever meters this host offers
(RAPL, NVIDIA, or the estimator where no counter is readable): the tests ask the kernel which
(`%gaissa meters`) and check that every record says how it was obtained, consistently with that."""
import csv
import json
import os
import re
import subprocess
import threading
import time
import uuid

from conftest import REPO, run

MIME = "application/vnd.gaissa.measurement.v1+json"
CODECARBON_FIRST_COLUMNS = ["timestamp", "project_name", "run_id"]


COUNTERS = {"rapl", "nvml"}


def host_meters(kc):
    """{'cpu': 'rapl' | 'estimate', 'gpu': 'nvml' | None, 'ram': ...} as `%gaissa meters` reports them."""
    reply, outputs = run(kc, "%gaissa meters")
    assert reply["status"] == "ok"
    text = "".join(c["text"] for t, c in outputs if t == "stream")
    meters = {}
    for name in ("cpu", "gpu", "ram"):
        match = re.search(rf"^  {name}\s+(\S+)", text, re.M)
        assert match, text
        meters[name] = None if match.group(1) == "none" else match.group(1)
    return meters


def assert_consistent(record, host=None):
    """The record's method, estimated flag, components and coverage tell one story, and its meters
    are ones this host offers (a counter may fall back to the estimator, never the reverse)."""
    components = record["components"]
    assert set(components) >= {"cpu", "gpu", "ram"}
    present = {k: c for k, c in components.items() if c["method"] is not None}
    assert {"cpu", "ram"} <= set(present), "CPU and RAM always have a meter, a counter or the estimator"
    for name, c in components.items():
        assert c["energyJ"] >= 0 and c["method"] in (None, "estimate", *COUNTERS), (name, c)
        if host is not None:
            assert c["method"] in (host[name], "estimate" if host[name] else None), (name, c, host)
    estimated_parts = [k for k, c in present.items() if c["method"] == "estimate"]
    assert record["method"] in ("estimate", *COUNTERS)
    assert record["estimated"] is (record["method"] == "estimate")
    if estimated_parts:
        assert record["estimated"] is True, estimated_parts
    if record["estimated"]:
        assert record["constants"]["estimator"]["cpuTdpW"] > 0, "an estimate must say which constants it used"
        assert record["fallbackReasons"] or record["notes"], "an estimate must say why no counter measured it"
    if any(c["method"] == "rapl" for c in present.values()):
        assert record["constants"]["rapl"]["zones"], "a RAPL figure names its zones"
    if "coverage" in record:  # records say which share a counter measured (older ones do not)
        coverage = record["coverage"]
        assert 0 <= coverage <= 1 and record["estimated"] is (coverage < 1)
        assert record["provenance"] == ("measured" if coverage == 1 else "estimated" if coverage == 0 else "partly-measured")
        for name, c in present.items():
            assert 0 <= c["coverage"] <= 1, (name, c)
            if c["method"] == "estimate":
                assert c["coverage"] == 0, (name, c)
        total = sum(c["energyJ"] for c in present.values())
        if total > 0:
            weighted = sum(c["energyJ"] * c["coverage"] for c in present.values()) / total
            assert abs(coverage - weighted) < 1e-6, (coverage, weighted)


def records(outputs):
    """Measurement payloads among the outputs (display_data or the update that replaced it)."""
    return [c["data"][MIME] for t, c in outputs if t in ("display_data", "update_display_data") and MIME in c.get("data", {})]


def test_measured_cell_reports_an_honest_record_and_logs_it(kernel, bare_dir):
    _, kc = kernel
    host = host_meters(kc)
    reply, outputs = run(kc, "%%gaissa measure --repeat 3 --label busy\nlet s = 0;\nfor (let i = 0; i < 2e6; i++) s += i;\ns", timeout=120)
    assert reply["status"] == "ok"
    record = records(outputs)[-1]
    assert record["status"] == "ok" and record["label"] == "busy"
    assert record["energyJ"] > 0 and record["durationS"] > 0 and record["powerW"] > 0
    assert record["co2eG"] > 0
    assert_consistent(record, host)
    stats = record["repeat"]
    assert stats["n"] == 3 and len(stats["runs"]) == 3
    assert stats["energyJ"]["ci95"] is not None
    assert set(record["components"]) >= {"cpu", "gpu", "ram"}
    assert record["timeline"], "power timeline"
    # The cell's value is still its result.
    assert [c["data"]["text/plain"] for t, c in outputs if t == "execute_result"] == ["1999999000000"]
    # Records on disk: the CSV starts with CodeCarbon's columns; the JSON Lines holds the record.
    with open(os.path.join(bare_dir, "gaissa-emissions.csv")) as f:
        rows = list(csv.reader(f))
    assert rows[0][:3] == CODECARBON_FIRST_COLUMNS and len(rows) == 2
    with open(os.path.join(bare_dir, "gaissa-emissions.jsonl")) as f:
        assert json.loads(f.readline())["id"] == record["id"]


def test_a_failing_cell_still_records_what_it_used(kernel):
    _, kc = kernel
    reply, outputs = run(kc, '%%gaissa measure --no-log\nfor (let i = 0; i < 1e5; i++);\nthrow new Error("boom")')
    assert reply["status"] == "error" and reply["evalue"] == "boom"
    record = records(outputs)[-1]
    assert record["status"] == "error" and record["error"]["message"] == "boom"
    assert record["energyJ"] > 0
    assert_consistent(record)
    assert [t for t, _ in outputs][-1] == "error"
    assert run(kc, "1 + 1")[1][0][1]["data"]["text/plain"] == "2"


def test_an_interrupted_cell_is_recorded_as_interrupted(kernel):
    km, kc = kernel
    run(kc, "1")  # warm TypeScript first
    threading.Timer(1.0, km.interrupt_kernel).start()
    reply, outputs = run(kc, "%%gaissa measure --no-log\nwhile (true) {}", timeout=20)
    assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"
    assert records(outputs)[-1]["status"] == "interrupted"
    assert run(kc, "'alive'")[1][0][1]["data"]["text/plain"] == "'alive'"


def test_settings_change_the_next_measurement_and_bad_input_is_named(kernel):
    _, kc = kernel
    assert run(kc, "%gaissa config set region FR")[0]["status"] == "ok"
    fr = records(run(kc, "%%gaissa measure --no-log\n1")[1])[-1]
    se = records(run(kc, "%%gaissa measure --no-log --region SE\n1")[1])[-1]
    assert fr["region"] != se["region"]
    assert fr["carbonIntensityGPerKWh"] != se["carbonIntensityGPerKWh"]
    reply, _ = run(kc, "%gaissa config set region Atlantis")
    assert reply["status"] == "error" and "Atlantis" in reply["evalue"]
    reply, _ = run(kc, "%%gaissa measure --repeat 0\n1")
    assert reply["status"] == "error" and "--repeat" in reply["evalue"]


def test_auto_measure_measures_plain_cells_in_one_line(kernel):
    _, kc = kernel
    run(kc, "%gaissa measure on")
    _, outputs = run(kc, "2 * 21")
    (payload,) = [c for t, c in outputs if t == "display_data"]
    assert MIME in payload["data"] and "\n" not in payload["data"]["text/plain"].strip()
    assert payload["metadata"][MIME]["compact"] is True
    run(kc, "%gaissa measure off")
    _, outputs = run(kc, "2 * 21")
    assert [t for t, _ in outputs] == ["execute_result"]


def test_measure_function_and_manual_windows(kernel):
    _, kc = kernel
    reply, outputs = run(kc, "const m = await gaissa.measure(() => { let s = 0; for (let i = 0; i < 1e6; i++) s += i; return s; }, { log: false });\n[m.record.energyJ > 0, m.result]")
    assert reply["status"] == "ok" and outputs[-1][1]["data"]["text/plain"] == "[ true, 499999500000 ]"
    run(kc, "const meter = gaissa.meter(); await meter.begin('spread');")
    run(kc, "for (let i = 0; i < 1e6; i++);")
    reply, outputs = run(kc, "const w = await meter.end('spread', { log: false }); [w.record.label, w.record.energyJ > 0]")
    assert outputs[-1][1]["data"]["text/plain"] == "[ 'spread', true ]"


def test_live_meter_comm_applies_settings_and_streams_power(kernel):
    _, kc = kernel
    host = host_meters(kc)
    comm_id = uuid.uuid4().hex
    hello = {"type": "hello", "protocol": 1, "settings": {"region": "DE", "pue": 1.2, "defaultRepeats": 1, "autoMeasure": False}}
    kc.shell_channel.send(kc.session.msg("comm_open", {"comm_id": comm_id, "target_name": "gaissa.meter", "data": hello}))
    seen = {}
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not {"settings-applied", "power"} <= set(seen):
        msg = kc.get_iopub_msg(timeout=15)
        if msg["msg_type"] == "comm_msg" and msg["content"]["comm_id"] == comm_id:
            seen.setdefault(msg["content"]["data"]["type"], msg["content"]["data"])
    assert seen["settings-applied"]["settings"]["pue"] == 1.2
    assert seen["settings-applied"]["settings"]["region"] in ("DE", "DEU")
    power = seen["power"]
    assert power["powerW"] >= 0 and power["sessionEnergyJ"] >= 0
    # Live power is counted only where RAPL measures both CPU and RAM.
    counted = host["cpu"] == "rapl" and host["ram"] == "rapl"
    assert power["method"] == ("rapl" if counted else "estimate") and power["estimated"] is (not counted)
    # A later measurement uses the frontend's settings.
    assert records(run(kc, "%%gaissa measure --no-log\n1")[1])[-1]["pue"] == 1.2


def test_cli_twin_measures_a_real_command(bare_dir):
    busy = "const t = Date.now(); while (Date.now() - t < 600);"
    proc = subprocess.run(
        ["node", os.path.join(REPO, "bin", "gaissa.js"), "measure", "--json", "--repeat", "2", "--", "node", "-e", busy],
        cwd=bare_dir, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["repeat"]["n"] == 2 and record["durationS"] >= 0.55
    assert record["energyJ"] > 0 and record["components"]["cpu"]["energyJ"] > 0
    assert_consistent(record)
    assert os.path.exists(os.path.join(bare_dir, "gaissa-emissions.csv"))
    failing = subprocess.run(["node", os.path.join(REPO, "bin", "gaissa.js"), "measure", "--no-log", "--", "sh", "-c", "exit 3"],
                             cwd=bare_dir, capture_output=True, text=True, timeout=60)
    assert failing.returncode == 3 and "error" in failing.stdout
