"""The Conversations API a Foundry project serves: durable items a response reads and extends.

``POST /conversations`` (optional ``items``, ``metadata``), ``GET``/``DELETE
/conversations/{id}``, ``POST``/``GET /conversations/{id}/items``; and ``conversation`` in
``POST /responses``: the conversation's items are the model's history, and the response's
input and output are appended to it. Served under ``/api/projects/{project}/openai/v1`` only:
a plain resource's ``/openai/v1/conversations`` is a 404, as reported on Azure OpenAI and
AIServices resources (learn.microsoft.com/en-us/answers/a/12821516).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from emulator.wire import errors
from emulator.api.call import Call, Reply
from emulator.engine.conversation import normalize_input, turns_of
from emulator.wire.ids import new_id
from emulator.engine.model import turn_tokens
from emulator.wire.request import _parse_metadata, decode_body, parse_items
from emulator.state.store import Record

MAX_LIMIT = 100
DEFAULT_LIMIT = 20


@dataclass
class Conversation:
    id: str
    created_at: int
    metadata: dict[str, str]
    items: list[dict[str, Any]] = field(default_factory=list)

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "object": "conversation", "created_at": self.created_at, "metadata": self.metadata}


def _store(call: Call) -> dict[str, Conversation]:
    project = call.request.path_params.get("project", "")
    return call.state.conversations.setdefault((call.resource.name, project), {})


def _get(call: Call, conversation_id: str) -> Conversation:
    found = _store(call).get(conversation_id)
    if found is None:
        raise errors.conversation_not_found(conversation_id)
    return found


def _body(raw: bytes) -> dict[str, Any]:
    return decode_body(raw) if raw.strip() else {}


async def create(call: Call) -> Reply:
    body = _body(await call.request.body())
    unknown = sorted(set(body) - {"items", "metadata"})
    if unknown:
        raise errors.unknown_parameter(unknown[0])
    items = parse_items(body["items"], "items") if body.get("items") is not None else []
    metadata = _parse_metadata(body)
    conversation = Conversation(new_id("conv"), int(time.time()), metadata, normalize_input(items))
    _store(call)[conversation.id] = conversation
    return 200, conversation.public()


async def retrieve(call: Call) -> Reply:
    return 200, _get(call, call.request.path_params["conversation_id"]).public()


async def delete(call: Call) -> Reply:
    conversation = _get(call, call.request.path_params["conversation_id"])
    del _store(call)[conversation.id]
    return 200, {"id": conversation.id, "object": "conversation.deleted", "deleted": True}


def _page(items: list[dict[str, Any]], has_more: bool = False) -> dict[str, Any]:
    return {"object": "list", "data": items, "first_id": items[0]["id"] if items else None,
            "last_id": items[-1]["id"] if items else None, "has_more": has_more}


async def add_items(call: Call) -> Reply:
    conversation = _get(call, call.request.path_params["conversation_id"])
    body = _body(await call.request.body())
    if "items" not in body:
        raise errors.missing_parameter("items")
    added = normalize_input(parse_items(body["items"], "items"))
    if not added:
        raise errors.invalid_request("'items' must name at least one item.", "items", "empty_array")
    conversation.items.extend(added)
    return 200, _page(added)


def _limit(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_LIMIT
    try:
        value = int(raw)
    except ValueError:
        raise errors.invalid_type("limit", "an integer", "string") from None
    if not 1 <= value <= MAX_LIMIT:
        raise errors.out_of_range("limit", value, 1 if value < 1 else MAX_LIMIT, above=value > MAX_LIMIT, integer=True)
    return value


async def list_items(call: Call) -> Reply:
    """Newest first by default (``order=desc``), like every OpenAI list; ``after`` pages on."""
    conversation = _get(call, call.request.path_params["conversation_id"])
    query = call.request.query_params
    order = query.get("order", "desc")
    if order not in ("asc", "desc"):
        raise errors.invalid_value("order", order, ("asc", "desc"))
    limit = _limit(query.get("limit"))
    items = list(conversation.items) if order == "asc" else list(reversed(conversation.items))
    after = query.get("after")
    if after is not None:
        ids = [i["id"] for i in items]
        items = items[ids.index(after) + 1:] if after in ids else []
    return 200, _page(items[:limit], has_more=len(items) > limit)


def as_parent(call: Call, conversation_id: str, deployment: str) -> tuple[Conversation, Record]:
    """The conversation named in a create, and a stand-in parent record whose history is its
    items, so the run reads the conversation as it reads a ``previous_response_id`` chain."""
    conversation = _get(call, conversation_id)
    turns = tuple(turns_of(conversation.items))
    record = Record(response={"id": conversation.id}, input_items=list(conversation.items), turns=turns,
                    chain_tokens=sum(turn_tokens(t) for t in turns), parent=None, deployment=deployment)
    return conversation, record


def extend(conversation: Conversation, input_items: list[dict[str, Any]], response: dict[str, Any]) -> None:
    """Append a response's input and output items; the response names its conversation."""
    conversation.items.extend(input_items)
    conversation.items.extend(item for item in response.get("output", []) if isinstance(item, dict))
    response["conversation"] = {"id": conversation.id}


ROUTES = (
    ("/conversations", "POST", create, False),
    ("/conversations/{conversation_id}", "GET", retrieve, False),
    ("/conversations/{conversation_id}", "DELETE", delete, False),
    ("/conversations/{conversation_id}/items", "POST", add_items, False),
    ("/conversations/{conversation_id}/items", "GET", list_items, False),
)
