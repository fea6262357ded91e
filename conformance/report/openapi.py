"""`--openapi PATH`: check the bodies a run saw against an OpenAPI file the user names.

Deviations become notes on the feature's shape, never failures: published specs lag the
service and each other, so a mismatch is something to read, not a broken contract.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional

import jsonschema

#: body kind -> schema names to look for, first found wins (Azure's names, then OpenAI's)
CANDIDATES = {
    "response": ("AzureResponse", "Response", "OpenAI.Response"),
    "error": ("AzureErrorResponse", "ErrorResponse", "OpenAI.ErrorResponse"),
}
MAX_NOTES = 20


def _nullable(node: Any) -> Any:
    """OpenAPI 3.0 `nullable: true` -> JSON Schema's `anyOf [..., null]` (3.1 files pass as they are)."""
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _nullable(value) for key, value in node.items()}
    if out.pop("nullable", False) is True:
        return {"anyOf": [out, {"type": "null"}]}
    return out


def _kind(body: Any) -> Optional[str]:
    if not isinstance(body, dict):
        return None
    if body.get("object") == "response":
        return "response"
    if isinstance(body.get("error"), dict) and len(body) == 1:
        return "error"
    return None


class OpenApiError(ValueError):
    """The file named by --openapi cannot be used; the message says why."""


@functools.lru_cache(maxsize=4)
def load(path: Path) -> "OpenApiChecker":
    """Loaded once per run: checked before the run starts, used when the report is built."""
    return OpenApiChecker.load(path.resolve())


@dataclass
class OpenApiChecker:
    name: str
    validators: dict[str, tuple[str, jsonschema.protocols.Validator]]

    @classmethod
    def load(cls, path: Path) -> "OpenApiChecker":
        try:
            spec = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise OpenApiError("no such file") from None
        except IsADirectoryError:
            raise OpenApiError("is a directory, not an OpenAPI file") from None
        except OSError as exc:
            raise OpenApiError(f"cannot read it: {exc.strerror}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise OpenApiError(f"not a JSON OpenAPI file: {exc}") from None
        if not isinstance(spec, dict):
            raise OpenApiError("not an OpenAPI document (the top level is not an object)")
        components = _nullable(spec.get("components", {}))
        schemas = components.get("schemas", {})
        validators = {}
        for kind, names in CANDIDATES.items():
            name = next((n for n in names if n in schemas), None)
            if name is not None:
                root = {"$ref": f"#/components/schemas/{name}", "components": components}
                validators[kind] = (name, jsonschema.Draft202012Validator(root))
        return cls(path.name, validators)

    def notes(self, bodies: Iterable[Any]) -> list[str]:
        """Distinct deviations, paths with indices folded (`output[].content[]`), at most MAX_NOTES."""
        found: set[str] = set()
        for body in bodies:
            kind = _kind(body)
            if kind not in self.validators:
                continue
            name, validator = self.validators[kind]
            try:
                errors = list(validator.iter_errors(body))
            except (jsonschema.exceptions.SchemaError, jsonschema.exceptions.RefResolutionError) as exc:  # type: ignore[attr-defined]
                found.add(f"{self.name} {name}: schema not usable: {str(exc).splitlines()[0][:150]}")
                continue
            for error in errors:
                path = "".join("[]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".") or "$"
                found.add(f"{self.name} {name} {path}: {error.message[:150]}")
        return sorted(found)[:MAX_NOTES]
