"""check_response / check_stream: real-looking fixtures pass, and each rule catches its break."""

from __future__ import annotations

import copy
import time
import typing
from dataclasses import FrozenInstanceError
from typing import Any, Callable, Iterable

import pytest
from openai.types.responses import Response, ResponseStreamEvent

from conformance.checks import RULES, Violation, check_response, check_stream

try:  # tests/conformance may become a package
    from .streams import StreamBuilder, function_call_item, message_item, reasoning_item, renumber, response_body, usage
except ImportError:
    from streams import (  # type: ignore[no-redef]
        StreamBuilder,
        function_call_item,
        message_item,
        reasoning_item,
        renumber,
        response_body,
        usage,
    )

Events = list[dict[str, Any]]
Build = Callable[[], Any]


def rules(violations: Iterable[Violation]) -> set[str]:
    """The rule ids reported; every one must be documented in RULES."""
    found = {v.rule for v in violations}
    assert found <= set(RULES), f"undocumented rule ids: {found - set(RULES)}"
    return found


def find(events: Events, etype: str, nth: int = 0) -> int:
    return [i for i, ev in enumerate(events) if ev.get("type") == etype][nth]


def set_path(obj: Any, path: str, value: Any) -> None:
    """Set `a.b.0.c` inside nested dicts and lists."""
    *parents, last = [int(k) if k.isdigit() else k for k in path.split(".")]
    for key in parents:
        obj = obj[key]
    obj[last] = value


# Mutations of a fixture, as zero-argument builders for the case tables. All but `edited`
# renumber the events, so the numbering stays right and only the structural break remains.


def edited(fixture: Build, etype: str, changes: dict[str, Any], nth: int = 0) -> Build:
    def build() -> Events:
        events = copy.deepcopy(fixture())
        for path, value in changes.items():
            set_path(events[find(events, etype, nth)], path, value)
        return events

    return build


def dropped(fixture: Build, etype: str, nth: int = 0) -> Build:
    def build() -> Events:
        events = fixture()
        i = find(events, etype, nth)
        return renumber(events[:i] + events[i + 1 :])

    return build


def swapped(fixture: Build, etype: str, offset: int = 0) -> Build:
    """Swap the event at find(etype) + offset with the one after it."""

    def build() -> Events:
        events = fixture()
        i = find(events, etype) + offset
        events[i], events[i + 1] = events[i + 1], events[i]
        return renumber(events)

    return build


def inserted(fixture: Build, index: int, event: dict[str, Any] | Callable[[Events], dict[str, Any]]) -> Build:
    """Insert an event (or one picked from the fixture's own events) before `index` (negative: from the end)."""

    def build() -> Events:
        events = fixture()
        extra = copy.deepcopy(event(events) if callable(event) else event)
        at = index if index >= 0 else len(events) + 1 + index
        return renumber(events[:at] + [extra] + events[at:])

    return build


# ---- valid fixtures ------------------------------------------------------------------------------


def text_stream() -> Events:
    return StreamBuilder().created().in_progress().message(["Hello", ", ", "world", "!"]).completed().events


def function_call_stream() -> Events:
    return StreamBuilder().created().in_progress().function_call(['{"ci', 'ty": "Pa', 'ris"}']).completed().events


def reasoning_stream() -> Events:
    b = StreamBuilder().created().in_progress()
    b.reasoning([["**Plan**", "\n\nCheck the", " weather."], ["Then", " answer."]], encrypted="gAAAAB...")
    return b.message(["It is ", "sunny."]).completed(usage=usage(20, 40, reasoning_tokens=30)).events


def reasoning_text_stream() -> Events:
    b = StreamBuilder().created().in_progress().reasoning(contents=[["step ", "one"]]).message(["ok"])
    return b.completed(usage=usage(12, 8, reasoning_tokens=4)).events


def two_parts_stream() -> Events:
    return StreamBuilder().created().message(["a"], ["b"]).completed().events


def two_items_stream() -> Events:
    b = StreamBuilder().created().in_progress().message(["first"])
    return b.message(["second"], ["third"], refusal=["no"]).completed().events


def incomplete_stream() -> Events:
    b = StreamBuilder().created().in_progress().message(["Once upon", " a time"], status="incomplete")
    return b.incomplete("max_output_tokens").events


