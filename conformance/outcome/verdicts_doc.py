"""docs/verdicts.md's tables of refusals and of feature subjects, generated from
UNSUPPORTED_RULES and conformance/model/features.py so the page and the code cannot drift.

    python -m conformance.outcome.verdicts_doc          # rewrite the generated part of docs/verdicts.md
    python -m conformance.outcome.verdicts_doc --check  # exit 1 if it is stale (a test does the same)
"""

from __future__ import annotations

import sys
from pathlib import Path

from conformance.model.features import FEATURES
from conformance.outcome.verdicts import TRANSIENT_STATUSES, UNKNOWN_WORDINGS, UNSUPPORTED_RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "verdicts.md"
BEGIN = "<!-- generated: python -m conformance.outcome.verdicts_doc -->"
END = "<!-- end generated -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _codes(codes: tuple[object, ...]) -> str:
    return ", ".join("null" if c is None else f"`{c}`" for c in codes) if codes else "any"


def render_rules() -> str:
    """The generated block: one row per rule, the unknown wordings, the subjects, the transient statuses."""
    lines = [
        BEGIN,
        "| # | scope | status | code | message (regex, case-insensitive) | real body | source | note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for number, rule in enumerate(UNSUPPORTED_RULES, start=1):
        pattern = f"`{_cell(rule.pattern)}`" if rule.pattern else "any"
        lines.append(f"| {number} | {rule.scope} | {rule.status} | {_codes(rule.codes)} | {pattern} | "
                     f"`{_cell(rule.example)}` | {_cell(rule.source)} | {_cell(rule.note)} |")
    lines += ["", "No real wording is public for these, so they are decided by status, code and param only:", ""]
    lines += [f"- {_cell(text)}" for text in UNKNOWN_WORDINGS]
    lines += ["", "What each feature is about (`conformance/model/features.py`, field `subjects`):", "",
              "| feature | subjects |", "|---|---|"]
    for feature in FEATURES.values():
        subjects = ", ".join(f"`{s}`" for s in feature.subjects) or "none: only refusals of the target count"
        lines.append(f"| `{feature.id}` | {subjects} |")
    lines += ["", "Transient statuses (verdict `inconclusive`): " + ", ".join(str(s) for s in sorted(TRANSIENT_STATUSES)) + ".", END]
    return "\n".join(lines)


def updated(text: str) -> str:
    """`text` with its generated block replaced by the current one."""
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return head + render_rules() + tail


def main(argv: list[str]) -> int:
    text = DOC.read_text(encoding="utf-8")
    fresh = updated(text)
    if "--check" in argv:
        if fresh != text:
            print(f"{DOC} is stale: run python -m conformance.outcome.verdicts_doc", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
