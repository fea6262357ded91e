"""Which service a cassette was recorded against, so the report can say `source: ...` honestly.

The plugin sets the provenance for the test being recorded; the serializer writes it as
the cassette's first key. Module state rather than a ContextVar on purpose: vcrpy saves
the cassette in fixture teardown, possibly in another context than the one (e.g. an async
fixture) that set it, and pytest runs one test at a time per process.
"""

from __future__ import annotations

import os
from typing import Any

import yaml

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_current: dict[str, Any] | None = None

KEY = "provenance"


def set_provenance(provenance: dict[str, Any] | None) -> dict[str, Any] | None:
    """Set the provenance written into cassettes saved from now on; returns the previous one.

    Expected keys: recorded_against ("emulator 0.1.0" | "azure"), recorded_at (ISO time),
    target, sdk ("openai 3.57.0"), suite. None stops writing provenance.
    """
    global _current
    previous, _current = _current, (dict(provenance) if provenance is not None else None)
    return previous


def current_provenance() -> dict[str, Any] | None:
    """The provenance the serializer writes now (a copy)."""
    return dict(_current) if _current is not None else None


def read_provenance(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The provenance of a cassette file, or None if it has none.

    Reads only the leading `provenance:` block (written first for this reason), so the
    report can scan many large cassettes cheaply; falls back to a full parse otherwise.
    """
    head: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not head:
                if not line.startswith(f"{KEY}:"):
                    break
            elif line[:1] not in (" ", "\t", "-", "#", "\n", "\r"):
                break
            head.append(line)
    if head:
        data = yaml.load("".join(head), Loader=_Loader)
    else:
        with open(path, encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_Loader)
    value = data.get(KEY) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else None


def recorded_source(provenance: dict[str, Any] | None) -> str | None:
    """`emulator`, `azure`, ...: the first word of `recorded_against`; None when unknown."""
    against = (provenance or {}).get("recorded_against")
    return str(against).split()[0] if isinstance(against, str) and against.strip() else None
