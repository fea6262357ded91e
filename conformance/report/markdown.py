"""compat.md: the matrix for a pull-request comment or a GitHub job summary.

Both cap their input (a comment at 65,536 characters, a step summary at 1 MiB), so the page
stays under LIMIT: the matrix always fits, evidence is collapsed in <details> and cut short
with a pointer to compat.html when there is too much of it.
"""

from __future__ import annotations

from conformance.report.layout import layout
from conformance.report.model import Report, Row

EMOJI = {"supported": "✅", "unsupported": "⛔", "failed": "❌", "inconclusive": "❔", "skipped": "➖"}
LIMIT = 60 * 1024  # bytes, under GitHub's 64 KiB with room for a comment header


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def _what(row: Row) -> str:
    ev = row.evidence
    what = " ".join(str(ev[k]) for k in ("status", "code", "message") if ev.get(k)) or str(ev.get("detail", ""))
    return _escape(what[:300])


def _header(report: Report) -> list[str]:
    env = report.environment
    counts: dict[str, int] = {}
    for row in report.rows:
        counts[row.verdict] = counts.get(row.verdict, 0) + 1
    return [
        "# Responses API compatibility",
        "",
        f"Source: **{env.source}** · openai {env.sdk} · Python {env.python} · suite {env.suite_version}"
        + (f" ({env.suite_commit})" if env.suite_commit else "")
        + f" · targets `{env.targets_file}` · {env.finished_at}",
        "",
        " · ".join(f"{e} {v} **{counts.get(v, 0)}**" for v, e in EMOJI.items()),
        "",
    ]


def _matrix(report: Report) -> list[str]:
    grid = layout(report)
    heads = ["<br>".join(c.value(level) for level in grid.levels) for c in grid.columns]
    lines = ["| feature | " + " | ".join(heads) + " |", "|---|" + ":-:|" * len(heads)]
    for family, features in grid.groups:
        lines.append(f"| **{family}** |" + " |" * len(heads))
        for feature in features:
            cells = [EMOJI[row.verdict] if (row := grid.cell(feature.id, c)) else "" for c in grid.columns]
            lines.append(f"| {feature.id} | " + " | ".join(cells) + " |")
    return lines + [""]


def _sdk_support(report: Report) -> list[str]:
    if not report.sdk_support:
        return []
    sdks = report.sdks
    lines = ["## SDK support", "", "| feature | " + " | ".join(f"openai {s}" for s in sdks) + " | oldest that supports it | … on every target |",
             "|---|" + ":-:|" * len(sdks) + "---|---|"]
    for s in report.sdk_support:
        lines.append(f"| {s.feature} | " + " | ".join(EMOJI.get(s.verdicts.get(v, ""), "") for v in sdks)
                     + f" | {s.oldest_supported or 'none'} | {s.oldest_everywhere or 'none'} |")
    return lines + [""]


def _evidence(report: Report, budget: int) -> list[str]:
    notable = [r for r in report.rows if r.verdict in ("failed", "inconclusive", "unsupported")]
    if not notable:
        return []
    notable.sort(key=lambda r: ("failed", "inconclusive", "unsupported").index(r.verdict))
    items: list[str] = []
    used = 0
    for index, row in enumerate(notable):
        by = f" by {row.evidence['by']}" if row.evidence.get("by") else ""
        line = f"- {EMOJI[row.verdict]} **{row.feature}** on `{row.target}` (openai {row.sdk}): {row.verdict}{by} — {_what(row)}"
        if used + len(line.encode()) + 200 > budget:
            items.append(f"- … and {len(notable) - index} more: see compat.html or compat.json")
            break
        items.append(line)
        used += len(line.encode()) + 1
    return ["<details><summary>Evidence: " + f"{len(notable)} cells not supported</summary>", "", *items, "", "</details>", ""]


def _notes(report: Report) -> list[str]:
    noted = {f: s.notes for f, s in report.shapes.items() if s.notes}
    if not noted:
        return []
    lines = ["<details><summary>OpenAPI notes</summary>", ""]
    for feature, notes in noted.items():
        lines += [f"- **{feature}**: " + "; ".join(_escape(n) for n in notes[:5])]
    return lines + ["", "</details>", ""]


def render_markdown(report: Report, limit: int = LIMIT) -> str:
    head = "\n".join(_header(report) + _matrix(report) + _sdk_support(report) + ["Legend: " + " · ".join(f"{e} {v}" for v, e in EMOJI.items()), ""])
    notes = "\n".join(_notes(report))
    budget = limit - len(head.encode()) - len(notes.encode()) - 100
    if budget < 0:
        return head[: limit - 200] + "\n\n… the matrix is too wide for a summary: see compat.html\n"
    return head + "\n" + "\n".join(_evidence(report, budget)) + ("\n" + notes if notes else "")
