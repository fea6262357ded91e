"""`conformance diff OLD NEW`: what changed between two reports, regressions first.

Only transitions are listed (like wpt.fyi): a cell whose verdict is the same in both is not
mentioned. A regression is a cell that was `supported` and is now `unsupported` or `failed`,
or any cell that became `failed`; throttling (`inconclusive`) never is. Wire-shape drift
(fields and SSE events that appeared or vanished) is listed even when no verdict changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Optional

from conformance.report.cells import CellKey, keyed, label, order, sdk_is_dimension, summary
from conformance.report.model import Report, Row

Kind = Literal["regression", "change", "added", "removed"]
KINDS: tuple[Kind, ...] = ("regression", "change", "added", "removed")


@dataclass(frozen=True)
class Transition:
    key: CellKey
    kind: Kind
    old: Optional[Row]
    new: Optional[Row]

    @property
    def line(self) -> str:
        old = self.old.verdict if self.old else "(absent)"
        new = self.new.verdict if self.new else "(absent)"
        why = f"  [{summary(self.new)}]" if self.new and self.new.verdict != "supported" and summary(self.new) else ""
        return f"{self.kind.upper():<10} {label(self.key)}: {old} -> {new}{why}"


@dataclass(frozen=True)
class Drift:
    feature: str
    added_fields: list[str] = field(default_factory=list)
    removed_fields: list[str] = field(default_factory=list)
    added_events: list[str] = field(default_factory=list)
    removed_events: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        for sign, what, items in (("+", "field", self.added_fields), ("-", "field", self.removed_fields),
                                  ("+", "event", self.added_events), ("-", "event", self.removed_events)):
            out += [f"DRIFT      {self.feature}: {sign} {what} {item}" for item in items]
        return out


@dataclass
class Diff:
    transitions: list[Transition]
    drift: list[Drift]

    @property
    def regressions(self) -> list[Transition]:
        return [t for t in self.transitions if t.kind == "regression"]

    def lines(self) -> list[str]:
        return [t.line for t in self.transitions] + [line for d in self.drift for line in d.lines()]


def is_regression(old: str, new: str) -> bool:
    return (new == "failed" and old != "failed") or (old == "supported" and new == "unsupported")


def _kind(old: Optional[Row], new: Optional[Row]) -> Kind:
    if old is None:
        return "added"
    if new is None:
        return "removed"
    return "regression" if is_regression(old.verdict, new.verdict) else "change"


def diff_reports(old: Report, new: Report) -> Diff:
    with_sdk = sdk_is_dimension(old, new)
    before, after = keyed(old, with_sdk), keyed(new, with_sdk)
    transitions = []
    for key in set(before) | set(after):
        a, b = before.get(key), after.get(key)
        if a is not None and b is not None and a.verdict == b.verdict:
            continue
        transitions.append(Transition(key, _kind(a, b), a, b))
    transitions.sort(key=lambda t: (KINDS.index(t.kind), order(t.key)))
    return Diff(transitions, diff_shapes(old, new))


def diff_shapes(old: Report, new: Report) -> list[Drift]:
    """Per feature seen in both runs: fields and events that appeared or vanished."""
    drift = []
    for feature in [f for f in new.shapes if f in old.shapes]:
        a, b = old.shapes[feature], new.shapes[feature]
        d = Drift(feature, sorted(set(b.fields) - set(a.fields)), sorted(set(a.fields) - set(b.fields)),
                  sorted(set(b.events) - set(a.events)), sorted(set(a.events) - set(b.events)))
        if d.added_fields or d.removed_fields or d.added_events or d.removed_events:
            drift.append(d)
    return drift


def render_markdown(result: Diff) -> str:
    """For an issue body or a job summary; empty when nothing changed."""
    if not result.lines():
        return ""
    lines = ["## Compatibility changes", ""]
    if result.regressions:
        lines += [f"**{len(result.regressions)} regression(s)**", ""]
    lines += [f"- {t.line.split(maxsplit=1)[0].lower()}: {t.line.split(maxsplit=1)[1]}" for t in result.transitions]
    if result.drift:
        lines += ["", "<details><summary>Wire-shape drift</summary>", ""]
        lines += [f"- `{line[11:]}`" for d in result.drift for line in d.lines()]
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"
