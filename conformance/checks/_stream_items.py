"""Stream rules for output items, their parts and text deltas (used by `stream.check_stream`)."""

from __future__ import annotations

from typing import Any, Mapping

from conformance.checks._base import join
from conformance.checks._stream_state import (
    ARGUMENT_ITEM_TYPES,
    DONE_EVENT_OF_PART,
    PART_ITEM_TYPES,
    Channel,
    Item,
    Part,
    State,
    agrees,
    at,
    part_label,
    short,
    text_key,
)
from conformance.checks.response import check_output_item

Event = dict[str, Any]


def on_item_added(state: State, i: int, ev: Event) -> None:
    """Items open once each, at the next output_index (they may overlap: no close is awaited)."""
    index, item, here = ev["output_index"], ev["item"], at(i)
    state.found += check_output_item(item, join(here, "item"), final=False)
    state.first_item_at = i if state.first_item_at is None else state.first_item_at
    if index in state.items:
        was = at(state.items[index].opened_at)
        state.add(join(here, "output_index"), f"output_index {index} was already added at {was}", "stream.item_order")
        return
    if index != state.next_index and not (state.resumed and not state.items):
        what = f"items open in order: expected output_index {state.next_index}, got {index}"
        state.add(join(here, "output_index"), what, "stream.item_order")
    kind = item.get("type") if isinstance(item.get("type"), str) else None
    new = Item(index, item.get("id") if isinstance(item.get("id"), str) else None, kind, i)
    if kind in ARGUMENT_ITEM_TYPES:
        args = item.get("arguments")
        new.parts[("arguments", 0)] = Part("arguments", 0, None, i, text=args if isinstance(args, str) else "")
    state.items[index] = new
    state.next_index = max(state.next_index, index + 1)


def on_item_done(state: State, i: int, ev: Event) -> None:
    """`output_item.done` repeats its `added` item (same id and type) with the streamed text."""
    item = state.open_item(ev)
    if item is None:
        return
    done, here = ev["item"], at(i)
    state.found += check_output_item(done, join(here, "item"), final=True)
    if item.partial:
        item.type = item.type or done.get("type")
        item.id = item.id or done.get("id")
    for key, opened in (("type", item.type), ("id", item.id)):
        if opened is not None and done.get(key) != opened:
            what = f"{key} {done.get(key)!r} differs from {opened!r} in output_item.added at {at(item.opened_at)}"
            state.add(join(here, f"item.{key}"), what, "stream.item_pairing")
    for part in item.parts.values():
        _check_part_at_item_done(state, here, part, done, item.type)
    item.done, item.closed_at = done, i


def _check_part_at_item_done(state: State, here: str, part: Part, done: Mapping[str, Any], item_type: str | None) -> None:
    """At item close no part is left open, and the item's copy of each part's text matches."""
    if part.kind == "arguments":
        if part.deltas and part.done_text is None:
            done_event = f"response.{item_type or 'function_call'}_arguments.done"
            state.add(here, f"the item is done without {done_event}", "stream.done_missing")
        actual, where = done.get("arguments"), join(here, "item.arguments")
    else:
        if not part.closed:
            what = f"{part.label} (added at {at(part.opened_at)}) is still open when its item is done"
            state.add(here, what, "stream.part_order")
            return
        container = done.get(part.kind)
        entry = container[part.index] if isinstance(container, list) and part.index < len(container) else None
        if not isinstance(entry, dict):
            what = f"the done item lacks the streamed {part.label}"
            state.add(join(here, f"item.{part.kind}"), what, "stream.done_text")
            return
        actual, where = entry.get(text_key(part.type)), join(join(join(here, "item"), part.kind), part.index)
    expected, exact = part.final()
    if isinstance(actual, str) and not agrees(actual, expected, exact):
        what = f"the done item says {short(actual)} but the stream built {short(expected)}"
        state.add(where, what, "stream.done_text")


