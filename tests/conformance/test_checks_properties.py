"""Property tests: generated valid streams pass check_stream; any single genuine break is caught."""

from __future__ import annotations

import copy
import json
import typing
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openai.types.responses import Response, ResponseStreamEvent

from conformance.checks import check_response, check_stream

try:  # tests/conformance may become a package
    from .streams import StreamBuilder, renumber
except ImportError:
    from streams import StreamBuilder, renumber  # type: ignore[no-redef]

Events = list[dict[str, Any]]
FAST = settings(deadline=None, max_examples=60, database=None)

_UNION = typing.get_args(ResponseStreamEvent)[0]
SDK_EVENTS = {typing.get_args(c.model_fields["type"].annotation)[0]: c for c in typing.get_args(_UNION)}

TOOL_PROGRESS = ["in_progress", "searching", "completed"]
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=24)


@st.composite
def chunks_of(draw: st.DrawFn, text: str | None = None) -> list[str]:
    """A non-empty text split into 1..n non-empty deltas, as a server would stream it."""
    whole = text if text is not None else draw(texts)
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(whole) - 1)), max_size=min(4, len(whole) - 1))))
    bounds = [0, *[c for c in cuts if 0 < c < len(whole)], len(whole)]
    return [whole[a:b] for a, b in zip(bounds, bounds[1:])]


arguments = st.dictionaries(st.text("abcdefgh_", min_size=1, max_size=6), st.integers() | st.text(max_size=8), max_size=3)


@st.composite
def item_plans(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    kind = draw(st.sampled_from(["message", "function_call", "reasoning", "file_search_call"]))
    if kind == "message":
        parts = draw(st.lists(chunks_of(), min_size=1, max_size=2))
        refusal = draw(st.none() | chunks_of())
        return kind, {"parts": parts, "refusal": refusal}
    if kind == "function_call":
        return kind, {"chunks": draw(chunks_of(json.dumps(draw(arguments))))}
    if kind == "file_search_call":
        return kind, {"progress": draw(st.lists(st.sampled_from(TOOL_PROGRESS), max_size=3))}
    summaries = draw(st.lists(chunks_of(), max_size=2))
    contents = draw(st.lists(chunks_of(), max_size=1))
    return kind, {"summaries": summaries, "contents": contents, "encrypted": draw(st.none() | st.just("gAAAA"))}


@st.composite
def valid_streams(draw: st.DrawFn) -> Events:
    background = draw(st.booleans())
    azure = {"delta_extra": {"obfuscation": "Qx7"}, "content_filters": None} if draw(st.booleans()) else {}
    b = StreamBuilder(rid=f"resp_{draw(st.integers(0, 999))}", background=background, **azure)
    if background:
        b.created(status="queued").queued() if draw(st.booleans()) else b.queued()
    else:
        b.created()
    if background or draw(st.booleans()):
        b.in_progress()
    for kind, plan in draw(st.lists(item_plans(), min_size=1, max_size=4)):
        if kind == "message":
            b.message(*plan["parts"], refusal=plan["refusal"])
        elif kind == "function_call":
            b.function_call(plan["chunks"])
        elif kind == "file_search_call":
            b.tool_call(kind, plan["progress"], queries=["q"], results=None)
        else:
            b.reasoning(plan["summaries"], plan["contents"], encrypted=plan["encrypted"])
    b.completed() if draw(st.booleans()) else b.incomplete()
    return b.events


@FAST
@given(valid_streams())
def test_generated_valid_streams_pass(events: Events) -> None:
    assert check_stream(events) == []


@FAST
@given(valid_streams())
def test_generated_fixtures_are_real_sdk_objects(events: Events) -> None:
    """The generator makes what the openai SDK parses, so passing streams resemble reality."""
    for event in events:
        SDK_EVENTS[event["type"]].model_validate(event)
    final = events[-1]["response"]
    assert Response.model_validate(final).output_text == "".join(
        p["text"] for item in final["output"] if item["type"] == "message" for p in item["content"] if p["type"] == "output_text"
    )
    assert check_response(final) == []


@FAST
@given(valid_streams(), st.data())
def test_any_resumed_suffix_passes(events: Events, data: st.DataObject) -> None:
    cut = data.draw(st.integers(1, len(events) - 1))
    assert check_stream(events[cut:], start=None) == []


# ---- single mutations ------------------------------------------------------------------------------
# Raw mutations keep the original sequence numbers, so the numbering itself shows the break.
# Structural ones renumber afterwards: the remaining rules alone must catch them.


def _drop(events: Events, i: int) -> Events:
    return events[:i] + events[i + 1 :]


def _duplicate(events: Events, i: int) -> Events:
    return events[: i + 1] + [copy.deepcopy(events[i])] + events[i + 1 :]


def _swap(events: Events, i: int) -> Events:
    out = list(events)
    out[i], out[i + 1] = out[i + 1], out[i]
    return out


# Adjacent pairs whose order is free: items may overlap, and a background stream may send
# response.queued before or after response.created.
_FREE_ORDER = [{"response.output_item.done", "response.output_item.added"}, {"response.created", "response.queued"}]


def _unmodelled(etype: str) -> bool:
    """Hosted-tool progress events: the checker only knows they must point at an open item."""
    return etype.startswith("response.file_search_call.")


def _is_optional(events: Events, i: int) -> bool:
    """Dropping these leaves a valid stream: in_progress is optional, so is one of created/queued."""
    kinds = {ev["type"] for ev in events}
    etype = events[i]["type"]
    either = etype in ("response.created", "response.queued") and {"response.created", "response.queued"} <= kinds
    return etype == "response.in_progress" or either or _unmodelled(etype)


@FAST
@given(valid_streams(), st.data())
def test_raw_drop_duplicate_or_swap_is_caught(events: Events, data: st.DataObject) -> None:
    how = data.draw(st.sampled_from(["drop", "duplicate", "swap"]))
    i = data.draw(st.integers(0, len(events) - (2 if how == "swap" else 1)))
    if how == "swap":
        assume(events[i]["type"] != events[i + 1]["type"])
    mutated = {"drop": _drop, "duplicate": _duplicate, "swap": _swap}[how](events, i)
    assert check_stream(mutated)


@FAST
@given(valid_streams(), st.data())
def test_structural_drop_is_caught(events: Events, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(events) - 1))
    assume(not _is_optional(events, i))
    found = check_stream(renumber(_drop(events, i)))
    assert {v.rule for v in found} - {"stream.sequence"}, events[i]["type"]


