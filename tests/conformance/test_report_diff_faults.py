"""`conformance diff` / `merge` after a faulted run: no drift from errors, readable evidence,
no traceback when piped into `head`, and no silent choice between two runs of one SDK."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conformance import cli
from conformance.report import write_all
from conformance.report.build import build_shapes
from conformance.report.cells import summary
from conformance.report.model import Row
from conformance.pytest_plugin.results import HttpLog
from conformance.pytest_plugin.results import TestResult as Result
from conformance.model.targets import load_targets
from conformance.outcome.verdicts import Evidence, Verdict
from live_support import ROOT, clean_env
from sample_reports import TARGETS, grid, make_report

OK = {"object": "response", "status": "completed", "output": []}
ERROR = {"error": {"code": "429", "message": "Rate limit", "innererror": {"x": 1}}}


def _result(verdict: Verdict, *exchanges: tuple[int, dict], events: tuple[str, ...] = (), feature: str = "responses.create") -> Result:
    log = HttpLog()
    for status, body in exchanges:
        log.observe(status, {}, body)
    for event in events:
        log.observe_event({"type": event})
    target = load_targets(ROOT / "targets" / "emulator.toml")[0]
    return Result(feature, target, "n", verdict, Evidence(), 0.1, shape=log.shape)


def test_error_bodies_fault_events_and_inconclusive_tests_are_not_wire_shape() -> None:
    clean = build_shapes([_result(Verdict.SUPPORTED, (200, OK), events=("response.created", "response.completed"))], None)
    faulted = build_shapes([
        _result(Verdict.SUPPORTED, (200, OK), (429, ERROR), events=("response.created", "error", "response.completed")),
        _result(Verdict.INCONCLUSIVE, (200, {**OK, "partial": True}), events=("response.created",)),
        _result(Verdict.UNSUPPORTED, (400, ERROR)),
    ], None)
    assert faulted["responses.create"].fields == clean["responses.create"].fields
    assert faulted["responses.create"].events == clean["responses.create"].events


def test_an_error_feature_keeps_its_error_body_as_shape() -> None:
    shapes = build_shapes([_result(Verdict.SUPPORTED, (401, ERROR), feature="errors.auth")], None)
    assert "error.code: string" in shapes["errors.auth"].fields


def _row(**evidence: object) -> Row:
    return Row(feature="responses.create", target=TARGETS[0].id, sdk="1", verdict="inconclusive", tests=1,
               duration=0.1, evidence=evidence)


def test_throttling_says_its_status_once_and_a_dropped_connection_says_what_happened() -> None:
    assert summary(_row(status=429, code="429", message="Rate limit is exceeded")) == "429 Rate limit is exceeded"
    dropped = summary(_row(status=200, detail="RemoteProtocolError: peer closed connection"))
    assert dropped == "200 RemoteProtocolError: peer closed connection"


def test_diff_into_head_ends_without_a_traceback(tmp_path: Path) -> None:
    old = write_all(make_report(grid()), tmp_path / "old")[0]
    # head exits after one line; the writer then hits the closed pipe
    big = {(f, f"{t.id}-{i}"): "failed" for f in ("responses.create", "errors.auth", "tools.mcp") for t in TARGETS
           for i in range(400)}  # more than a pipe holds
    new = write_all(make_report(big), tmp_path / "big")[0]
    run = subprocess.run(["bash", "-c", f"{sys.executable} -m conformance.cli diff {old} {new} | head -1"],
                         cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=60)
    assert len(run.stdout.splitlines()) == 1, run.stdout
    assert "Traceback" not in run.stderr and "BrokenPipe" not in run.stderr, run.stderr


def test_merging_two_reports_of_the_same_sdk_is_refused_naming_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = str(write_all(make_report(grid(), sdk="1.99.0"), tmp_path / "a")[0])
    b = str(write_all(make_report(grid("failed"), sdk="1.99.0"), tmp_path / "b")[0])
    c = str(write_all(make_report(grid(), sdk="2.8.0"), tmp_path / "c")[0])
    assert cli.main(["merge", a, b, c, "-o", str(tmp_path / "m" / "compat.json")]) == 2
    err = capsys.readouterr().err
    assert f"two reports of the same SDK (openai 1.99.0: {a}, {b})" in err, err
    assert not (tmp_path / "m").exists()