def on_part_added(state: State, i: int, ev: Event, kind: str, index_field: str) -> None:
    """Parts open one at a time (summary and content alike), each kind at its next index."""
    item = state.open_item(ev)
    if item is None:
        return
    index, body, here = ev[index_field], ev["part"], at(i)
    if item.type is not None and item.type not in PART_ITEM_TYPES[kind]:
        state.add(here, f"{ev['type']} on a {item.type} item", "stream.part_type")
        return
    if (kind, index) in item.parts:
        state.add(join(here, index_field), f"{part_label(kind, index)} was already added", "stream.part_order")
        return
    if not item.partial:
        if index != item.next_part[kind]:
            what = f"{kind} parts open in order: expected {item.next_part[kind]}, got {index}"
            state.add(join(here, index_field), what, "stream.part_order")
        for other in item.parts.values():
            if other.kind != "arguments" and not other.closed:
                what = f"{part_label(kind, index)} added while {other.label} is still open"
                state.add(here, what, "stream.part_order")
    opening = body.get(text_key(body.get("type")))
    ptype = body.get("type") if isinstance(body.get("type"), str) else None
    item.parts[(kind, index)] = Part(kind, index, ptype, i, text=opening if isinstance(opening, str) else "")
    item.next_part[kind] = max(item.next_part[kind], index + 1)


def on_part_done(state: State, i: int, ev: Event, kind: str, index_field: str) -> None:
    """A part closes once, after its text `.done`, with the text its deltas built."""
    item = state.open_item(ev)
    part = _target(state, i, ev, item, kind, ev[index_field]) if item else None
    if part is None:
        return
    body, here = ev["part"], at(i)
    if part.type is not None and body.get("type") != part.type:
        what = f"part type {body.get('type')!r} differs from {part.type!r} when added"
        state.add(join(here, "part.type"), what, "stream.part_type")
    if part.deltas and part.done_text is None:
        done_event = DONE_EVENT_OF_PART.get(part.type or "", "its .done event")
        state.add(here, f"{part.label} is closed without {done_event}", "stream.done_missing")
    key = text_key(body.get("type"))
    actual, (expected, exact) = body.get(key), part.final()
    if isinstance(actual, str) and not agrees(actual, expected, exact):
        what = f"the part says {short(actual)} but the stream built {short(expected)}"
        state.add(join(here, f"part.{key}"), what, "stream.done_text")
    part.closed, part.closed_text = True, actual if isinstance(actual, str) else None


def _target(state: State, i: int, ev: Event, item: Item, kind: str, index: int) -> Part | None:
    """The open part an event writes to; reports it when never added or already closed."""
    part = item.parts.get((kind, index))
    if part is None:
        if not (item.partial or state.resumed):
            state.add(at(i), f"{ev['type']} for {part_label(kind, index)}, which was never added", "stream.part_order")
        # adopt it as joined mid-way, so the rest of it is still checked and the gap reported once
        part = item.parts[(kind, index)] = Part(kind, index, None, i, partial=True)
    if part.closed:
        state.add(at(i), f"{ev['type']} for {part.label} after it was done", "stream.part_order")
        return None
    return part


def _channel_part(state: State, i: int, ev: Event, ch: Channel) -> Part | None:
    """The part a delta/done event of this channel writes to, if it fits there."""
    item = state.open_item(ev)
    if item is None:
        return None
    if item.type is not None and item.type not in ch.item_types:
        state.add(at(i), f"{ev['type']} on a {item.type} item", "stream.part_type")
        return None
    part = _target(state, i, ev, item, ch.kind, ev[ch.index_field] if ch.index_field else 0)
    if part is not None and ch.part_types and part.type is not None and part.type not in ch.part_types:
        state.add(at(i), f"{ev['type']} into a {part.type} part", "stream.part_type")
        return None
    return part


def on_delta(state: State, i: int, ev: Event, ch: Channel) -> None:
    """A delta appends to an open part whose `.done` has not been sent."""
    part = _channel_part(state, i, ev, ch)
    if part is None:
        return
    if part.done_text is not None:
        state.add(at(i), f"{ev['type']} after {ch.prefix}.done", "stream.part_order")
        return
    part.text += ev["delta"]
    part.deltas += 1


def on_text_done(state: State, i: int, ev: Event, ch: Channel) -> None:
    """The `.done` value is exactly the concatenation of the deltas before it."""
    part = _channel_part(state, i, ev, ch)
    if part is None:
        return
    if part.done_text is not None:
        state.add(at(i), f"{ev['type']} was already sent for {part.label}", "stream.part_order")
        return
    value = ev[ch.done_field]
    if not agrees(value, part.text, not part.partial):
        what = f"{short(value)} is not the concatenation of the {part.deltas} deltas before it ({short(part.text)})"
        state.add(join(at(i), ch.done_field), what, "stream.delta_concat")
    part.done_text = value
