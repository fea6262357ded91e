"""`check_stream`: do the decoded SSE `data` objects of a Responses stream tell one coherent story?

The rules are what a client's stream accumulator relies on: numbered events, items opened and
closed in pairs, deltas that add up to the `.done` values, and a terminal response that agrees
with what was streamed. Unknown event types (hosted tools, MCP, image generation...) pass as
long as they are numbered and point at an open item; Azure extras (`obfuscation` on deltas,
`content_filters` on snapshots) are never looked at.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable, Mapping

from conformance.checks._base import NULL, STR, FieldSpec, Violation, check_fields, is_int, join, json_type
from conformance.checks._stream_items import on_delta, on_item_added, on_item_done, on_part_added, on_part_done, on_text_done
from conformance.checks._stream_state import (
    ANY_EVENT_FIELDS,
    CHANNELS,
    EVENT_FIELDS,
    LIFECYCLE_STATUS,
    OPENING,
    PART_EVENTS,
    TERMINALS,
    Item,
    State,
    at,
)
from conformance.checks.response import check_response

__all__ = ["check_stream"]

Event = dict[str, Any]


def check_stream(events: list[Event], start: int | None = 0) -> list[Violation]:
    """Every stream rule, in event order.

    `start` is the first sequence_number expected; `None` takes the first event's number and
    allows a stream resumed mid-way (`GET /responses/{id}?stream=true&starting_after=N`).
    """
    if not isinstance(events, (list, tuple)):
        return [Violation("events", f"expected a list of events, got {json_type(events)}", "stream.event_shape")]
    events = list(events)
    if not events:
        return [Violation("events", "the stream has no events", "stream.empty")]
    first = events[0].get("type") if isinstance(events[0], dict) else None
    state = State(start=start, resumed=start is None and first not in OPENING)
    for i, ev in enumerate(events):
        if not isinstance(ev, dict) or not isinstance(ev.get("type"), str):
            state.add(at(i), "an event must be a JSON object with a string type", "stream.event_shape")
            state.last_seq = None
            continue
        _check_event(state, i, ev, events[i + 1] if i + 1 < len(events) else None)
    if state.end is None:
        last = events[-1].get("type") if isinstance(events[-1], dict) else None
        what = f"the stream ends with {last!r}, without a terminal event ({', '.join(TERMINALS)}) or error"
        state.add(at(len(events) - 1), what, "stream.terminal")
    return state.found


def _check_event(state: State, i: int, ev: Event, following: Any) -> None:
    etype = ev["type"]
    _check_sequence(state, i, ev, following)
    if i == 0 and state.start is not None and etype not in (*OPENING, "error"):
        state.add(at(i), f"a stream starts with response.created (or response.queued), got {etype}", "stream.start")
    if state.end is not None and _failed_after_error(state, i, etype):
        state.end = None  # OpenAI follows a stream's error event with response.failed, which ends it
    elif state.end is not None:
        state.add(at(i), f"{etype} after the stream ended with {state.end[1]} at {at(state.end[0])}", "stream.terminal")
    malformed = check_fields(ev, at(i), EVENT_FIELDS.get(etype, ANY_EVENT_FIELDS), rule="stream.event_field")
    state.found += malformed
    if malformed:
        return  # its meaning cannot be read; the other events still are
    if etype != "response.output_item.added":
        _check_reference(state, i, ev)
    handler = _HANDLERS.get(etype)
    if handler is not None:
        handler(state, i, ev)


def _failed_after_error(state: State, i: int, etype: str) -> bool:
    """`error` then `response.failed`, right after it: the pair OpenAI sends when a stream fails."""
    return etype == "response.failed" and state.end == (i - 1, "error")


def _check_sequence(state: State, i: int, ev: Event, following: Any) -> None:
    """Resumption (`starting_after`) relies on numbers that start at 0 and rise by exactly one.

    After a mismatch the count goes on from the number seen, unless the next event shows that
    only this one number was wrong; either way one break is reported once.
    """
    seq, where = ev.get("sequence_number"), join(at(i), "sequence_number")
    if not is_int(seq):
        state.add(where, "missing" if seq is None else f"expected integer, got {json_type(seq)}", "stream.sequence")
        state.last_seq = None
        return
    expected = state.start if i == 0 else (None if state.last_seq is None else state.last_seq + 1)
    state.last_seq = seq
    if expected is not None and seq != expected:
        state.add(where, f"expected {expected}, got {seq}", "stream.sequence")
        if isinstance(following, dict) and following.get("sequence_number") == expected + 1:
            state.last_seq = expected  # a lone wrong number


def _check_reference(state: State, i: int, ev: Event) -> None:
    """Events carrying output_index/item_id must point at an item that is added and not yet done."""
    if "output_index" not in ev and "item_id" not in ev:
        return
    item = state.item_for(ev)
    ref = f"output_index {ev['output_index']}" if "output_index" in ev else f"item_id {ev['item_id']!r}"
    if item is None:
        if not state.resumed:
            state.add(at(i), f"{ev['type']} refers to {ref}, which was never added", "stream.item_ref")
        elif "output_index" in ev:  # resumed: its output_item.added came before the cut
            state.items[ev["output_index"]] = Item(ev["output_index"], ev.get("item_id"), None, i, partial=True)
            state.next_index = max(state.next_index, ev["output_index"] + 1)
        return
    if "item_id" in ev and item.id is not None and ev["item_id"] != item.id:
        what = f"item_id {ev['item_id']!r} differs from {item.id!r} added at {at(item.opened_at)}"
        state.add(join(at(i), "item_id"), what, "stream.item_ref")
    if item.closed_at is not None:
        what = f"{ev['type']} for {ref} after its output_item.done at {at(item.closed_at)}"
        state.add(at(i), what, "stream.item_closed")


# ---- lifecycle and the end of the stream ---------------------------------------------------------


def _on_lifecycle(state: State, i: int, ev: Event) -> None:
    """Response snapshots: each a valid response, all with one id, each with its event's status."""
    etype, resp, here = ev["type"], ev["response"], at(i)
    state.found += check_response(resp, where=join(here, "response"))
    status = resp.get("status")
    if isinstance(status, str) and status not in LIFECYCLE_STATUS[etype]:
        state.add(join(here, "response.status"), f"{etype} carries status {status!r}", "stream.response_status")
    rid = resp.get("id")
    if state.response_id is None and isinstance(rid, str):
        state.response_id = rid
    elif isinstance(rid, str) and rid != state.response_id:
        what = f"response id {rid!r} differs from {state.response_id!r} earlier in the stream"
        state.add(join(here, "response.id"), what, "stream.response_id")
    if etype in TERMINALS:
        _check_usage_present(state, i, etype, resp)
        _on_terminal(state, i, ev)
    else:
        _check_lifecycle_order(state, i, etype)
    state.lifecycle_seen.setdefault(etype, i)


