"""Progress of a live run, per target: tests and features done, cells by verdict, an ETA.

A live run against real resources takes minutes per target; pytest's dots say nothing about
which target is slow or failing. A line per target is written when it finishes (and every
INTERVAL seconds while it runs), so CI logs show the same as the terminal.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Optional

import pytest

#: Seconds between two progress lines of one unfinished target.
INTERVAL = 30.0
ORDER = ("supported", "unsupported", "failed", "inconclusive", "skipped")
MARK = {"supported": "✔", "unsupported": "✘", "failed": "FAIL", "inconclusive": "?", "skipped": "–"}


def verdict_of(report: pytest.TestReport) -> str:
    """The verdict the plugin gave the test, read back from its (rewritten) pytest report."""
    if report.failed:
        return "failed"
    if hasattr(report, "wasxfail"):
        return "unsupported"
    if report.skipped:
        text = str(report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr or "")
        return "inconclusive" if "inconclusive" in text else "skipped"
    return "supported"


@dataclass
class _Target:
    tests: dict[str, str] = field(default_factory=dict)  # nodeid -> feature
    done: dict[str, str] = field(default_factory=dict)   # nodeid -> verdict
    started: Optional[float] = None
    last_line: float = 0.0


class Progress:
    """Counts per target; `line(target)` is what is printed."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.targets: dict[str, _Target] = defaultdict(_Target)

    def expect(self, target: str, nodeid: str, feature: str) -> None:
        self.targets[target].tests[nodeid] = feature

    def finish(self, target: str, nodeid: str, verdict: str) -> Optional[str]:
        """Record one test's verdict; the progress line to print now, or None."""
        state = self.targets[target]
        now = self.clock()
        if state.started is None:
            state.started = state.last_line = now
        if nodeid in state.done and verdict != "failed":
            return None  # a teardown after its call: the call's verdict stands
        state.done[nodeid] = verdict
        finished = len(state.done) >= len(state.tests)
        if finished or now - state.last_line >= INTERVAL:
            state.last_line = now
            return self.line(target)
        return None

    def line(self, target: str) -> str:
        state = self.targets[target]
        total, done = len(state.tests), len(state.done)
        features = set(state.tests.values())
        features_done = sum(1 for f in features if all(n in state.done for n, g in state.tests.items() if g == f))
        counts = Counter(state.done.values())
        verdicts = " ".join(f"{MARK[v]} {counts.get(v, 0)}" for v in ORDER)
        if done >= total:
            tail = "done"
        else:
            elapsed = self.clock() - (state.started or self.clock())
            eta = elapsed / max(done, 1) * (total - done)
            tail = f"ETA {int(eta) // 60}:{int(eta) % 60:02d}"
        return f"progress {target}: {done}/{total} tests, {features_done}/{len(features)} features; {verdicts}; {tail}"


class ProgressReporter:
    """The pytest side: which tests belong to which target, and a line when there is news."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.progress = Progress()
        self.target_of: dict[str, str] = {}

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        for item in session.items:  # after every deselection (--feature, -k, --lf)
            callspec = getattr(item, "callspec", None)
            target = callspec.params.get("target") if callspec else None
            marker = item.get_closest_marker("feature")
            if target is not None and marker is not None:
                self.target_of[item.nodeid] = target.id
                self.progress.expect(target.id, item.nodeid, str(marker.args[0]))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        target = self.target_of.get(report.nodeid)
        if target is None or (report.when != "call" and not (report.when == "setup" and not report.passed)
                              and not (report.when == "teardown" and report.failed)):
            return
        line = self.progress.finish(target, report.nodeid, verdict_of(report))
        terminal = self.config.pluginmanager.get_plugin("terminalreporter")
        if line is not None and terminal is not None:
            if getattr(terminal._tw, "width_of_current_line", 0):  # mid-way through a line of dots
                terminal._tw.line()
            terminal.write_line(line)
