"""The feature x target matrix in the terminal, with rich."""

from __future__ import annotations

from typing import IO, Any, Optional

from rich.console import Console
from rich.table import Table

from .model import Report

SYMBOLS = {
    "supported": ("✔", "green"),
    "unsupported": ("✘", "yellow"),
    "failed": ("FAIL", "bold red"),
    "inconclusive": ("?", "magenta"),
    "skipped": ("–", "dim"),
}


def _short(target: dict[str, Any]) -> str:
    api = target["api"] if not target.get("api_version_query") else f"v1?{target['api_version_query']}"
    api = api.replace("-preview", "p")
    return f"{api}\n{target['auth']}\n{target['deployment']}\n{target['region']}"


def render_matrix(report: Report, width: Optional[int] = None, file: Optional[IO[str]] = None) -> None:
    console = Console(file=file, width=max(width or 160, 160), highlight=False)
    table = Table(title=f"Responses API compatibility ({report.environment.source}, openai {report.environment.sdk})",
                  show_lines=False, header_style="bold")
    table.add_column("feature", no_wrap=True)
    for target in report.targets:
        table.add_column(_short(target), justify="center")
    counts: dict[str, int] = {}
    for feature in report.features:
        cells = []
        for target in report.targets:
            row = report.cell(feature.id, target["id"])
            if row is None:
                cells.append("")
                continue
            counts[row.verdict] = counts.get(row.verdict, 0) + 1
            symbol, style = SYMBOLS[row.verdict]
            cells.append(f"[{style}]{symbol}[/]")
        table.add_row(feature.id, *cells)
    console.print(table)
    legend = "  ".join(f"[{SYMBOLS[v][1]}]{SYMBOLS[v][0]}[/] {v} ({counts.get(v, 0)})" for v in SYMBOLS)
    console.print(legend)
