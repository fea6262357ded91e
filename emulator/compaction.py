"""Compaction: ``POST /responses/compact`` and ``context_management`` on create.

A compacted conversation is "all user messages, followed by a single compaction item" (the
openai SDK's ``CompactedResponse``); the compaction item is opaque (``encrypted_content``) and
stands for everything else the model said. Here it is a sealed blob of those turns, so the
next ``create`` that sends the compacted output back really continues the conversation, and a
blob this emulator did not seal is refused like a bad encrypted reasoning item.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from . import errors, objects, sealed
from .conversation import normalize_input, turns_of
from .ids import item_id, new_id
from .model import Turn, count_tokens, turn_tokens
from .request import _parse_input, _str, decode_body, json_type

if TYPE_CHECKING:
    from .call import Call, Reply

# CompactResponseMethodPublicBody in OpenAI's spec (openai SDK 3.x responses.compact).
COMPACT_FIELDS = frozenset(
    """model input instructions previous_response_id prompt_cache_key prompt_cache_options
    prompt_cache_retention safety_identifier service_tier image""".split()
)


def compaction_item(turns: list[Turn]) -> dict[str, Any]:
    """One opaque compaction item sealing ``turns`` (the model's side of the conversation)."""
    payload = {"turns": [[t.role, t.text] for t in turns]}
    return {"id": item_id("compaction"), "type": "compaction", "encrypted_content": sealed.seal(payload)}


def check_items(items: list[dict[str, Any]]) -> None:
    """Compaction items sent back must be ones this service sealed."""
    for i, item in enumerate(items):
        if item.get("type") != "compaction":
            continue
        if sealed.unseal(item.get("encrypted_content")) is None:
            raise errors.invalid_request(
                f"The encrypted content for item {item.get('id') or f'input[{i}]'} could not be verified.",
                f"input[{i}].encrypted_content", "invalid_encrypted_content")


def compact_turns(turns: list[Turn]) -> tuple[list[dict[str, Any]], int]:
    """The compacted output for a conversation, and the tokens the compaction item costs."""
    users = [objects.user_message(t.text) for t in turns if t.role == "user"]
    rest = [t for t in turns if t.role != "user"]
    return [*users, compaction_item(rest)], sum(count_tokens(t.text) for t in rest) // 4 + 1


def over_threshold(entries: list[dict[str, Any]], input_tokens: int) -> bool:
    """Whether a create's ``context_management`` asks for compaction at this input size."""
    for entry in entries:
        threshold = entry.get("compact_threshold")
        if entry.get("type") == "compaction" and threshold is not None and input_tokens >= threshold:
            return True
    return False


async def compact(call: Call) -> Reply:
    """``POST /responses/compact``: the conversation (input and/or a stored chain) compacted."""
    if not call.api.is_v1:
        # Compaction is a v1 operation: the dated api-versions' spec has no such path.
        raise errors.resource_not_found()
    body = decode_body(await call.request.body())
    for name in body:
        if name not in COMPACT_FIELDS:
            raise errors.unknown_parameter(name)
    from .responses import _deployment  # the same model resolution as create

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
