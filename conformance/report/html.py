"""compat.html: one self-contained page (no external assets) with the grouped matrix,
evidence on click and filters. State can come from the URL hash (`#q=entra&verdict=failed&cell=...`)
so a link can point at a cell, and so a headless browser test can drive it."""

from __future__ import annotations

import json
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from conformance.report.layout import layout
from conformance.report.model import Report

#: Distinct in shape, not only in colour (as in the terminal matrix): a refusal is a ✘, a broken
#: contract the word FAIL.
SYMBOL = {"supported": "✔", "unsupported": "✘", "failed": "FAIL", "inconclusive": "?", "skipped": "–"}

_env = Environment(loader=PackageLoader("conformance.report", "templates"), autoescape=select_autoescape(["html", "j2"]))


def _json(value: Any) -> str:
    """JSON safe inside <script>: no `</` can close the element early."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def render_html(report: Report) -> str:
    grid = layout(report)
    cells = {f"{f}|{key}": row.model_dump(mode="json") for (f, key), row in grid.cells.items()}
    counts: dict[str, int] = {}
    for row in report.rows:
        counts[row.verdict] = counts.get(row.verdict, 0) + 1
    columns = [{"key": c.key, "search": " ".join([c.target.id, c.sdk] + [c.value(lv) for lv in grid.levels]).lower()}
               for c in grid.columns]
    return _env.get_template("compat.html.j2").render(
        report=report, grid=grid, symbol=SYMBOL, counts=counts,
        cells_json=_json(cells), columns_json=_json(columns),
    )
