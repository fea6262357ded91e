"""The wire checks: request-aware and raw-SSE rules, the wire tap that runs every check on every
exchange the SDK makes, and the refusal helper that tells a persistent 5xx from a transient one.

The tap is driven through a real `openai` client over an httpx MockTransport, so each case
also shows what the SDK alone makes of the broken reply (it swallows most of them).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Callable, Iterable

from conformance.model.sdk import http_module
import openai
import pytest

from conformance import expect
from conformance.checks import RULES, Violation, check_against_request, check_sse_content_type, check_sse_data
from conformance.outcome.stream_errors import StreamErrorEvent
from conformance.client.wiretap import watch

try:  # tests/conformance may become a package
    from .streams import StreamBuilder, message_item, renumber, response_body, usage
except ImportError:
    from streams import StreamBuilder, message_item, renumber, response_body, usage  # type: ignore[no-redef]

httpx = http_module()  # httpx before openai 3.0, httpx2 after
Events = list[dict[str, Any]]


def rules(violations: Iterable[Violation]) -> set[str]:
    found = {v.rule for v in violations}
    assert found <= set(RULES), f"undocumented rule ids: {found - set(RULES)}"
    return found


# ---- the pure rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["text/event-stream", "text/event-stream; charset=utf-8", "Text/Event-Stream"])
def test_an_event_stream_content_type_passes(content_type: str) -> None:
    assert check_sse_content_type(content_type) == []


@pytest.mark.parametrize("content_type", ["text/plain; charset=utf-8", "application/json", "application/x-ndjson", None])
def test_a_stream_served_as_anything_else_is_caught(content_type: str | None) -> None:
    assert rules(check_sse_content_type(content_type)) == {"wire.content_type"}


@pytest.mark.parametrize(("data", "rule"), [
    (b"[DONE]", "wire.done_frame"),
    (b" [DONE] ", "wire.done_frame"),
    (b"hello", "wire.sse_data"),
    (b"[1, 2]", "wire.sse_data"),
    (b'{"type": "response.created"', "wire.sse_data"),
])
def test_sse_data_that_is_not_a_json_object_is_caught(data: bytes, rule: str) -> None:
    assert rules(check_sse_data(data, where="frame 3")) == {rule}


def test_sse_data_with_a_json_object_passes() -> None:
    assert check_sse_data(b'{"type": "response.created", "sequence_number": 0}', where="frame 0") == []


def _limited(output_tokens: int, status: str = "completed", **over: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"max_output_tokens": 16, "usage": usage(12, output_tokens)}
    if status == "incomplete":
        fields["incomplete_details"] = {"reason": "max_output_tokens"}
    return response_body(status, [message_item("Hi")], **{**fields, **over})


REQUEST_CASES: list[tuple[str, dict[str, Any], dict[str, Any], set[str]]] = [
    ("within_the_limit", {"max_output_tokens": 16}, _limited(9), set()),
    ("stopped_at_the_limit", {"max_output_tokens": 16}, _limited(16, "incomplete"), set()),
    ("no_limit_asked", {}, _limited(900, max_output_tokens=None), set()),
    ("over_the_limit", {"max_output_tokens": 16}, _limited(140), {"request.max_output_tokens"}),
    ("over_the_limit_incomplete", {"max_output_tokens": 16}, _limited(17, "incomplete"), {"request.max_output_tokens"}),
    ("limit_not_echoed", {"max_output_tokens": 16}, _limited(9, max_output_tokens=None), {"request.max_output_tokens"}),
    ("usage_not_sent_yet", {"max_output_tokens": 16}, _limited(9, usage=None), set()),
]


@pytest.mark.parametrize(("request_params", "body", "expected"), [pytest.param(r, b, e, id=n) for n, r, b, e in REQUEST_CASES])
def test_the_response_is_held_to_its_request(request_params: dict[str, Any], body: dict[str, Any], expected: set[str]) -> None:
    assert rules(check_against_request(request_params, body)) == expected


# ---- the tap, through a real SDK client --------------------------------------------------------------


class Log:
    """A WireObserver that keeps what it hears."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.violations: list[tuple[str, Violation]] = []

    def observe_event(self, event: dict[str, Any]) -> None:
        self.events.append(event)

    def observe_violations(self, exchange: str, violations: list[Violation]) -> None:
        self.violations += [(exchange, v) for v in violations]

    @property
    def rules(self) -> set[str]:
        return rules(v for _, v in self.violations)


