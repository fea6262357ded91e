"""Options are checked before the run: a bad one is a usage error at once, not after the run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from live_support import clean_env, run_pytest

SUITE = ("suites/test_responses.py", "-q", "-k", "retrieve and v1-key-gpt-4o")


def _usage_error(*args: str) -> str:
    run = run_pytest(*SUITE, *args, env=clean_env())
    assert run.returncode == 4, run.stdout + run.stderr
    assert "passed" not in run.stdout and "failed" not in run.stdout, run.stdout  # nothing ran
    assert "Traceback" not in run.stdout + run.stderr
    return run.stderr


def test_a_missing_openapi_file_is_refused_before_the_run(tmp_path: Path) -> None:
    assert f"--openapi {tmp_path / 'missing.json'}: no such file" in _usage_error("--openapi", str(tmp_path / "missing.json"))


def test_an_openapi_file_that_is_not_json_is_refused_before_the_run(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 3.1.0\n")
    assert "not a JSON OpenAPI file" in _usage_error("--openapi", str(spec))


@pytest.mark.parametrize("sub", ["", "deeper"])
def test_a_report_dir_on_a_file_is_refused_before_the_run(tmp_path: Path, sub: str) -> None:
    (tmp_path / "afile").write_text("")
    assert "is a file, not a directory" in _usage_error("--report-dir", str(tmp_path / "afile" / sub))


def test_block_network_with_live_is_a_usage_error() -> None:
    assert "--block-network contradicts --live" in _usage_error("--live", "--block-network")


def test_live_with_record_mode_none_calls_the_targets_and_says_live(tmp_path: Path) -> None:
    # No cassettes at all: a replay would fail every test, a live run passes them.
    run = run_pytest(*SUITE, "--live", "--record-mode=none", "--report-dir", str(tmp_path / "r"),
                     env=clean_env(CONFORMANCE_CASSETTES=str(tmp_path / "empty")))
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads((tmp_path / "r" / "compat.json").read_text())
    assert report["environment"]["source"] == "live"
    assert {row["verdict"] for row in report["rows"]} == {"supported"}
    assert not (tmp_path / "empty").exists()  # and nothing was recorded
