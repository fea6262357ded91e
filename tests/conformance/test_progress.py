"""A live run's progress per target: tests and features done, verdicts so far, an ETA, a line when done."""

from __future__ import annotations

import re

import conformance.pytest_plugin.progress as progress_module
from conformance.pytest_plugin.progress import Progress
from live_support import clean_env, run_pytest


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_line_every_interval_with_counts_and_an_eta_then_done() -> None:
    clock = _Clock()
    progress = Progress(clock)
    for n in range(4):
        progress.expect("t@x", f"n{n}", "responses.create" if n < 2 else "errors.auth")
    assert progress.finish("t@x", "n0", "supported") is None  # the first test: no news yet
    clock.now += progress_module.INTERVAL  # a slow target: a line after each interval
    line = progress.finish("t@x", "n1", "unsupported")
    assert line == "progress t@x: 2/4 tests, 1/2 features; ✔ 1 ✘ 1 FAIL 0 ? 0 – 0; ETA 0:30", line
    clock.now += 1
    assert progress.finish("t@x", "n2", "failed") is None
    assert progress.finish("t@x", "n3", "inconclusive") == "progress t@x: 4/4 tests, 2/2 features; ✔ 1 ✘ 1 FAIL 1 ? 1 – 0; done"


def test_a_live_run_prints_one_done_line_per_target() -> None:
    run = run_pytest("suites/test_responses.py", "--live", "-q", "-k", "retrieve_returns and gpt-4o and v1", env=clean_env())
    assert run.returncode == 0, run.stdout + run.stderr
    done = re.findall(r"^progress (\S+): (\d+)/(\d+) tests, \d+/\d+ features; .*; done$", run.stdout, re.M)
    targets = {t for t, _, _ in done}
    assert len(done) == len(targets) >= 2 and all(a == b for _, a, b in done), run.stdout


def test_replay_prints_no_progress() -> None:
    run = run_pytest("suites/test_responses.py", "-q", "-k", "retrieve_returns and gpt-4o and v1", env=clean_env())
    assert run.returncode == 0 and "progress " not in run.stdout, run.stdout
