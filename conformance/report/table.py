"""The feature x target matrix in the terminal, with rich.

Target ids are long (`2025-04-01-preview-entra-gpt-4o@swedencentral`), so columns are
numbered and a key below the matrix names them: the matrix stays readable at any width.
"""

from __future__ import annotations

from typing import IO, Optional

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


def render_matrix(report: Report, width: Optional[int] = None, file: Optional[IO[str]] = None) -> None:
    needed = 4 + max((len(f.id) for f in report.features), default=10) + 5 * len(report.targets)
    console = Console(file=file, width=max(width or 0, needed), highlight=False)
    env = report.environment
    table = Table(title=f"Responses API compatibility ({env.source}, openai {env.sdk})", header_style="bold")
    table.add_column("feature", no_wrap=True)
    for number, _ in enumerate(report.targets, start=1):
        table.add_column(str(number), justify="center", no_wrap=True, min_width=2)
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
    for number, target in enumerate(report.targets, start=1):
        console.print(f"  [bold]{number:>2}[/] {target['id']}")
    console.print("  " + "  ".join(f"[{style}]{symbol}[/] {verdict} {counts.get(verdict, 0)}" for verdict, (symbol, style) in SYMBOLS.items()))