def _check_lifecycle_order(state: State, i: int, etype: str) -> None:
    """created, queued and in_progress come once each, queued before in_progress, all before items."""
    here, seen = at(i), state.lifecycle_seen
    if etype in seen:
        state.add(here, f"{etype} was already sent at {at(seen[etype])}", "stream.lifecycle")
    if etype == "response.queued" and "response.in_progress" in seen:
        what = f"response.queued after response.in_progress at {at(seen['response.in_progress'])}"
        state.add(here, what, "stream.lifecycle")
    if state.first_item_at is not None:
        state.add(here, f"{etype} after output items started at {at(state.first_item_at)}", "stream.lifecycle")


def _check_usage_present(state: State, i: int, etype: str, resp: Mapping[str, Any]) -> None:
    """A stream's usage comes only with its end: completed and incomplete carry it (failed may not).

    Background streams are left out: their terminal snapshot is the stored job's.
    """
    if etype == "response.failed" or resp.get("background") is True:
        return
    if not isinstance(resp.get("usage"), dict):
        what = f"{etype} carries usage {json_type(resp.get('usage'))}: a finished stream reports its token usage"
        state.add(join(at(i), "response.usage"), what, "stream.usage")


def _on_terminal(state: State, i: int, ev: Event) -> None:
    """The terminal response closes every item and repeats what was streamed (failed may cut short)."""
    state.end = state.end or (i, ev["type"])
    failed = ev["type"] == "response.failed"
    for item in state.items.values() if not failed else ():
        if item.closed_at is None:
            what = f"output_index {item.index} ({item.type}) added at {at(item.opened_at)} was never done"
            state.add(at(i), what, "stream.item_pairing")
    output = ev["response"].get("output")
    if not isinstance(output, list):
        return  # check_response reported it
    where = join(at(i), "response.output")
    if not failed and not state.resumed and len(output) != len(state.items):
        what = f"the final output has {len(output)} items but {len(state.items)} were streamed"
        state.add(where, what, "stream.final_output")
    for index, item in sorted(state.items.items()):
        if index < len(output) and isinstance(output[index], dict):
            _compare_final_item(state, join(where, index), item, output[index])


