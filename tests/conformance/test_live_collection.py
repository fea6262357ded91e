"""A live run runs the suites only, and the project's own tests never touch the user's journal."""

from __future__ import annotations

from pathlib import Path

from conformance.live.journal import DEFAULT_JOURNAL, journal_path
from live_support import ROOT, clean_env, run_pytest


def _collected(*args: str) -> list[str]:
    run = run_pytest("--live", "--collect-only", "-q", *args, env=clean_env())
    assert run.returncode == 0, run.stdout + run.stderr
    return [line for line in run.stdout.splitlines() if "::" in line]


def test_a_bare_live_run_collects_the_suites_and_none_of_tests() -> None:
    ids = _collected("--feature", "responses.retrieve")
    assert ids and all(i.startswith("suites/") for i in ids), ids


def test_a_live_run_of_the_whole_repository_still_leaves_tests_out() -> None:
    ids = _collected(".", "--feature", "responses.retrieve")
    assert ids and all(i.startswith("suites/") for i in ids), ids


def test_a_suite_under_tests_named_on_the_command_line_still_runs_live() -> None:
    # the project's crash fixtures are suites kept under tests/ and run live on purpose
    ids = _collected("tests/conformance/crashing/crash_suite.py")
    assert ids and all(i.startswith("tests/conformance/crashing/") for i in ids), ids


def test_the_project_tests_journal_outside_the_repository() -> None:
    for path in (journal_path(), Path(clean_env()["CONFORMANCE_JOURNAL"])):
        assert path != DEFAULT_JOURNAL and not path.resolve().is_relative_to(ROOT), path
