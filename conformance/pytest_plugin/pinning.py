"""The pytest side of the pinned verdicts (conformance.outcome.expectations): which file a run
compares with, the comparison in the process that holds every verdict, and the exit status.

`--expect FILE` compares any run (live too: pin your own resource's matrix); a replay of the
default targets with the committed cassettes compares with expectations/emulator.toml by
itself, so plain `pytest` / `make test` fails when a verdict moves. `--expect none` turns
that off. `--expect-update FILE` writes the run's verdicts instead of comparing. Under xdist
the controller does both, from the results the workers send (conformance.pytest_plugin.xdist).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import pytest

from conformance.outcome import expectations as pins
from conformance.model.features import FEATURES
from conformance.model.sdk import SDK_VERSION
from conformance.model.targets import DEFAULT_TARGETS
from conformance.pytest_plugin.xdist import is_worker

if TYPE_CHECKING:
    from conformance.pytest_plugin.session import RunState

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "expectations" / "emulator.toml"
OFF = "none"


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _bundled_applies(config: pytest.Config, state: "RunState", default_cassettes: bool) -> bool:
    """The bundled file pins the committed cassettes of the default targets, in replay."""
    return (not state.live and default_cassettes and BUNDLED.exists()
            and state.targets_path.resolve() == DEFAULT_TARGETS.resolve())


class Pinning:
    """Registered as a plugin in the process that sees every result (not in xdist workers)."""

    def __init__(self, state: "RunState", compare_with: Optional[Path], update: Optional[Path]) -> None:
        self.state = state
        self.update = update
        self.compare_with = compare_with
        self.expected: Optional[pins.Expectations] = None
        if compare_with is not None:
            try:
                self.expected = pins.load(compare_with)
            except pins.ExpectationsError as exc:
                raise pytest.UsageError(str(exc)) from None
        self.summary: list[str] = []
        self.failed = False

    def _outcomes(self) -> list[pins.Outcome]:
        return [pins.Outcome(r.feature, r.target.id, r.nodeid, r.verdict, r.evidence) for r in self.state.results.items]

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if exitstatus in (pytest.ExitCode.INTERRUPTED, pytest.ExitCode.USAGE_ERROR, pytest.ExitCode.INTERNAL_ERROR):
            return
        outcomes = self._outcomes()
        if self.update is not None:
            old = pins.load(self.update) if self.update.exists() else None
            new = pins.updated(old, outcomes, SDK_VERSION, list(FEATURES), [t.id for t in self.state.targets])
            pins.write(self.update, new, targets=_shown(self.state.targets_path))
            ran = len(pins.cells_of(outcomes))
            self.summary = [f"pinned {ran} cells that ran ({len(new.cells)} in all) in {_shown(self.update)}"]
            return
        if self.expected is None or self.compare_with is None:
            return
        min_sdk = {f.id: f.min_sdk for f in FEATURES.values()}
        transitions = pins.compare(self.expected, outcomes, SDK_VERSION, min_sdk)
        where = _shown(self.compare_with)
        if not transitions:
            if outcomes:
                self.summary = [f"every verdict that ran matches {where}"]
            return
        self.failed = True
        hint = f"{self._rerun()} --expect-update {where}, then review the diff"
        self.summary = pins.render(transitions, where, hint)
        if session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def _rerun(self) -> str:
        """The command that re-runs the whole suite like this run (to write the new pins)."""
        command = "pytest suites" + (" --live" if self.state.live else "")
        if self.state.targets_path.resolve() != DEFAULT_TARGETS.resolve():
            command += f" --targets {_shown(self.state.targets_path)}"
        return command

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.summary:
            return
        if self.failed:
            terminalreporter.section("pinned verdicts changed", sep="=", red=True, bold=True)
            for line in self.summary:
                terminalreporter.write_line(line)
        else:
            terminalreporter.write_line(self.summary[0])


def configure(config: pytest.Config, state: "RunState", default_cassettes: bool) -> None:
    """At configure time: resolve --expect / --expect-update and register the comparison."""
    if is_worker(config):
        return
    option = config.getoption("--expect")
    update = config.getoption("--expect-update")
    compare_with: Optional[Path] = None
    if update:
        if option and option != OFF:
            raise pytest.UsageError("--expect-update writes the verdicts, --expect compares with them: give one")
    elif option == OFF:
        pass
    elif option:
        compare_with = Path(option)
    elif _bundled_applies(config, state, default_cassettes):
        compare_with = BUNDLED
    if compare_with is None and not update:
        return
    config.pluginmanager.register(Pinning(state, compare_with, Path(update) if update else None), "conformance-pinning")
