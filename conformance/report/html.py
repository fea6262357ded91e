"""compat.html: one self-contained page (no external assets) with the matrix and evidence."""

from __future__ import annotations

import json

from jinja2 import Environment, PackageLoader, select_autoescape

from .model import Report

SYMBOL = {"supported": "✔", "unsupported": "✘", "failed": "✖", "inconclusive": "?", "skipped": "–"}

_env = Environment(loader=PackageLoader("conformance.report", "templates"), autoescape=select_autoescape(["html"]))


def render_html(report: Report) -> str:
    cells = {f"{r.feature}|{r.target}": r.model_dump(mode="json") for r in report.rows}
    return _env.get_template("compat.html.j2").render(
        report=report, symbol=SYMBOL, cells=cells, cells_json=json.dumps(cells).replace("</", "<\\/"),
    )
