"""Semantic JSON equality and a short, readable list of differences.

`null` and absent are the same here: SDK versions differ in whether they send
`"key": null` for unset parameters, and the service treats both alike, so a cassette
recorded with one SDK must replay under another. Nulls inside arrays are values
(positions matter) and are kept.
"""

from __future__ import annotations

from typing import Any

MAX_DIFFERENCES = 8
MAX_VALUE_CHARS = 60


def without_nulls(value: Any) -> Any:
    """The value with every object key whose value is null removed, recursively."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def _walk(recorded: Any, actual: Any, path: str, out: list[str]) -> None:
    if isinstance(recorded, dict) and isinstance(actual, dict):
        for key in list(recorded) + [k for k in actual if k not in recorded]:
            sub = f"{path}.{key}" if path else str(key)
            if key not in actual:
                out.append(f"{sub}: recorded {_short(recorded[key])}, absent in this request")
            elif key not in recorded:
                out.append(f"{sub}: absent in recording, this request has {_short(actual[key])}")
            else:
                _walk(recorded[key], actual[key], sub, out)
    elif isinstance(recorded, list) and isinstance(actual, list) and len(recorded) == len(actual):
        for index, (r, a) in enumerate(zip(recorded, actual)):
            _walk(r, a, f"{path}[{index}]", out)
    elif recorded != actual or (type(recorded) is not type(actual) and not _same_number(recorded, actual)):
        out.append(f"{path or '<body>'}: recorded {_short(recorded)}, this request {_short(actual)}")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _same_number(a: Any, b: Any) -> bool:
    """1 and 1.0 are the same JSON number; True and 1 are not the same value."""
    return _is_number(a) and _is_number(b) and a == b


def json_equal(recorded: Any, actual: Any) -> bool:
    """Semantic equality: key order ignored, null == absent, `true` != `1`."""
    out: list[str] = []
    _walk(without_nulls(recorded), without_nulls(actual), "", out)
    return not out


def json_differences(recorded: Any, actual: Any) -> list[str]:
    """Human-readable differences (null == absent), at most MAX_DIFFERENCES lines."""
    out: list[str] = []
    _walk(without_nulls(recorded), without_nulls(actual), "", out)
    if len(out) > MAX_DIFFERENCES:
        out = out[:MAX_DIFFERENCES] + [f"… and {len(out) - MAX_DIFFERENCES} more"]
    return out
