"""Conversation items: validated input -> stored items with ids -> turns the model reads.

Input items are stored as the service lists them in ``/responses/{id}/input_items``
(``type: message`` with an ``msg_`` id and content parts), and both input and output items
become :class:`~emulator.engine.model.Turn` objects, so a ``previous_response_id`` chain can be
replayed to the model as one conversation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from emulator.wire.ids import item_id
from emulator.engine.documents import Document, key_of
from emulator.engine.model import Turn
from emulator.wire import sealed

_TEXT_KEYS = ("text", "refusal")


class Described(Protocol):
    def describe(self) -> str: ...


def normalize_message(item: dict[str, Any]) -> dict[str, Any]:
    """A message item in stored form: id, type, role, content parts, status."""
    role = item["role"]
    content = item["content"]
    if isinstance(content, str):
        if role == "assistant":
            parts: list[dict[str, Any]] = [{"type": "output_text", "text": content, "annotations": []}]
        else:
            parts = [{"type": "input_text", "text": content}]
    else:
        parts = content
    return {
        "id": item.get("id") or item_id("message"),
        "type": "message",
        "role": role,
        "content": parts,
        "status": item.get("status") or "completed",
    }


def normalize_input(items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored form of validated input items; every item gets an id."""
    out: list[dict[str, Any]] = []
    for item in items:
        kind = item.get("type")
        if kind is None or kind == "message":
            out.append(normalize_message(item))
        elif item.get("id"):
            out.append(item)
        else:
            out.append({"id": item_id(kind), **item})
    return out


def _content_text(
    content: object, images_info: Mapping[str, Described] | None = None, documents: Mapping[str, Document] | None = None
) -> tuple[str, int, tuple[str, ...]]:
    if isinstance(content, str):
        return content, 0, ()
    texts: list[str] = []
    images = 0
    seen: list[str] = []
    if isinstance(content, list):
        for part in content:
            if not isinstance(part, dict):
                continue
            if part.get("type") == "input_image":
                images += 1
                info = (images_info or {}).get(part.get("image_url") or part.get("file_id") or "")
                if info is not None:
                    seen.append(info.describe())
                continue
            if part.get("type") == "input_file":
                doc = (documents or {}).get(key_of(part))
                if doc is not None and doc.text:
                    texts.append(doc.text)
                continue
            for key in _TEXT_KEYS:
                value = part.get(key)
                if isinstance(value, str):
                    texts.append(value)
                    break
    return "\n".join(texts), images, tuple(seen)


def turn_of(
    item: dict[str, Any], images_info: Mapping[str, Described] | None = None, documents: Mapping[str, Document] | None = None
) -> Turn | None:
    """The model's view of one stored item (None for items that carry no text); documents add their text."""
    kind = item.get("type", "message")
    if kind == "message":
        text, images, seen = _content_text(item.get("content"), images_info, documents)
        return Turn(item.get("role", "user"), text, images, seen)
    if kind == "function_call":
        return Turn("assistant", f"{item.get('name', '')}({item.get('arguments', '')})")
    if kind == "custom_tool_call":
        return Turn("assistant", f"{item.get('name', '')}({item.get('input', '')})")
    if kind in ("function_call_output", "custom_tool_call_output", "computer_call_output"):
        output = item.get("output")
        if isinstance(output, str):
            return Turn("tool", output)
        text, images, seen = _content_text(output, images_info)
        return Turn("tool", text or json.dumps(output), images, seen)
    return None


def turns_of(
    items: Iterable[dict[str, Any]],
    images_info: Mapping[str, Described] | None = None,
    documents: Mapping[str, Document] | None = None,
) -> list[Turn]:
    """Turns for the items that carry text, in order (with what vision saw of their images)."""
    turns: list[Turn] = []
    for item in items:
        if item.get("type") == "compaction":
            turns.extend(compacted_turns(item))
            continue
        turn = turn_of(item, images_info, documents)
        if turn is not None:
            turns.append(turn)
    return turns


def compacted_turns(item: dict[str, Any]) -> list[Turn]:
    """The turns a compaction item stands for (it was checked by the handler before)."""
    payload = sealed.unseal(item.get("encrypted_content")) or {}
    return [Turn(str(role), str(text)) for role, text in payload.get("turns", [])]