def sse(events: Events, tail: bytes = b"") -> bytes:
    return b"".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n".encode() for e in events) + tail


def text_stream(**over: Any) -> Events:
    return StreamBuilder(max_output_tokens=64).created().in_progress().message(["Hel", "lo"]).completed(**over).events


Handler = Callable[[Any], Any]


def _hook(log: Log) -> Callable[[httpx.Response], None]:
    def hook(response: Any) -> None:  # as conformance/pytest_plugin/fixtures/clients.py does
        body = None
        if "json" in response.headers.get("content-type", ""):
            response.read()
            try:
                body = response.json()
            except ValueError:
                body = None
        watch(response, body, log)

    return hook


def sdk_client(handler: Handler, log: Log) -> openai.OpenAI:
    http = httpx.Client(transport=httpx.MockTransport(handler), event_hooks={"response": [_hook(log)]})
    return openai.OpenAI(api_key="k", base_url="http://emulator.test/openai/v1/", http_client=http, max_retries=0)


def replying(body: bytes, content_type: str = "text/event-stream; charset=utf-8", status: int = 200) -> Handler:
    return lambda request: httpx.Response(status, content=body, headers={"content-type": content_type})


def stream_through_sdk(handler: Handler) -> tuple[list[Any], Log]:
    log = Log()
    client = sdk_client(handler, log)
    events = list(client.responses.create(model="gpt-4o", input="Hi", max_output_tokens=64, stream=True))
    return events, log


def test_a_conformant_stream_raises_nothing_on_the_wire() -> None:
    events, log = stream_through_sdk(replying(sse(text_stream())))
    assert len(events) == len(text_stream()) and log.violations == []
    assert [e["type"] for e in log.events] == [e["type"] for e in text_stream()]


STREAM_BUGS: list[tuple[str, Handler, str]] = [
    ("served_as_text_plain", replying(sse(text_stream()), "text/plain; charset=utf-8"), "wire.content_type"),
    ("served_as_json", replying(sse(text_stream()), "application/json"), "wire.content_type"),
    ("done_frame", replying(sse(text_stream(), b"data: [DONE]\n\n")), "wire.done_frame"),
    ("usage_null", replying(sse(text_stream(usage=None))), "stream.usage"),
    ("error_after_completed", replying(sse(renumber(text_stream() + [StreamBuilder().error().events[0]]))), "stream.terminal"),
    ("timestamps_in_ms", replying(sse(text_stream(created_at=1741369938000))), "response.timestamp"),
    ("float_created_at", replying(sse(text_stream(created_at=1741369938.0))), "wire.integer_timestamp"),
    ("float_completed_at", replying(sse(text_stream(completed_at=1741369939.5))), "wire.integer_timestamp"),
    ("over_max_output_tokens", replying(sse(text_stream(usage=usage(12, 90)))), "request.max_output_tokens"),
]


@pytest.mark.parametrize(("handler", "rule"), [pytest.param(h, r, id=n) for n, h, r in STREAM_BUGS])
def test_the_tap_catches_a_broken_stream_the_sdk_accepts(handler: Handler, rule: str) -> None:
    events, log = stream_through_sdk(handler)
    assert events, "the SDK read the stream"  # and would have let the bug through
    assert rule in log.rules, log.violations
    assert all(exchange == "POST /openai/v1/responses (stream)" for exchange, _ in log.violations)


def test_a_stream_cut_by_a_dropped_connection_is_not_judged_as_a_whole() -> None:
    class Dropped(httpx.SyncByteStream):  # type: ignore[misc,name-defined]
        def __iter__(self):  # type: ignore[no-untyped-def]
            yield sse(text_stream()[:3])
            raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")

    log = Log()
    client = sdk_client(lambda request: httpx.Response(200, stream=Dropped(), headers={"content-type": "text/event-stream"}), log)
    with pytest.raises((httpx.RemoteProtocolError, openai.APIConnectionError)):
        list(client.responses.create(model="gpt-4o", input="Hi", stream=True))
    assert log.violations == [] and len(log.events) == 3


