"""compat.md: the matrix for a pull request comment or a job summary."""

from __future__ import annotations

from .model import Report

EMOJI = {"supported": "✅", "unsupported": "⛔", "failed": "❌", "inconclusive": "❔", "skipped": "➖"}


def render_markdown(report: Report) -> str:
    env = report.environment
    lines = [
        "# Responses API compatibility",
        "",
        f"Source: **{env.source}** · openai {env.sdk} · Python {env.python} · suite {env.suite_version}"
        + (f" ({env.suite_commit})" if env.suite_commit else "")
        + f" · targets `{env.targets_file}` · {env.finished_at}",
        "",
        "| feature | " + " | ".join(f"`{t['id']}`" for t in report.targets) + " |",
        "|---|" + "---|" * len(report.targets),
    ]
    for feature in report.features:
        cells = []
        for target in report.targets:
            row = report.cell(feature.id, target["id"])
            cells.append(EMOJI[row.verdict] if row else "")
        lines.append(f"| {feature.id} | " + " | ".join(cells) + " |")
    lines += ["", "Legend: " + " · ".join(f"{e} {v}" for v, e in EMOJI.items()), ""]
    notable = [r for r in report.rows if r.verdict in ("unsupported", "failed", "inconclusive")]
    if notable:
        lines += ["## Evidence", ""]
        for row in notable:
            ev = row.evidence
            what = " ".join(str(ev[k]) for k in ("status", "code", "message") if ev.get(k)) or ev.get("detail", "")
            lines.append(f"- **{row.feature}** on `{row.target}`: {row.verdict}" + (f" by {ev['by']}" if ev.get("by") else "") + f" — {what}")
        lines.append("")
    return "\n".join(lines)
