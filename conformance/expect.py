"""Assertions the suites use: each turns the checks' violations into one readable failure.

The checks run on what came over the wire (the SDK model's fields as sent, extras
included), so a broken contract fails a test even when the SDK would swallow it.
"""

from __future__ import annotations

from typing import Any

import openai

from .verdicts import TRANSIENT_STATUSES


def wire_dict(obj: Any) -> dict[str, Any]:
    """The JSON object behind an SDK model: its fields as sent, Azure extras included."""
    if isinstance(obj, dict):
        return obj
    # warnings=False: the SDK's parsed unions (e.g. ParsedResponse.output) warn on every dump.
    return obj.model_dump(mode="json", exclude_unset=True, by_alias=True, warnings=False)


def conformant_response(response: Any) -> None:
    from .checks import check_response

    violations = check_response(wire_dict(response))
    assert not violations, "the response breaks the contract:\n" + "\n".join(f"  - {v}" for v in violations)


def conformant_stream(events: list[Any], start: int | None = 0) -> None:
    """``start=None``: a resumed stream, numbered from wherever it picks up."""
    from .checks import check_stream
    from .stream_errors import StreamErrorEvent, error_payload

    wire = [wire_dict(e) for e in events]
    for event in wire:
        error = error_payload(event)
        if error is not None:
            raise StreamErrorEvent(error)  # its code decides the verdict, not the stream rules
    violations = check_stream(wire, start=start)
    assert not violations, "the stream breaks the contract:\n" + "\n".join(f"  - {v}" for v in violations)


def azure_error(exc: openai.APIStatusError, status: int | tuple[int, ...]) -> dict[str, Any]:
    """Check an error response is in Azure's shape (`{"error": {"message": ...}}`) and return
    its error object."""
    statuses = (status,) if isinstance(status, int) else status
    if exc.status_code not in statuses and exc.status_code in TRANSIENT_STATUSES:
        # Throttled or down after the retries: not the error under test, so not a contract
        # break. Re-raised, it makes the verdict inconclusive (verdicts.from_exception).
        raise exc
    assert exc.status_code in statuses, f"expected HTTP {' or '.join(map(str, statuses))}, got {exc.status_code}: {exc.body}"
    body = exc.response.json()
    assert isinstance(body, dict) and isinstance(body.get("error"), dict), f"error body is not {{'error': {{...}}}}: {body!r}"
    error = body["error"]
    assert isinstance(error.get("message"), str) and error["message"], f"error without a message: {error!r}"
    for key in ("code", "type", "param"):
        assert error.get(key) is None or isinstance(error[key], str), f"error.{key} is not a string or null: {error!r}"
    return error


def not_a_documented_refusal(exc: openai.APIStatusError, feature_id: str) -> None:
    """Re-raise a refusal the service documents for `feature_id` (e.g. a v1-only feature on a
    dated api-version), so the cell is ``unsupported`` rather than passing as the error under
    test. A refusal of something the feature is not about is left to the test's own checks."""
    from .verdicts import refusal_verdict

    refusal = refusal_verdict(exc, feature_id)
    if refusal is not None and refusal[0]:
        raise exc