def azure_content_filter_stream() -> Events:
    """Observed on Azure: output filtered mid-stream ends in response.incomplete with zero usage."""
    b = StreamBuilder(content_filters=None).created().in_progress().message(["Sure, "], status="incomplete")
    return b.incomplete("content_filter", usage=usage(0, 0)).events


def mcp_stream() -> Events:
    return StreamBuilder().created().in_progress().mcp_call(['{"sid', 'es": 6}']).message(["4"]).completed().events


def error_then_failed_stream() -> Events:
    """What OpenAI sends when a stream fails: an `error` event, then response.failed."""
    events = error_stream()
    failed = StreamBuilder().failed().events[0]
    return renumber(events + [failed])


def background_without_usage_stream() -> Events:
    """A background stream's terminal snapshot is the stored job's, which may lack usage."""
    b = StreamBuilder(background=True).created(status="queued").queued().in_progress()
    return b.message(["Long ", "story"]).completed(usage=None).events


def _cut_after_first_delta(events: Events, ending: dict[str, Any]) -> Events:
    return renumber(events[: find(events, "response.output_text.delta", 1)] + [ending])


def error_stream() -> Events:
    """The service gives up mid-message: an `error` event ends the stream, no terminal event."""
    message = "The server had an error while processing your request."
    error = {"type": "error", "code": "server_error", "message": message, "param": None}
    return _cut_after_first_delta(text_stream(), error)


def failed_stream() -> Events:
    """response.failed mid-message: the open item is left open, the output empty."""
    return _cut_after_first_delta(text_stream(), StreamBuilder().failed().events[0])


def background_stream() -> Events:
    """background=true, stream=true: created carries status queued, then response.queued."""
    b = StreamBuilder(background=True).created(status="queued").queued().in_progress()
    return b.message(["Long ", "story"]).completed().events


def background_queued_first_stream() -> Events:
    return StreamBuilder(background=True).queued().in_progress().message(["Long ", "story"]).completed().events


CONTENT_FILTERS = [
    {
        "blocked": False,
        "source_type": "completion",
        "content_filter_raw": [],
        "content_filter_results": {
            category: {"filtered": False, "severity": "safe"} for category in ("hate", "sexual", "violence", "self_harm")
        },
        "content_filter_offsets": {"start_offset": 0, "end_offset": 120, "check_offset": 0},
    }
]


def azure_extras_stream() -> Events:
    """Azure v1 (2026): obfuscation on deltas, null content_filters until completed, Foundry fields."""
    b = StreamBuilder(
        delta_extra={"obfuscation": "Xk9p"},
        content_filters=None,
        prompt_cache_key=None,
        safety_identifier=None,
        conversation={"id": "conv_abc"},
        agent={"type": "agent_id", "name": "helper", "version": "1"},
        reasoning={},
    )
    b.created().in_progress().function_call(['{"q":', ' "x"}']).message(["Hi", " there"])
    return b.completed(content_filters=CONTENT_FILTERS).events


def tool_stream() -> Events:
    b = StreamBuilder().created().in_progress()
    b.tool_call("file_search_call", ["in_progress", "searching", "completed"], queries=["values"], results=None)
    return b.message(["Our values are..."]).completed().events


VALID_STREAMS: dict[str, Build] = {
    "text": text_stream,
    "function_call": function_call_stream,
    "reasoning_then_message": reasoning_stream,
    "reasoning_text": reasoning_text_stream,
    "two_items_refusal": two_items_stream,
    "incomplete": incomplete_stream,
    "azure_content_filter": azure_content_filter_stream,
    "error_ended": error_stream,
    "failed": failed_stream,
    "background": background_stream,
    "background_queued_first": background_queued_first_stream,
    "azure_extras": azure_extras_stream,
    "hosted_tool": tool_stream,
    "mcp_call": mcp_stream,
    "error_then_failed": error_then_failed_stream,
    "background_without_usage": background_without_usage_stream,
}

WEB_SEARCH_ITEM = {"id": "ws_1", "type": "web_search_call", "status": "completed", "action": {"type": "search", "query": "q"}}
FOUNDRY_AGENT = {"type": "agent_id", "name": "a", "version": "2"}

