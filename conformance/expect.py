"""Assertions the suites use: each turns the checks' violations into one readable failure.

The checks run on what came over the wire (the SDK model's fields as sent, extras
included), so a broken contract fails a test even when the SDK would swallow it.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

import openai

from conformance.outcome.verdicts import TRANSIENT_STATUSES


def wire_dict(obj: Any) -> dict[str, Any]:
    """The JSON object behind an SDK model: its fields as sent, Azure extras included."""
    if isinstance(obj, dict):
        return obj
    # warnings=False: the SDK's parsed unions (e.g. ParsedResponse.output) warn on every dump.
    return obj.model_dump(mode="json", exclude_unset=True, by_alias=True, warnings=False)


def _fail_on(violations: list[Any], what: str) -> None:
    assert not violations, f"the {what} breaks the contract:\n" + "\n".join(f"  - {v}" for v in violations)


def conformant_response(response: Any, request: Optional[Mapping[str, Any]] = None) -> None:
    """``request``: the create parameters, so the response is also held to them (max_output_tokens)."""
    from conformance.checks import check_against_request, check_response

    body = wire_dict(response)
    _fail_on(check_response(body) + (check_against_request(request, body) if request else []), "response")


def conformant_compaction(compacted: Any) -> None:
    """A `/responses/compact` result: user messages, then one opaque compaction item."""
    from conformance.checks import check_compacted

    _fail_on(check_compacted(wire_dict(compacted)), "compacted conversation")


def compaction_item_in(response: Any) -> dict[str, Any]:
    """The one well-formed compaction item a `context_management` response carries."""
    from conformance.checks import check_compaction_item

    body = wire_dict(response)
    items = [item for item in body.get("output") or [] if isinstance(item, dict) and item.get("type") == "compaction"]
    assert len(items) == 1, f"expected one compaction item in the output, got types {[i.get('type') for i in body.get('output') or []]}"
    _fail_on(check_compaction_item(items[0], where="output[compaction]"), "compaction item")
    return items[0]


def logprobs_with(response: Any, top_logprobs: int) -> None:
    """Every output_text part carries logprobs spelling its text, with top_logprobs alternatives."""
    from conformance.checks import check_logprobs

    _fail_on(check_logprobs(wire_dict(response), top_logprobs), "logprobs")


def served_by_tier(response: Any, asked: Optional[str]) -> None:
    """The response reports the service tier that served it (the one asked for)."""
    from conformance.checks import check_service_tier

    _fail_on(check_service_tier(wire_dict(response), asked), "service tier")


def cache_hit(response: Any) -> None:
    """`usage.input_tokens_details.cached_tokens` shows a prompt-cache hit, by Azure's rules."""
    from conformance.checks import check_cached_tokens

    _fail_on(check_cached_tokens(wire_dict(response)), "prompt-cache accounting")


def stopped_at_the_limit(response: Any, request: Mapping[str, Any]) -> None:
    """A response asked for more text than ``request``'s ``max_output_tokens`` allows: it
    stops there, ``incomplete`` with reason ``max_output_tokens`` (OpenAI API reference,
    responses object: incomplete_details.reason), within the limit (check_against_request)."""
    body = wire_dict(response)
    conformant_response(body, request)
    details = body.get("incomplete_details")
    reason = details.get("reason") if isinstance(details, dict) else None
    assert body.get("status") == "incomplete" and reason == "max_output_tokens", (
        f"a request for more than max_output_tokens={request.get('max_output_tokens')} allows must end incomplete "
        f"with reason max_output_tokens, got status {body.get('status')!r}, incomplete_details {details!r}, "
        f"usage {body.get('usage')!r}")


TERMINAL_EVENTS = ("response.completed", "response.incomplete", "response.failed")


def _ending_error(wire: list[dict[str, Any]]) -> Optional[dict[str, Any]]:
    """The error event that ended the stream, if one did: not one sent after its terminal event,
    which is a broken grammar (the stream rules say so), not the service being busy."""
    from conformance.outcome.stream_errors import error_payload

    for event in wire:
        if event.get("type") in TERMINAL_EVENTS:
            return None
        error = error_payload(event)
        if error is not None:
            return error
    return None


def conformant_stream(events: list[Any], start: int | None = 0, request: Optional[Mapping[str, Any]] = None) -> None:
    """``start=None``: a resumed stream, numbered from wherever it picks up; ``request``: the
    create parameters the terminal response must honour."""
    from conformance.checks import check_against_request, check_stream
    from conformance.outcome.stream_errors import StreamErrorEvent

    wire = [wire_dict(e) for e in events]
    error = _ending_error(wire)
    if error is not None:
        raise StreamErrorEvent(error)  # its code decides the verdict, not the stream rules
    violations = check_stream(wire, start=start)
    for i, event in enumerate(wire):
        if request and event.get("type") in TERMINAL_EVENTS:
            violations += check_against_request(request, event.get("response"), where=f"events[{i}].response")
    _fail_on(violations, "stream")


def summary(obj: Any) -> str:
    """A short description of an answer: its object, id and status."""
    try:
        body = wire_dict(obj)
    except Exception:  # noqa: BLE001 (only for the message)
        return repr(obj)[:200]
    if isinstance(body, dict):
        return ", ".join(f"{k}={body[k]!r}" for k in ("object", "id", "status") if k in body) or repr(body)[:200]
    return repr(body)[:200]


