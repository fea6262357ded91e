"""Pinned verdicts: the expected verdict of every (feature, target) cell, and what changed.

Like web-platform-tests' expectation metadata, a data file says what each cell of a target
matrix gives today, so a verdict that changes (a supported feature silently turning
`unsupported`, a refusal turning `failed`) fails the run with its evidence instead of
quietly changing a colour in the report. Pure: no pytest; the plugin feeds it the outcomes.

The file is TOML, one line per cell, sorted, a table per feature:

    sdk = "3.60.0"
    ["tools.mcp"]
    "2025-04-01-preview-key-gpt-4o@swedencentral" = { verdict = "unsupported", by = "service", tests = 2 }

`tests` is how many tests decided the cell; a run of fewer (a `-k` or one module) can only
show that the cell got worse, since the worst test decides a cell (verdicts.combine).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from conformance.model.sdk import version_tuple
from conformance.outcome.verdicts import SEVERITY, Evidence, Verdict, combine

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

Key = tuple[str, str]  # (feature, target id)
BY_VALUES = ("service", "sdk")


class ExpectationsError(Exception):
    """An expectation file that cannot be used; the message names the file and the fix."""


@dataclass(frozen=True)
class Expected:
    """One pinned cell."""

    verdict: Verdict
    by: Optional[str] = None
    tests: int = 0

    def label(self) -> str:
        return f"{self.verdict.value} (by {self.by})" if self.by else self.verdict.value


@dataclass
class Expectations:
    cells: dict[Key, Expected] = field(default_factory=dict)
    #: the openai SDK the file was written with: an older one may be unable to express a cell
    sdk: Optional[str] = None


@dataclass(frozen=True)
class Outcome:
    """One test's verdict, as the run decided it (conformance.pytest_plugin.results.TestResult, flattened)."""

    feature: str
    target: str
    nodeid: str
    verdict: Verdict
    evidence: Evidence


@dataclass(frozen=True)
class Cell:
    """What a run says about one cell: the combined verdict and the test that decided it."""

    verdict: Verdict
    by: Optional[str]
    tests: int
    decisive: Outcome


@dataclass(frozen=True)
class Transition:
    """A cell whose verdict is not the pinned one (``expected`` None: the cell is not pinned)."""

    feature: str
    target: str
    expected: Optional[Expected]
    actual: Cell

    def line(self) -> str:
        was = self.expected.label() if self.expected else "not pinned"
        now = Expected(self.actual.verdict, self.actual.by).label()
        return f"{self.feature} on {self.target}: expected {was}, got {now}"

    def evidence(self) -> str:
        ev, parts = self.actual.decisive.evidence, []
        reply = " ".join(str(p) for p in (ev.status, ev.code) if p)
        if reply:
            parts.append(f"HTTP {reply}" if ev.status else reply)
        for text in (ev.message, ev.detail):
            if text:
                parts.append(" ".join(text.split())[:300])
        return "; ".join(parts) or "no evidence recorded"


# ---------------------------------------------------------------------- reading and writing


def load(path: Path) -> Expectations:
    """Read an expectation file; ExpectationsError names the file, the cell and the fix."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExpectationsError(f"{path}: no such expectation file; write one from a run with "
                                f"`pytest --expect-update {path}`") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ExpectationsError(f"{path}: not a readable expectation file: {exc}") from None
    sdk = data.pop("sdk", None)
    if sdk is not None and not isinstance(sdk, str):
        raise ExpectationsError(f"{path}: `sdk` must be a version string such as \"3.60.0\"")
    cells: dict[Key, Expected] = {}
    for feature, targets in data.items():
        if not isinstance(targets, dict):
            raise ExpectationsError(f"{path}: [{feature!r}] must be a table of target id = {{ verdict = ... }}")
        for target, spec in targets.items():
            cells[(feature, target)] = _expected(path, feature, target, spec)
    return Expectations(cells=cells, sdk=sdk)


def _expected(path: Path, feature: str, target: str, spec: Any) -> Expected:
    where = f"{path}: {feature} on {target}"
    if not isinstance(spec, dict):
        raise ExpectationsError(f"{where}: expected {{ verdict = \"supported\" }}, got {spec!r}")
    unknown = sorted(set(spec) - {"verdict", "by", "tests"})
    if unknown:
        raise ExpectationsError(f"{where}: unknown key {', '.join(unknown)} (known: verdict, by, tests)")
    try:
        verdict = Verdict(spec.get("verdict"))
    except ValueError:
        known = ", ".join(v.value for v in Verdict)
        raise ExpectationsError(f"{where}: verdict {spec.get('verdict')!r} is not one of {known}") from None
    by = spec.get("by")
    if by is not None and (verdict is not Verdict.UNSUPPORTED or by not in BY_VALUES):
        raise ExpectationsError(f"{where}: `by` is \"service\" or \"sdk\", and only for unsupported")
    tests = spec.get("tests", 0)
    if not isinstance(tests, int) or tests < 0:
        raise ExpectationsError(f"{where}: `tests` must be a count, got {tests!r}")
    return Expected(verdict, by, tests)


HEADER = """\
# Pinned verdicts: the expected verdict of every (feature, target) cell of {targets}.
# A run given this file (pytest --expect FILE; replay of the default targets uses
# expectations/emulator.toml by itself) fails when a cell's verdict differs from its line.
# `tests`: how many tests decide the cell (a run of fewer only checks that none got worse).
# Written by a run, not by hand:  pytest suites --expect-update {path}
"""


def dump(expectations: Expectations, targets: str = "the targets file", path: str = "FILE") -> str:
    """The file's text: sorted, one line per cell, so a diff shows exactly the cells that moved."""
    lines = [HEADER.format(targets=targets, path=path)]
    if expectations.sdk:
        lines.append(f"sdk = {json.dumps(expectations.sdk)}\n")
    by_feature: dict[str, list[tuple[str, Expected]]] = defaultdict(list)
    for (feature, target), expected in expectations.cells.items():
        by_feature[feature].append((target, expected))
    for feature in sorted(by_feature):
        lines.append(f"\n[{json.dumps(feature)}]\n")
        for target, expected in sorted(by_feature[feature]):
            fields = [f"verdict = {json.dumps(expected.verdict.value)}"]
            if expected.by:
                fields.append(f"by = {json.dumps(expected.by)}")
            fields.append(f"tests = {expected.tests}")
            lines.append(f"{json.dumps(target)} = {{ {', '.join(fields)} }}\n")
    return "".join(lines)