VALID_RESPONSES: dict[str, dict[str, Any]] = {
    "message": response_body("completed", [message_item("Hello")], output_text="Hello"),
    "int_created_at": response_body("completed", [message_item("a", "b")], created_at=1741487325),
    "function_call": response_body("completed", [function_call_item()]),
    "reasoning_and_message": response_body("completed", [reasoning_item("thinking"), message_item("done")]),
    "incomplete": response_body(
        "incomplete", [message_item("cut", status="incomplete")], incomplete_details={"reason": "max_output_tokens"}
    ),
    "failed": response_body("failed", [], error={"code": "server_error", "message": "boom"}),
    "queued": response_body("queued", [], background=True),
    "cancelled": response_body("cancelled", [], background=True),
    "unknown_item_type": response_body("completed", [WEB_SEARCH_ITEM]),
    "int_completed_at": response_body("completed", [message_item("a")], created_at=1741487325, completed_at=1741487327),
    "reasoning_minimal_no_tokens": response_body("completed", [reasoning_item(), message_item("ok")]),
    "azure_extras": response_body(
        "completed",
        [message_item("Hi")],
        content_filters=CONTENT_FILTERS,
        user=None,
        prompt_cache_key="k",
        safety_identifier="u1",
        conversation=None,
        agent=FOUNDRY_AGENT,
    ),
}


def sdk_event_classes() -> dict[str, type]:
    union = typing.get_args(ResponseStreamEvent)[0]
    return {typing.get_args(cls.model_fields["type"].annotation)[0]: cls for cls in typing.get_args(union)}


SDK_EVENTS = sdk_event_classes()


@pytest.mark.parametrize("name", VALID_STREAMS)
def test_valid_stream_has_no_violations(name: str) -> None:
    assert check_stream(VALID_STREAMS[name]()) == []


@pytest.mark.parametrize("name", VALID_STREAMS)
def test_valid_stream_fixture_parses_with_the_sdk(name: str) -> None:
    """Guards the fixtures: every event and response snapshot is one the openai SDK accepts."""
    for event in VALID_STREAMS[name]():
        if event["type"] in SDK_EVENTS:  # hosted-tool progress events are in the union too
            SDK_EVENTS[event["type"]].model_validate(event)
        if "response" in event:
            Response.model_validate(event["response"])


@pytest.mark.parametrize("name", VALID_RESPONSES)
def test_valid_response_has_no_violations(name: str) -> None:
    body = VALID_RESPONSES[name]
    Response.model_validate(body)
    assert check_response(body) == []


def test_response_from_the_2025_03_api_version_is_accepted() -> None:
    """Only launch-era fields are required, and usage details may lack newer keys (cache_write_tokens)."""
    body = {"id": "resp_1", "object": "response", "created_at": 1741369938.0, "status": "completed", "model": "m", "output": []}
    body["usage"] = {
        "input_tokens": 5,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": 1,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": 6,
    }
    assert check_response(body) == []


def test_resumed_stream_may_start_anywhere() -> None:
    """`starting_after=N` resumes mid-item: start=None takes the first number and adopts open items."""
    for fixture in (reasoning_stream, two_items_stream, function_call_stream):
        events = fixture()
        for cut in range(1, len(events)):
            assert check_stream(events[cut:], start=None) == [], (fixture.__name__, cut)


def test_resumed_stream_still_checks_the_text_it_sees() -> None:
    events = edited(text_stream, "response.output_text.delta", {"delta": "Hullo"}, nth=1)()
    assert rules(check_stream(events[5:], start=None)) == {"stream.delta_concat"}


def test_start_parameter_sets_the_first_number() -> None:
    events = renumber(text_stream(), start=5)
    assert check_stream(events, start=5) == []
    assert rules(check_stream(events)) == {"stream.sequence"}


def test_violation_is_frozen_and_reads_well() -> None:
    v = Violation("events[7].sequence_number", "expected 7, got 9", "stream.sequence")
    assert str(v) == "events[7].sequence_number: expected 7, got 9 [stream.sequence]"
    with pytest.raises(FrozenInstanceError):
        v.rule = "x"  # type: ignore[misc]


def test_error_ended_stream_reports_nothing_about_the_missing_terminal() -> None:
    assert check_stream(error_stream()) == []
    broken = error_stream()
    broken[-1] = {"type": "error", "sequence_number": broken[-1]["sequence_number"], "code": None}
    assert [(v.where, v.rule) for v in check_stream(broken)] == [(f"events[{len(broken) - 1}]", "stream.error_event")]


def test_a_stream_may_be_a_lone_error_event() -> None:
    """A request that fails before the response exists may stream just `error`."""
    assert check_stream([{"type": "error", "sequence_number": 0, "code": "rate_limit_exceeded", "message": "slow down", "param": None}]) == []