#: How often a refusal is asked for before a 5xx in its place counts as the answer. Each try
#: is one SDK call with its own retries, so a transient fault (even 20% of calls) passes.
REFUSAL_TRIES = 3


class NotRefused(AssertionError):
    """A call that should have been refused succeeded; ``answer`` is what came back."""

    def __init__(self, message: str, answer: Any) -> None:
        super().__init__(message)
        self.answer = answer


def refusal(call: Callable[[], Any], status: int | tuple[int, ...], *, tries: int = REFUSAL_TRIES,
            what: str = "the call") -> openai.APIStatusError:
    """The error ``call`` is refused with, when a 4xx ``status`` is due.

    A 5xx on every one of ``tries`` calls is a service that answers "broken" where it owes
    a refusal (e.g. a persistent 500 where 404 is due): a failed contract, not an outage to
    wait out. 429 stays throttling (re-raised: inconclusive); a success is a failure.
    """
    statuses = (status,) if isinstance(status, int) else status
    seen: list[int] = []
    last: Optional[openai.APIStatusError] = None
    for _ in range(max(tries, 1)):
        try:
            answer = call()
        except openai.APIStatusError as exc:
            if exc.status_code < 500 or exc.status_code in statuses:
                return exc
            seen.append(exc.status_code)
            last = exc
        else:
            raise NotRefused(f"{what} must be refused with HTTP {' or '.join(map(str, statuses))}, but it succeeded: "
                             f"{summary(answer)}", answer)
    assert last is not None
    due = " or ".join(map(str, statuses))
    raise AssertionError(f"persistent {last.status_code} where {due} is due: {tries} calls (each with the SDK's "
                         f"retries) all got {', '.join(map(str, seen))}: {last.body}") from last


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
    from conformance.outcome.verdicts import refusal_verdict

    refusal = refusal_verdict(exc, feature_id)
    if refusal is not None and refusal[0]:
        raise exc


def prompt_filtered(call: Callable[[], Any]) -> openai.APIStatusError:
    """``call`` sends a prompt Azure's default content filter blocks: it must be refused with
    400 ``content_filter`` (conformance.checks.content_filter). A normal answer means this
    target does not filter (``NotOffered``: unsupported); a 429 or 5xx stays inconclusive."""
    from conformance.checks import check_prompt_filtered
    from conformance.outcome.verdicts import NotOffered

    try:
        answer = call()
    except openai.APIStatusError as exc:
        if exc.status_code in TRANSIENT_STATUSES:
            raise
        try:
            body = exc.response.json()
        except ValueError:
            body = exc.response.text
        _fail_on(check_prompt_filtered(exc.status_code, body), "prompt filter's refusal")
        return exc
    raise NotOffered(f"a prompt the default content filter blocks was answered normally ({summary(answer)}): "
                     "this target does not filter prompts")


def output_filtered(response: Any, *, dated: bool, events: Optional[list[Any]] = None) -> None:
    """``response`` answers a prompt whose answer the output filter blocks: it ends
    ``incomplete`` for ``content_filter`` (and a stream annotates only its terminal event). A
    ``completed`` answer means no output filtering here (``NotOffered``: unsupported)."""
    from conformance.checks import check_output_filtered, check_stream_content_filters
    from conformance.outcome.verdicts import NotOffered

    body = wire_dict(response)
    conformant_response(body)
    if body.get("status") == "completed":
        raise NotOffered(f"an answer the default content filter blocks came back completed ({summary(body)}): "
                         "this target does not filter output (or the model declined on its own)")
    violations = check_output_filtered(body, dated=dated)
    if events is not None:
        violations += check_stream_content_filters([wire_dict(e) for e in events])
    _fail_on(violations, "filtered answer")


def socket_error(events: list[Any], code: str) -> None:
    """A WebSocket turn that must be refused: one ``error`` event with ``code`` (Open Responses
    specification, "WebSocket Errors": a ``status`` and an ``error.code``)."""
    types = [_event_type(e) for e in events]
    assert types == ["error"], f"expected one error event with code {code}, got {types}"
    error = wire_dict(events[0])
    assert isinstance(error.get("status"), int) and error["status"] >= 400, f"the error event has no 4xx/5xx status: {error}"
    assert (error.get("error") or {}).get("code") == code, f"expected error code {code}, got {error.get('error')}"


def continued_on_socket(events: list[Any]) -> None:
    """A ``store: false`` continuation on the connection that made the response. Keeping that
    state is a SHOULD (Open Responses specification, "WebSocket Continuation"): a refusal with
    ``previous_response_not_found`` means this server does not offer it (``NotOffered``); any
    other error, or a broken stream, fails."""
    from conformance.outcome.verdicts import NotOffered

    if [_event_type(e) for e in events] == ["error"]:
        error = wire_dict(events[0]).get("error") or {}
        if error.get("code") == "previous_response_not_found":
            raise NotOffered("a store:false response could not be continued on its own WebSocket connection: "
                             "this server keeps no connection-local response state")
    conformant_stream(events)


def _event_type(event: Any) -> Any:
    return event.get("type") if isinstance(event, dict) else getattr(event, "type", None)
