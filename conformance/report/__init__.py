"""The compatibility report: model, renderings, and writing them all at once."""

from __future__ import annotations

import json
from pathlib import Path

from conformance.report.markdown import render_markdown
from conformance.report.model import Report


def write_all(report: Report, directory: Path, stem: str = "compat") -> list[Path]:
    """Write <stem>.json, .md and .html into `directory`, the JSON validated against its schema."""
    from conformance.report.html import render_html
    from conformance.report.schema import validate

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
    """Read a compat.json (raises ValueError if it is not one); schema 1 reports are upgraded,
    so last month's nightly artifact still diffs against tonight's."""
    document = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(document, dict) and document.get("schema_version") == 1:
        document = _upgrade_v1(document)
    return Report.model_validate(document)


def _upgrade_v1(document: dict) -> dict:  # type: ignore[type-arg]
    """Schema 1 had no SDK per row: it was the run's."""
    sdk = document.get("environment", {}).get("sdk", "")
    for row in document.get("rows", []):
        row.setdefault("sdk", sdk)
    return {**document, "schema_version": 2}


__all__ = ["Report", "write_all", "load_report", "render_markdown"]