def test_a_lone_wrong_sequence_number_is_one_violation() -> None:
    events = edited(text_stream, "response.output_text.delta", {"sequence_number": 40}, nth=1)()
    i = find(events, "response.output_text.delta", 1)
    assert check_stream(events) == [Violation(f"events[{i}].sequence_number", f"expected {i}, got 40", "stream.sequence")]


def test_a_gap_in_the_numbers_is_one_violation() -> None:
    events = text_stream()
    del events[1]  # response.in_progress is optional: only the numbering shows it went missing
    assert check_stream(events) == [Violation("events[1].sequence_number", "expected 1, got 2", "stream.sequence")]


def test_response_violation_location() -> None:
    bad_part = {"type": "output_text", "text": 3, "annotations": []}
    body = response_body("completed", [function_call_item(), {**message_item(), "content": [bad_part]}])
    assert [str(v) for v in check_response(body)] == ["output[1].content[0].text: expected string, got integer [response.output_item]"]


# ---- one broken input per rule ---------------------------------------------------------------------


def bad(status: str = "completed", output: list[Any] | None = None, **over: Any) -> dict[str, Any]:
    return response_body(status, [message_item("Hi")] if output is None else output, **over)


def without(body: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != key}


def with_content(*parts: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**message_item(), "content": list(parts)}]


RESPONSE_CASES: list[tuple[str, Any, str]] = [
    ("not_an_object", ["resp_1"], "response.shape"),
    ("missing_model", without(bad(), "model"), "response.required"),
    ("missing_output", without(bad(), "output"), "response.required"),
    ("error_without_message", bad("failed", [], error={"code": "server_error"}), "response.required"),
    ("created_at_string", bad(created_at="2025-03-11T00:00:00Z"), "response.field"),
    ("created_at_bool", bad(created_at=True), "response.field"),
    ("object_wrong", bad(object="chat.completion"), "response.field"),
    ("id_empty", bad(id=""), "response.field"),
    ("id_number", bad(id=7), "response.field"),
    ("content_filters_object", bad(content_filters={"blocked": False}), "response.field"),
    ("parallel_tool_calls_string", bad(parallel_tool_calls="yes"), "response.field"),
    ("status_unknown", bad(status="done"), "response.status"),
    ("completed_with_error", bad(error={"code": "server_error", "message": "x"}), "response.status_consistency"),
    ("completed_with_details", bad(incomplete_details={"reason": "max_output_tokens"}), "response.status_consistency"),
    ("incomplete_without_reason", bad("incomplete", incomplete_details={}), "response.status_consistency"),
    ("failed_without_error", bad("failed", []), "response.status_consistency"),
    ("item_without_type", bad(output=[{"id": "x", "status": "completed"}]), "response.output_item"),
    ("item_not_object", bad(output=["message"]), "response.output_item"),
    ("message_without_content", bad(output=[without(message_item("x"), "content")]), "response.output_item"),
    ("message_role_user", bad(output=[{**message_item("x"), "role": "user"}]), "response.output_item"),
    ("output_text_no_annotations", bad(output=with_content({"type": "output_text", "text": "x"})), "response.output_item"),
    ("refusal_not_string", bad(output=with_content({"type": "refusal", "refusal": None})), "response.output_item"),
    ("function_call_without_name", bad(output=[without(function_call_item(), "name")]), "response.output_item"),
    ("reasoning_summary_not_list", bad(output=[{**reasoning_item(), "summary": "thinking"}]), "response.output_item"),
    ("arguments_not_json", bad(output=[function_call_item('{"city": "Par')]), "response.arguments_json"),
    ("output_text_differs", bad(output_text="Bye"), "response.output_text"),
    ("usage_total_wrong", bad(usage={**usage(), "total_tokens": 99}), "response.usage"),
    ("usage_negative", bad(usage={**usage(), "input_tokens": -1, "total_tokens": 7}), "response.usage"),
    ("usage_missing_total", bad(usage=without(usage(), "total_tokens")), "response.usage"),
    ("usage_cached_over_input", bad(usage={**usage(12, 8), "input_tokens_details": {"cached_tokens": 13}}), "response.usage"),
    ("created_at_milliseconds", bad(created_at=1741369938000), "response.timestamp"),
    ("created_at_float_milliseconds", bad(created_at=1741369938000.0), "response.timestamp"),
    ("completed_at_milliseconds", bad(completed_at=1741369939000.0), "response.timestamp"),
    ("created_at_zero", bad(created_at=0), "response.timestamp"),
    ("created_at_negative", bad(created_at=-1), "response.timestamp"),
    ("created_at_next_year", bad(created_at=time.time() + 365 * 86400), "response.timestamp"),
    ("completed_before_created", bad(completed_at=1741369937.0), "response.timestamp"),
    ("reasoning_tokens_zero_with_summary", bad(output=[reasoning_item("I count the r's"), message_item("3")], usage=usage()),
     "response.reasoning_tokens"),
    ("usage_reasoning_over_output", bad(usage={**usage(12, 8), "output_tokens_details": {"reasoning_tokens": 9}}), "response.usage"),
]