def test_a_stream_left_early_is_not_judged_as_a_whole() -> None:
    log = Log()
    client = sdk_client(replying(sse(text_stream())), log)
    with client.responses.create(model="gpt-4o", input="Hi", stream=True) as stream:
        for event in stream:
            if event.type == "response.output_text.delta":
                break
    assert log.violations == []


def test_a_resumed_stream_is_numbered_from_where_it_picks_up() -> None:
    tail = text_stream()[4:]
    log = Log()
    client = sdk_client(replying(sse(tail)), log)
    list(client.responses.retrieve("resp_test", stream=True, starting_after=3))
    assert log.violations == [] and len(log.events) == len(tail)


def test_json_responses_are_checked_with_their_request() -> None:
    body = response_body("completed", [message_item("Hi")], max_output_tokens=64, usage=usage(12, 200), created_at=1741369938123)
    log = Log()
    client = sdk_client(replying(json.dumps(body).encode(), "application/json"), log)
    client.responses.create(model="gpt-4o", input="Hi", max_output_tokens=64)
    assert log.rules == {"request.max_output_tokens", "response.timestamp"}
    client.responses.retrieve("resp_test")  # a retrieve has no parameters to hold it to
    assert [v.rule for exchange, v in log.violations if exchange.startswith("GET")] == ["response.timestamp"]


def test_a_float_timestamp_in_a_json_body_is_caught_on_the_wire() -> None:
    body = response_body("completed", [message_item("Hi")], created_at=1741369938.0, completed_at=1741369939.0)
    log = Log()
    client = sdk_client(replying(json.dumps(body).encode(), "application/json"), log)
    client.responses.retrieve("resp_test")
    assert [v.rule for _, v in log.violations] == ["wire.integer_timestamp", "wire.integer_timestamp"]
    assert [v.where for _, v in log.violations] == ["created_at", "completed_at"]


def test_integer_timestamps_pass_on_the_wire() -> None:
    body = response_body("completed", [message_item("Hi")], created_at=1741369938, completed_at=1741369939)
    log = Log()
    sdk_client(replying(json.dumps(body).encode(), "application/json"), log).responses.retrieve("resp_test")
    assert log.violations == []


def test_error_replies_are_left_to_the_error_assertions() -> None:
    error = {"error": {"code": "invalid_value", "message": "bad", "param": None, "type": "invalid_request_error"}}
    log = Log()
    client = sdk_client(replying(json.dumps(error).encode(), "application/json", 400), log)
    with pytest.raises(openai.BadRequestError):
        client.responses.create(model="gpt-4o", input="Hi", stream=True)
    assert log.violations == []


def test_the_async_tap_catches_a_done_frame() -> None:
    log = Log()

    async def hook(response: Any) -> None:
        watch(response, None, log, asynchronous=True)

    async def run() -> list[Any]:
        transport = httpx.MockTransport(replying(sse(text_stream(), b"data: [DONE]\n\n")))
        http = httpx.AsyncClient(transport=transport, event_hooks={"response": [hook]})
        client = openai.AsyncOpenAI(api_key="k", base_url="http://emulator.test/openai/v1/", http_client=http, max_retries=0)
        stream = await client.responses.create(model="gpt-4o", input="Hi", stream=True)
        return [event async for event in stream]

    assert asyncio.run(run())
    assert log.rules == {"wire.done_frame"}


# ---- expect: the stream helper and the refusal helper ------------------------------------------------


def test_an_error_event_after_the_terminal_one_fails_the_stream_rules() -> None:
    """Not a StreamErrorEvent (whose transient code would make it inconclusive): a broken grammar."""
    events = renumber(text_stream() + [StreamBuilder().error().events[0]])
    with pytest.raises(AssertionError, match=r"stream\.terminal"):
        expect.conformant_stream(events)


