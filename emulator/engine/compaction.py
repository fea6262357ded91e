"""Compaction: ``POST /responses/compact`` and ``context_management`` on create.

A compacted conversation is "all user messages, followed by a single compaction item" (the
openai SDK's ``CompactedResponse``); the compaction item is opaque (``encrypted_content``) and
stands for everything else the model said. Here it is a sealed blob of those turns, so the
next ``create`` that sends the compacted output back really continues the conversation, and a
blob this emulator did not seal is refused like a bad encrypted reasoning item.
"""

from __future__ import annotations

from typing import Any

from emulator.wire import errors
from emulator.wire import objects
from emulator.wire import sealed
from emulator.wire.ids import item_id
from emulator.engine.model import Turn, count_tokens


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
