"""`conformance history REPORTS...`: per cell, when its verdict changed across many runs.

Reports are put in time order (their finished_at), so a shell glob of nightly artifacts
works whatever the file names. A cell whose verdict never changed is not shown unless asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Optional

from rich.console import Console

from conformance.report.cells import CellKey, keyed, label, order, sdk_is_dimension
from conformance.report.model import Report
from conformance.report.table import SYMBOLS


@dataclass(frozen=True)
class Change:
    """From this run on (until the next change), the cell had this verdict; None = absent."""

    run: str
    verdict: Optional[str]


def _run_label(report: Report) -> str:
    env = report.environment
    return env.finished_at[:16].replace("T", " ") + (f" {env.suite_commit}" if env.suite_commit else "")


def history(reports: list[Report], include_unchanged: bool = False) -> dict[CellKey, list[Change]]:
    runs = sorted(reports, key=lambda r: r.environment.finished_at)
    with_sdk = sdk_is_dimension(*runs)
    tables = [keyed(r, with_sdk) for r in runs]
    keys = sorted({k for t in tables for k in t}, key=order)
    result: dict[CellKey, list[Change]] = {}
    for key in keys:
        changes: list[Change] = []
        for report, table in zip(runs, tables):
            row = table.get(key)
            verdict = row.verdict if row else None
            if not changes or changes[-1].verdict != verdict:
                if changes or verdict is not None:
                    changes.append(Change(_run_label(report), verdict))
        if include_unchanged or len(changes) > 1:
            result[key] = changes
    return result


def render_history(cells: dict[CellKey, list[Change]], runs: int, file: Optional[IO[str]] = None,
                   width: Optional[int] = None) -> None:
    """One block per cell: its label, then one line per verdict it took and since when.

    Not a table: a cell label is up to ~60 characters and a history has any number of steps,
    so two columns wrap into an unreadable grid at 80 columns; lines do not."""
    console = Console(file=file, highlight=False, width=width or (200 if file is not None else None))
    if not cells:
        console.print(f"no cell changed its verdict across {runs} report(s)")
        return
    console.print(f"[bold]Verdict changes across {runs} report(s)[/]")
    for key, changes in cells.items():
        console.print(f"\n[bold]{label(key)}[/]", overflow="fold")
        for change in changes:
            symbol, style = SYMBOLS.get(change.verdict or "", ("·", "dim"))
            console.print(f"  [{style}]{symbol} {change.verdict or 'absent'}[/] since {change.run}", overflow="fold")