def _compare_final_item(state: State, where: str, item: Item, final: Mapping[str, Any]) -> None:
    for key, streamed in (("type", item.type), ("id", item.id)):
        if streamed is not None and final.get(key) != streamed:
            what = f"{key} {final.get(key)!r} differs from the streamed {streamed!r}"
            state.add(join(where, key), what, "stream.final_output")
    if item.done is not None and _payload(final) != _payload(item.done):
        what = f"the final item's text differs from its output_item.done at {at(item.closed_at or 0)}"
        state.add(where, what, "stream.final_output")


def _payload(item: Mapping[str, Any]) -> object:
    """The streamed substance of an item: its arguments and the texts of its parts."""

    def texts(key: str) -> list[object]:
        parts = item.get(key)
        if not isinstance(parts, list):
            return []
        return [(p.get("type"), p.get("text", p.get("refusal"))) for p in parts if isinstance(p, dict)]

    return (item.get("arguments"), texts("content"), texts("summary"))


_ERROR_FIELDS = {"code": FieldSpec.of(STR, NULL), "message": FieldSpec.of(STR), "param": FieldSpec.of(STR, NULL)}


def _on_error(state: State, i: int, ev: Event) -> None:
    """An `error` event ends the stream in place of a terminal event; it must say what went wrong."""
    state.end = state.end or (i, "error")
    nested = ev["error"] if isinstance(ev.get("error"), dict) else {}  # as some gateways nest it
    code, message = ev.get("code", nested.get("code")), ev.get("message", nested.get("message"))
    if not isinstance(code, str) and not isinstance(message, str):
        state.add(at(i), "an error event needs a code or a message string", "stream.error_event")
    state.found += check_fields(ev, at(i), _ERROR_FIELDS, rule="stream.error_event")


def _handlers() -> dict[str, Callable[[State, int, Event], None]]:
    """Event type -> rule handler; types not listed get only the generic rules."""
    table: dict[str, Callable[[State, int, Event], None]] = {t: _on_lifecycle for t in LIFECYCLE_STATUS}
    table["error"] = _on_error
    table["response.output_item.added"] = on_item_added
    table["response.output_item.done"] = on_item_done
    for name, (kind, index_field, opens) in PART_EVENTS.items():
        table[name] = partial(on_part_added if opens else on_part_done, kind=kind, index_field=index_field)
    for ch in CHANNELS:
        table[f"{ch.prefix}.delta"] = partial(on_delta, ch=ch)
        table[f"{ch.prefix}.done"] = partial(on_text_done, ch=ch)
    return table


_HANDLERS = _handlers()