@pytest.mark.parametrize(("body", "rule"), [pytest.param(b, r, id=n) for n, b, r in RESPONSE_CASES])
def test_response_rule(body: Any, rule: str) -> None:
    assert rule in rules(check_response(body))


def _drop_usage(events: Events) -> Events:
    del events[-1]["response"]["usage"]
    return events


def _not_an_event() -> Events:
    events = text_stream()
    events[3] = "data: {}"  # type: ignore[call-overload]
    return events


def _second_item_at(index: int) -> Events:
    events = StreamBuilder().created().message(["a"]).message(["b"]).completed().events
    for ev in events[find(events, "response.output_item.added", 1) : -1]:
        ev["output_index"] = index
    return events


def _text_delta_into_refusal() -> Events:
    events = StreamBuilder().created().message(refusal=["I can't"]).completed().events
    i = find(events, "response.refusal.delta")
    events[i] = {**events[i], "type": "response.output_text.delta", "logprobs": []}
    return events


def _ref(item_id: str = "msg_0", **more: Any) -> dict[str, Any]:
    return {"item_id": item_id, "output_index": 0, **more}


SUMMARY_PART = {"type": "response.reasoning_summary_part.added", **_ref(summary_index=0), "part": {"type": "summary_text", "text": ""}}
ARGS_DELTA = {"type": "response.function_call_arguments.delta", **_ref(), "delta": "{"}
LATE_TEXT_DELTA = {"type": "response.output_text.delta", **_ref(content_index=0), "delta": "x", "logprobs": []}


def _searching(events: Events) -> dict[str, Any]:
    return events[find(events, "response.file_search_call.searching")]