def test_an_error_event_then_response_failed_is_judged_by_its_code() -> None:
    """OpenAI's failing stream: error, then response.failed. The grammar holds; the code decides."""
    b = StreamBuilder().created().in_progress().error(code="server_error")
    events = renumber(b.events + StreamBuilder().failed().events)
    with pytest.raises(StreamErrorEvent) as raised:
        expect.conformant_stream(events)
    assert raised.value.transient


def test_conformant_response_holds_a_response_to_its_request() -> None:
    body = response_body("completed", [message_item("Hi")], max_output_tokens=16, usage=usage(12, 40))
    expect.conformant_response(body)  # well formed on its own
    with pytest.raises(AssertionError, match=r"request\.max_output_tokens"):
        expect.conformant_response(body, request={"max_output_tokens": 16})


def test_a_response_stopped_at_the_limit_passes() -> None:
    expect.stopped_at_the_limit(_limited(16, "incomplete"), {"max_output_tokens": 16})


@pytest.mark.parametrize(("body", "caught"), [
    pytest.param(_limited(140), r"request\.max_output_tokens", id="limit_ignored"),
    pytest.param(_limited(16), r"must end incomplete with reason max_output_tokens", id="completed_at_the_limit"),
    pytest.param(_limited(9, "incomplete", incomplete_details={"reason": "content_filter"}), r"content_filter",
                 id="incomplete_for_another_reason"),
    pytest.param(_limited(17, "incomplete"), r"request\.max_output_tokens", id="incomplete_past_the_limit"),
])
def test_a_long_answer_not_stopped_at_the_limit_is_caught(body: dict[str, Any], caught: str) -> None:
    with pytest.raises(AssertionError, match=caught):
        expect.stopped_at_the_limit(body, {"max_output_tokens": 16})


def status_error(status: int) -> openai.APIStatusError:
    body = {"error": {"code": "server_error" if status >= 500 else "NotFound", "message": f"HTTP {status}"}}
    response = httpx.Response(status, json=body, request=httpx.Request("GET", "http://emulator.test/openai/v1/responses/x"))
    return openai.APIStatusError(f"HTTP {status}", response=response, body=body)


def calls(*statuses: int | None) -> tuple[Callable[[], Any], list[int]]:
    """A call answering each status in turn (None: it succeeds); also the list of calls made."""
    made: list[int] = []

    def call() -> Any:
        status = statuses[len(made)]
        made.append(len(made))
        if status is not None:
            raise status_error(status)
        return {"id": "resp_x"}

    return call, made


def test_a_persistent_500_where_404_is_due_fails() -> None:
    call, made = calls(500, 500, 500)
    with pytest.raises(AssertionError, match="persistent 500 where 404 is due"):
        expect.refusal(call, 404)
    assert len(made) == expect.REFUSAL_TRIES


def test_a_transient_500_then_the_404_passes() -> None:
    call, made = calls(500, 404)
    assert expect.refusal(call, 404).status_code == 404
    assert len(made) == 2


def test_mixed_5xx_on_every_try_fails() -> None:
    call, _ = calls(503, 500, 502)
    with pytest.raises(AssertionError, match="persistent 502 where 400 or 404 is due"):
        expect.refusal(call, (400, 404))


def test_throttling_is_handed_on_not_retried() -> None:
    """429 is not the service answering "broken": azure_error re-raises it (inconclusive)."""
    call, made = calls(429)
    refused = expect.refusal(call, 404)
    assert refused.status_code == 429 and len(made) == 1
    with pytest.raises(openai.APIStatusError):
        expect.azure_error(refused, 404)


def test_no_refusal_at_all_fails() -> None:
    call, _ = calls(None)
    with pytest.raises(AssertionError, match="succeeded"):
        expect.refusal(call, 404)


#: The rules this module proves caught (test_checks.py checks every rule has a case somewhere).
TESTED_RULES = {r for _, _, _, e in REQUEST_CASES for r in e} | {r for _, _, r in STREAM_BUGS} | {"wire.sse_data"}