@FAST
@given(valid_streams(), st.data())
def test_structural_duplicate_is_caught(events: Events, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(events) - 1))
    assume(not _unmodelled(events[i]["type"]))
    found = check_stream(renumber(_duplicate(events, i)))
    assert {v.rule for v in found} - {"stream.sequence"}, events[i]["type"]


@FAST
@given(valid_streams(), st.data())
def test_structural_swap_is_caught(events: Events, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(events) - 2))
    pair = {events[i]["type"], events[i + 1]["type"]}
    assume(len(pair) == 2 and pair not in _FREE_ORDER and not all(map(_unmodelled, pair)))
    found = check_stream(renumber(_swap(events, i)))
    assert {v.rule for v in found} - {"stream.sequence"}, pair


@FAST
@given(valid_streams(), st.data())
def test_broken_sequence_number_is_caught(events: Events, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(events) - 1))
    offset = data.draw(st.integers(-3, 3).filter(bool))
    mutated = copy.deepcopy(events)
    mutated[i]["sequence_number"] += offset
    assert {v.rule for v in check_stream(mutated)} == {"stream.sequence"}


@FAST
@given(valid_streams(), st.data())
def test_corrupted_delta_is_caught(events: Events, data: st.DataObject) -> None:
    deltas = [i for i, ev in enumerate(events) if ev["type"].endswith(".delta")]
    assume(deltas)  # a lone encrypted reasoning item streams no text
    i = data.draw(st.sampled_from(deltas))
    mutated = copy.deepcopy(events)
    mutated[i]["delta"] = data.draw(texts.filter(lambda t: t != events[i]["delta"]))
    assert "stream.delta_concat" in {v.rule for v in check_stream(mutated)}