STREAM_CASES: list[tuple[str, Build, str]] = [
    ("empty", lambda: [], "stream.empty"),
    ("not_an_event", _not_an_event, "stream.event_shape"),
    ("event_without_type", inserted(text_stream, 2, {"delta": "x"}), "stream.event_shape"),
    ("delta_not_string", edited(text_stream, "response.output_text.delta", {"delta": None}), "stream.event_field"),
    ("output_index_string", edited(text_stream, "response.output_text.delta", {"output_index": "0"}), "stream.event_field"),
    ("tool_event_item_id_number", edited(tool_stream, "response.file_search_call.searching", {"item_id": 5}), "stream.event_field"),
    ("sequence_jump", edited(text_stream, "response.output_text.delta", {"sequence_number": 99}), "stream.sequence"),
    ("sequence_missing", lambda: [without(ev, "sequence_number") for ev in text_stream()], "stream.sequence"),
    ("sequence_not_from_zero", lambda: renumber(text_stream(), start=1), "stream.sequence"),
    ("sequence_repeated", lambda: (lambda e: e[:5] + [e[4]] + e[5:])(text_stream()), "stream.sequence"),
    ("starts_with_in_progress", dropped(text_stream, "response.created"), "stream.start"),
    ("starts_with_item", lambda: renumber(text_stream()[2:]), "stream.start"),
    ("created_twice", inserted(text_stream, 1, lambda events: events[0]), "stream.lifecycle"),
    ("in_progress_twice", inserted(text_stream, 2, lambda events: events[1]), "stream.lifecycle"),
    ("in_progress_after_items", swapped(text_stream, "response.in_progress"), "stream.lifecycle"),
    ("queued_after_in_progress", swapped(background_stream, "response.queued"), "stream.lifecycle"),
    ("in_progress_id_differs", edited(text_stream, "response.in_progress", {"response.id": "resp_x"}), "stream.response_id"),
    ("completed_id_differs", edited(text_stream, "response.completed", {"response.id": "resp_x"}), "stream.response_id"),
    ("created_completed", edited(text_stream, "response.created", {"response.status": "completed"}), "stream.response_status"),
    ("completed_in_progress", edited(text_stream, "response.completed", {"response.status": "in_progress"}), "stream.response_status"),
    ("item_index_skipped", lambda: _second_item_at(2), "stream.item_order"),
    ("item_added_twice", inserted(text_stream, 3, lambda events: events[2]), "stream.item_order"),
    ("delta_for_unknown_index", edited(text_stream, "response.output_text.delta", {"output_index": 4}), "stream.item_ref"),
    ("delta_item_id_differs", edited(text_stream, "response.output_text.delta", {"item_id": "msg_x"}), "stream.item_ref"),
    ("tool_event_before_added", swapped(tool_stream, "response.output_item.added"), "stream.item_ref"),
    ("tool_event_after_item_done", inserted(tool_stream, 7, _searching), "stream.item_closed"),
    ("item_done_id_differs", edited(text_stream, "response.output_item.done", {"item.id": "msg_x"}), "stream.item_pairing"),
    ("item_done_type_differs", edited(function_call_stream, "response.output_item.done", {"item.type": "mcp_call"}), "stream.item_pairing"),
    ("item_never_done", dropped(text_stream, "response.output_item.done"), "stream.item_pairing"),
    ("delta_before_part_added", swapped(text_stream, "response.content_part.added"), "stream.part_order"),
    ("part_added_while_open", swapped(two_parts_stream, "response.content_part.done"), "stream.part_order"),
    ("part_index_skipped", edited(text_stream, "response.content_part.added", {"content_index": 1}), "stream.part_order"),
    ("delta_after_text_done", swapped(text_stream, "response.output_text.done", -1), "stream.part_order"),
    ("part_never_added", dropped(text_stream, "response.content_part.added"), "stream.part_order"),
    ("part_left_open", dropped(text_stream, "response.content_part.done"), "stream.part_order"),
    ("summary_done_after_part", swapped(reasoning_stream, "response.reasoning_summary_part.done", -1), "stream.part_order"),
    ("text_delta_into_refusal_part", _text_delta_into_refusal, "stream.part_type"),
    ("summary_part_on_message", inserted(text_stream, 3, SUMMARY_PART), "stream.part_type"),
    ("arguments_delta_on_message", inserted(text_stream, 4, ARGS_DELTA), "stream.part_type"),
    ("part_done_type_differs", edited(text_stream, "response.content_part.done", {"part.type": "refusal"}), "stream.part_type"),
    ("text_done_missing", dropped(text_stream, "response.output_text.done"), "stream.done_missing"),
    ("summary_done_missing", dropped(reasoning_stream, "response.reasoning_summary_text.done"), "stream.done_missing"),
    ("arguments_done_missing", dropped(function_call_stream, "response.function_call_arguments.done"), "stream.done_missing"),
    ("text_delta_corrupted", edited(text_stream, "response.output_text.delta", {"delta": "Hullo"}), "stream.delta_concat"),
    ("text_delta_dropped", dropped(text_stream, "response.output_text.delta", 2), "stream.delta_concat"),
    ("arguments_delta_corrupted", edited(function_call_stream, "response.function_call_arguments.delta", {"delta": "["}), "stream.delta_concat"),
    ("summary_delta_corrupted", edited(reasoning_stream, "response.reasoning_summary_text.delta", {"delta": "?"}, 3), "stream.delta_concat"),
    ("reasoning_delta_corrupted", edited(reasoning_text_stream, "response.reasoning_text.delta", {"delta": "?"}), "stream.delta_concat"),
    ("refusal_delta_corrupted", edited(two_items_stream, "response.refusal.delta", {"delta": "?"}), "stream.delta_concat"),
    ("obfuscated_delta_corrupted", edited(azure_extras_stream, "response.output_text.delta", {"delta": "Hey"}), "stream.delta_concat"),
    ("part_done_text_differs", edited(text_stream, "response.content_part.done", {"part.text": "Hello"}), "stream.done_text"),
    ("item_done_text_differs", edited(text_stream, "response.output_item.done", {"item.content.0.text": "Hi"}), "stream.done_text"),
    ("item_done_lacks_part", edited(text_stream, "response.output_item.done", {"item.content": []}), "stream.done_text"),
    ("item_done_arguments_differ", edited(function_call_stream, "response.output_item.done", {"item.arguments": "{}"}), "stream.done_text"),
    ("item_done_summary_differs", edited(reasoning_stream, "response.output_item.done", {"item.summary.1.text": "x"}), "stream.done_text"),
    ("no_terminal", lambda: text_stream()[:-1], "stream.terminal"),
    ("two_terminals", inserted(text_stream, -1, lambda events: events[-1]), "stream.terminal"),
    ("event_after_error", inserted(error_stream, -1, LATE_TEXT_DELTA), "stream.terminal"),
    ("error_after_completed", lambda: renumber(text_stream() + [StreamBuilder().error().events[0]]), "stream.terminal"),
    ("completed_after_error", lambda: renumber(error_stream() + [text_stream()[-1]]), "stream.terminal"),
    ("error_failed_then_more", lambda: renumber(error_then_failed_stream() + [error_stream()[-1]]), "stream.terminal"),
    ("failed_not_right_after_error", lambda: renumber(error_stream() + [LATE_TEXT_DELTA, StreamBuilder().failed().events[0]]),
     "stream.terminal"),
    ("completed_usage_null", edited(text_stream, "response.completed", {"response.usage": None}), "stream.usage"),
    ("incomplete_usage_missing", lambda: _drop_usage(incomplete_stream()), "stream.usage"),
    ("mcp_arguments_delta_corrupted", edited(mcp_stream, "response.mcp_call_arguments.delta", {"delta": "["}), "stream.delta_concat"),
    ("mcp_arguments_done_differs", edited(mcp_stream, "response.mcp_call_arguments.done", {"arguments": "{}"}), "stream.delta_concat"),
    ("mcp_arguments_done_missing", dropped(mcp_stream, "response.mcp_call_arguments.done"), "stream.done_missing"),
    ("mcp_item_done_arguments_differ", edited(mcp_stream, "response.output_item.done", {"item.arguments": "{}"}), "stream.done_text"),
    ("terminal_not_last", swapped(text_stream, "response.output_item.done"), "stream.terminal"),
    ("final_text_differs", edited(text_stream, "response.completed", {"response.output.0.content.0.text": "Hi"}), "stream.final_output"),
    ("final_output_empty", edited(text_stream, "response.completed", {"response.output": []}), "stream.final_output"),
    ("final_output_id_differs", edited(text_stream, "response.completed", {"response.output.0.id": "msg_x"}), "stream.final_output"),
    ("final_arguments_differ", edited(function_call_stream, "response.completed", {"response.output.0.arguments": "{}"}), "stream.final_output"),
    ("terminal_usage_wrong", edited(text_stream, "response.completed", {"response.usage.total_tokens": 1}), "response.usage"),
    ("azure_content_filters_object", edited(azure_extras_stream, "response.completed", {"response.content_filters": {}}), "response.field"),
    ("error_without_code_or_message", edited(error_stream, "error", {"code": None, "message": None}), "stream.error_event"),
    ("error_code_number", edited(error_stream, "error", {"code": 500}), "stream.error_event"),
]


