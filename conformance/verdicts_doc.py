"""docs/verdicts.md's table of refusals, generated from UNSUPPORTED_RULES so the two cannot drift.

    python -m conformance.verdicts_doc          # rewrite the generated part of docs/verdicts.md
    python -m conformance.verdicts_doc --check  # exit 1 if it is stale (a test does the same)
"""

from __future__ import annotations

import sys
from pathlib import Path

from .verdicts import TRANSIENT_STATUSES, UNSUPPORTED_RULES

DOC = Path(__file__).resolve().parent.parent / "docs" / "verdicts.md"
BEGIN = "<!-- generated: python -m conformance.verdicts_doc -->"
END = "<!-- end generated -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_rules() -> str:
    """The generated block: one row per rule, then the transient statuses."""
    lines = [
        BEGIN,
        "| # | status | pattern (on `code message`, case-insensitive) | example error | source |",
        "|---|---|---|---|---|",
    ]
    for number, rule in enumerate(UNSUPPORTED_RULES, start=1):
        lines.append(f"| {number} | {rule.status} | `{_cell(rule.pattern)}` | {_cell(rule.example)} | {_cell(rule.source)} |")
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
            print(f"{DOC} is stale: run python -m conformance.verdicts_doc", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
