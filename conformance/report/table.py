"""The feature x target matrix in the terminal, with rich.

Target ids are long (`2025-04-01-preview-entra-gpt-4o@swedencentral`), so columns are
numbered and a key below the matrix names them: the matrix stays readable at any width.
"""

from __future__ import annotations

from typing import IO, Optional

from rich.console import Console
from rich.table import Table

from conformance.report.layout import layout
from conformance.report.model import Report

SYMBOLS = {
    "supported": ("✔", "green"),
    "unsupported": ("✘", "yellow"),
    "failed": ("FAIL", "bold red"),
    "inconclusive": ("?", "magenta"),
    "skipped": ("–", "dim"),
}


def render_matrix(report: Report, width: Optional[int] = None, file: Optional[IO[str]] = None) -> None:
    grid = layout(report)
    features = [f for _, group in grid.groups for f in group]
    needed = 7 + max((len(f.id) for f in features), default=10) + 5 * len(grid.columns)
    console = Console(file=file, width=max(width or 0, needed), highlight=False)
    env = report.environment
    table = Table(title=f"Responses API compatibility ({env.source}, openai {env.sdk})", header_style="bold")
    table.add_column("feature", no_wrap=True)
    for number, _ in enumerate(grid.columns, start=1):
        table.add_column(str(number), justify="center", no_wrap=True, min_width=2)
    counts: dict[str, int] = {}
    for family, group in grid.groups:
        table.add_row(f"[bold]{family}[/]", *[""] * len(grid.columns), end_section=False)
        for feature in group:
            cells = []
            for column in grid.columns:
                row = grid.cell(feature.id, column)
                if row is None:
                    cells.append("")
                    continue
                counts[row.verdict] = counts.get(row.verdict, 0) + 1
                symbol, style = SYMBOLS[row.verdict]
                cells.append(f"[{style}]{symbol}[/]")
            table.add_row("  " + feature.id, *cells)
    console.print(table)
    many = len(report.sdks) > 1
    for number, column in enumerate(grid.columns, start=1):
        console.print(f"  [bold]{number:>2}[/] {column.target.id}" + (f"  openai {column.sdk}" if many else ""))
    console.print("  " + "  ".join(f"[{style}]{symbol}[/] {verdict} {counts.get(verdict, 0)}" for verdict, (symbol, style) in SYMBOLS.items()))