@pytest.mark.parametrize(("build", "rule"), [pytest.param(b, r, id=n) for n, b, r in STREAM_CASES])
def test_stream_rule(build: Build, rule: str) -> None:
    assert rule in rules(check_stream(build()))


def test_every_rule_has_a_case() -> None:
    try:
        from .test_checks_content_filter import TESTED_RULES as FILTER_RULES
        from .test_checks_surface import TESTED_RULES as SURFACE_RULES
        from .test_checks_wire import TESTED_RULES as WIRE_RULES
    except ImportError:
        from test_checks_content_filter import TESTED_RULES as FILTER_RULES  # type: ignore[no-redef]
        from test_checks_surface import TESTED_RULES as SURFACE_RULES  # type: ignore[no-redef]
        from test_checks_wire import TESTED_RULES as WIRE_RULES  # type: ignore[no-redef]
    try:
        from .test_checks_tools import TESTED_RULES as TOOL_RULES
    except ImportError:
        from test_checks_tools import TESTED_RULES as TOOL_RULES  # type: ignore[no-redef]
    tested = {r for _, _, r in RESPONSE_CASES} | {r for _, _, r in STREAM_CASES} | WIRE_RULES | TOOL_RULES | FILTER_RULES | SURFACE_RULES
    assert tested == set(RULES)
