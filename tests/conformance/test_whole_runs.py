"""Whole runs of (part of) the suite in a subprocess, read back from compat.json.

Three promises are checked end to end: a live run against an emulator injecting ~20% faults
ends with no ``failed`` verdict (every hit cell is ``supported`` after a retry or
``inconclusive`` with the fault as evidence), and ``pytest -n 2`` gives the serial run's
verdict table, offline and live, and (offline) the serial run's whole report, wire shapes and
``--openapi`` notes included.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import forkserver

from conformance.outcome.stream_errors import TRANSIENT_CODES

ROOT = Path(__file__).resolve().parents[2]
TEST_JOURNAL = os.environ["CONFORMANCE_JOURNAL"]  # tests/conftest.py: never the user's journal
pytest.importorskip("xdist")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("CONFORMANCE_") and k not in ("IDENTITY_ENDPOINT", "IDENTITY_HEADER", "PYTEST_ADDOPTS")}
    env["PYTHONPATH"] = str(ROOT)
    env["CONFORMANCE_JOURNAL"] = TEST_JOURNAL
    env.update(extra)
    return env


def _start_run(report: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--rootdir={ROOT}",
               "-c", str(ROOT / "pyproject.toml"), "--report-dir", str(report), *args]
    return forkserver.Popen(command, cwd=ROOT, env=_env(**env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _finish(proc: subprocess.Popen[str], report: Path) -> dict[str, Any]:
    out, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, out[-3000:]
    return json.loads((report / "compat.json").read_text())  # type: ignore[no-any-return]


def _table(report: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {(row["feature"], row["target"]): row["verdict"] for row in report["rows"]}


def _same_table_serial_and_parallel(tmp_path: Path, *args: str) -> None:
    serial = _start_run(tmp_path / "serial", *args)
    parallel = _start_run(tmp_path / "parallel", "-n", "2", *args)
    one, two = _finish(serial, tmp_path / "serial"), _finish(parallel, tmp_path / "parallel")
    assert _table(one), "the run recorded no verdicts"
    assert _table(two) == _table(one)


#: Small on purpose (each run is a pytest process, and -n 2 starts two more): every api
#: flavour's verdict kind (supported on v1, unsupported on dated) and every background test.
SUBSET = ("suites/test_background.py", "suites/test_errors.py", "-k", "v1-key or 2025-04-01-preview-key")

#: A spec of our own that every response deviates from (a field no service sends is required),
#: so the notes are not empty and a worker that drops the bodies shows.
_SPEC = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
         "components": {"schemas": {"Response": {"type": "object", "required": ["no_service_sends_this"]}}}}


def _comparable(report: dict[str, Any]) -> dict[str, Any]:
    """The report without what differs between any two runs: timings, timestamps, row order."""
    environment = {k: v for k, v in report["environment"].items() if k not in ("started_at", "finished_at")}
    rows = sorted(({k: v for k, v in row.items() if k != "duration"} for row in report["rows"]),
                  key=lambda row: (row["feature"], row["target"]))
    return {**report, "environment": environment, "rows": rows}


@pytest.fixture(scope="module")
def offline_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    """One offline run serial and one with ``-n 2`` (the same arguments): the background and
    error tests on a v1 and a dated target, responses and streams on v1, with ``--openapi``.
    Both tests below read this one pair (each run is a pytest process, ``-n 2`` two more)."""
    tmp = tmp_path_factory.mktemp("offline-pair")
    spec = tmp / "spec.json"
    spec.write_text(json.dumps(_SPEC))
    args = ("suites/test_background.py", "suites/test_errors.py", "suites/test_responses.py", "suites/test_streaming.py",
            "-k", "v1-key or (2025-04-01-preview-key and (background or errors))", "--openapi", str(spec))
    serial = _start_run(tmp / "serial", *args)
    parallel = _start_run(tmp / "parallel", "-n", "2", *args)
    return _finish(serial, tmp / "serial"), _finish(parallel, tmp / "parallel")


def test_two_workers_give_the_serial_verdicts_offline(offline_pair):
    one, two = offline_pair
    assert _table(one), "the run recorded no verdicts"
    assert {r["verdict"] for r in one["rows"]} >= {"supported", "unsupported"}  # v1 and a dated api-version
    assert _table(two) == _table(one)


def test_two_workers_give_the_serial_report_shapes_included(offline_pair):
    one, two = offline_pair
    shapes = one["shapes"]
    assert any(s["fields"] for s in shapes.values()) and any(s["events"] for s in shapes.values()), shapes
    assert any(s["notes"] for s in shapes.values()), "the spec's required field gave no note"
    assert _comparable(two) == _comparable(one)


@pytest.mark.skipif(not os.environ.get("CONFORMANCE_SLOW"), reason="slow (three live runs); set CONFORMANCE_SLOW=1")
def test_two_workers_give_the_serial_verdicts_live(tmp_path):
    # Each worker starts its own embedded emulator; nothing is recorded.
    _same_table_serial_and_parallel(tmp_path, "--live", *SUBSET)


def _fault_signature(evidence: dict[str, Any]) -> bool:
    if evidence.get("status") in (408, 409, 429, 500, 502, 503, 504):
        return True
    if (evidence.get("code") or "").lower() in TRANSIENT_CODES:
        return True
    detail = evidence.get("detail") or ""
    return any(word in detail for word in ("Connection", "Timeout", "RemoteProtocolError", "ReadError", "StillPending"))


@pytest.mark.parametrize("selection", ["v1-key", "v1-preview-key"])  # one run each: they can go side by side
def test_a_live_run_with_injected_faults_has_no_failed_verdicts(tmp_path, selection):
    ready = tmp_path / "ready.json"
    emulator = forkserver.Popen(
        [sys.executable, "-m", "emulator", "--port", "0", "--ready-file", str(ready),
         "--faults", "0.2", "--fault-seed", "7", "--api-key", "fault-key"],
        cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(500):
            if ready.exists():
                break
            assert emulator.poll() is None, "the emulator did not start"
            subprocess.run(["sleep", "0.02"], check=True)
        info = json.loads(ready.read_text())
        url = info["resources"]["aoai-swc"]["url"]
        run = _start_run(tmp_path / "report", "--live", "suites/test_responses.py", "suites/test_background.py",
                         "suites/test_streaming.py", "suites/test_errors.py", "-k", selection,
                         CONFORMANCE_EMULATOR=url)
        report = _finish(run, tmp_path / "report")
        with urllib.request.urlopen(f"{url}/emulator/info", timeout=5) as reply:
            injected = json.loads(reply.read())["faults"]
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)

    assert sum(injected.values()) >= 10, f"too few faults to prove anything: {injected}"
    rows = report["rows"]
    failed = [(r["feature"], r["target"], r["evidence"]) for r in rows if r["verdict"] == "failed"]
    assert not failed, f"faults turned into failures: {failed}"
    for row in rows:
        if row["verdict"] == "inconclusive":
            assert _fault_signature(row["evidence"]), row
    assert sum(r["verdict"] == "supported" for r in rows) > len(rows) / 2