def write(path: Path, expectations: Expectations, targets: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(expectations, targets=targets, path=str(path)), encoding="utf-8")


# ---------------------------------------------------------------------- comparing


def cells_of(outcomes: Iterable[Outcome]) -> dict[Key, Cell]:
    """Per cell that ran, its verdict: the combine() of its tests, decided by the worst one."""
    groups: dict[Key, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[(outcome.feature, outcome.target)].append(outcome)
    cells = {}
    for key, group in groups.items():
        group.sort(key=lambda o: o.nodeid)  # xdist delivers in any order: be deterministic
        verdict = combine([o.verdict for o in group])
        decisive = min(group, key=lambda o: SEVERITY.index(o.verdict))
        by = (decisive.evidence.by or "service") if verdict is Verdict.UNSUPPORTED else None
        cells[key] = Cell(verdict, by, len(group), decisive)
    return cells


def _sdk_cannot_run(cell: Cell, min_sdk: Optional[str], sdk: str, pinned_with: Optional[str]) -> bool:
    """An SDK older than the feature needs (or than the file was written with) cannot express
    the request: the tox SDK axis replays such SDKs, and that is not the service changing."""
    if cell.verdict is not Verdict.UNSUPPORTED or cell.by != "sdk":
        return False
    installed = version_tuple(sdk)
    too_old_for_feature = min_sdk is not None and installed < version_tuple(min_sdk)
    older_than_file = pinned_with is not None and installed < version_tuple(pinned_with)
    return too_old_for_feature or older_than_file


def _same(expected: Expected, cell: Cell) -> bool:
    return expected.verdict is cell.verdict and (cell.verdict is not Verdict.UNSUPPORTED or expected.by == cell.by)


def _worse(cell: Cell, expected: Expected) -> bool:
    return SEVERITY.index(cell.verdict) < SEVERITY.index(expected.verdict)


def compare(expectations: Expectations, outcomes: Iterable[Outcome], sdk: str,
            min_sdk: Optional[dict[str, str]] = None) -> list[Transition]:
    """The cells of this run whose verdict is not the pinned one, in file order.

    Only cells that ran count. A cell that ran fewer tests than pinned is a transition only
    if it got worse. `min_sdk` (feature -> version) excuses cells an old SDK cannot express.
    """
    transitions = []
    for key, cell in sorted(cells_of(outcomes).items()):
        expected = expectations.cells.get(key)
        if _sdk_cannot_run(cell, (min_sdk or {}).get(key[0]), sdk, expectations.sdk):
            continue
        if expected is not None:
            if _same(expected, cell):
                continue
            if cell.tests < expected.tests and not _worse(cell, expected):
                continue
        transitions.append(Transition(key[0], key[1], expected, cell))
    return transitions


def updated(old: Optional[Expectations], outcomes: Iterable[Outcome], sdk: str,
            features: Sequence[str], targets: Sequence[str]) -> Expectations:
    """`old` with the cells of this run written over it; cells of features or targets that no
    longer exist are dropped, cells this run did not reach are kept."""
    cells = {key: e for key, e in (old.cells if old else {}).items() if key[0] in features and key[1] in targets}
    for key, cell in cells_of(outcomes).items():
        cells[key] = Expected(cell.verdict, cell.by, cell.tests)
    return Expectations(cells=cells, sdk=sdk)


def render(transitions: Sequence[Transition], path: str, update_hint: str) -> list[str]:
    """The summary a run prints: each transition, its evidence, and how to accept the change."""
    one = len(transitions) == 1
    lines = [f"{len(transitions)} verdict{'' if one else 's'} differ{'s' if one else ''} from {path}:"]
    for t in transitions:
        lines.append(f"  {t.line()}")
        lines.append(f"      evidence: {t.evidence()}")
        lines.append(f"      test: {t.actual.decisive.nodeid}")
    lines.append(f"If the change is intended, pin the new verdicts: {update_hint}")
    return lines
