"""The compatibility report: model, renderings, and writing them all at once."""

from __future__ import annotations

import json
from pathlib import Path

from .markdown import render_markdown
from .model import Report


def write_all(report: Report, directory: Path, stem: str = "compat") -> list[Path]:
    """Write <stem>.json, .md and .html into `directory`, the JSON validated against its schema."""
    from .html import render_html
    from .schema import validate

    document = report.model_dump(mode="json")
    validate(document)  # a report that breaks its own schema is a bug: fail loudly, write nothing
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (
        (f"{stem}.json", json.dumps(document, indent=2) + "\n"),
        (f"{stem}.md", render_markdown(report)),
        (f"{stem}.html", render_html(report)),
    ):
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def load_report(path: Path) -> Report:
    """Read a compat.json (raises ValueError if it is not one)."""
    return Report.model_validate_json(path.read_text(encoding="utf-8"))


__all__ = ["Report", "write_all", "load_report", "render_markdown"]
