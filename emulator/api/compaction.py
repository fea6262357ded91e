"""``POST /responses/compact``: the handler; what compaction makes is :mod:`emulator.engine.compaction`."""

from __future__ import annotations

import time

from emulator.api.call import Call, Reply
from emulator.api.responses import _deployment  # the same model resolution as create
from emulator.engine.compaction import COMPACT_FIELDS, check_items, compact_turns
from emulator.engine.conversation import normalize_input, turns_of
from emulator.engine.model import Turn, turn_tokens
from emulator.wire import errors, objects
from emulator.wire.ids import new_id
from emulator.wire.request import _parse_input, _str, decode_body, json_type


async def compact(call: Call) -> Reply:
    """``POST /responses/compact``: the conversation (input and/or a stored chain) compacted."""
    if not call.api.is_v1:
        # Compaction is a v1 operation: the dated api-versions' spec has no such path.
        raise errors.resource_not_found()
    body = decode_body(await call.request.body())
    for name in body:
        if name not in COMPACT_FIELDS:
            raise errors.unknown_parameter(name)
    _deployment(call, body)
    previous = _str(body, "previous_response_id")
    if body.get("input") is None and previous is None:
        raise errors.missing_parameter("input")
    items = _parse_input(body) if body.get("input") is not None else []
    if not isinstance(body.get("instructions"), (str, type(None))):
        raise errors.invalid_type("instructions", "a string", json_type(body["instructions"]))
    check_items(items)
    history: list[Turn] = []
    if previous is not None:
        parent = call.store.get(previous)
        if parent is None:
            raise errors.previous_response_not_found(previous)
        history = parent.history()
    turns = history + turns_of(normalize_input(items))
    output, spent = compact_turns(turns)
    input_tokens = sum(turn_tokens(t) for t in turns)
    tier = body.get("service_tier")
    call.meta.tokens = input_tokens + spent
    return 200, {
        "id": new_id("cmp"),
        "object": "response.compaction",
        "created_at": int(time.time()),
        "output": output,
        "usage": objects.usage(input_tokens, spent),
        "service_tier": "default" if tier in (None, "auto") else tier,
    }
