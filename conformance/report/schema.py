"""compat.schema.json: the JSON Schema of compat.json, generated from the pydantic model.

    python -m conformance.report.schema     # regenerate after changing model.py
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from conformance.report.model import Report

SCHEMA_PATH = Path(__file__).resolve().parent / "compat.schema.json"
SCHEMA_ID = "https://github.com/responses-conformance/schemas/compat.schema.json"


def generate() -> dict[str, Any]:
    schema = Report.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "title": "Responses API compatibility report (compat.json)", **schema}


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


class SchemaError(ValueError):
    """A report that does not match compat.schema.json: a bug, never written silently."""


def validate(document: Any) -> None:
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(e.path))
    if errors:
        lines = [f"  {'/'.join(str(p) for p in e.path) or '<top>'}: {e.message}" for e in errors[:10]]
        raise SchemaError("compat.json does not match compat.schema.json:\n" + "\n".join(lines))


if __name__ == "__main__":  # pragma: no cover
    SCHEMA_PATH.write_text(dumps(generate()), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
