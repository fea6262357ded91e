"""Kinds of objects a live run creates, and how to find and delete each.

Generic on purpose: stored responses today; files, vector stores and background responses
as suites start creating them. A kind says which create/delete routes it has on the wire
(for the journal's bookkeeping) and how to delete or list it with an SDK client (for the
teardown, the session sweep and `conformance cleanup`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Optional

import openai

from conformance.model.sdk import vector_stores
from conformance.live.tagging import NAME_PREFIX, is_tagged_response

# Path of an API call below /openai or /openai/v1 (a Foundry project's too), or below a
# Responses server's /v1 (provider = "openai" or "compatible").
_API_PATH = re.compile(r"(?:/openai(?:/v1)?|/v1)(/.*)$")


@dataclass(frozen=True)
class Kind:
    name: str
    collection: str
    """The route segment: POST /<collection> creates, DELETE /<collection>/{id} deletes."""
    delete: Callable[[Any, str], None]
    list_tagged: Optional[Callable[[Any], Iterator[str]]] = None
    """Ids of the suite's objects, for kinds the API can list (None: the journal is the only record)."""
    is_ours: Callable[[Any, str], bool] = lambda client, object_id: True
    """A last check before cleanup deletes an object that only the journal names."""


def _response_is_ours(client: Any, response_id: str) -> bool:
    body = client.get(f"/responses/{response_id}", cast_to=object)
    return is_tagged_response(body)


def _conversation_is_ours(client: Any, conversation_id: str) -> bool:
    body = client.get(f"/conversations/{conversation_id}", cast_to=object)
    return is_tagged_response(body)  # the same metadata tag as responses


def _files(client: Any) -> Iterator[str]:
    for item in client.files.list():
        if str(getattr(item, "filename", "")).startswith(NAME_PREFIX):
            yield item.id


def _vector_stores(client: Any) -> Iterator[str]:
    for item in vector_stores(client).list():
        if str(getattr(item, "name", "") or "").startswith(NAME_PREFIX):
            yield item.id


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("response", "responses", lambda c, i: c.responses.delete(i), None, _response_is_ours),
        Kind("file", "files", lambda c, i: c.files.delete(i), _files),
        Kind("vector_store", "vector_stores", lambda c, i: vector_stores(c).delete(i), _vector_stores),
        # Conversations cannot be listed: the journal names them, like stored responses.
        Kind("conversation", "conversations", lambda c, i: c.conversations.delete(i), None, _conversation_is_ours),
    )
}


def api_path(url_path: str) -> Optional[str]:
    """`/responses/resp_1` from `/openai/v1/responses/resp_1` (None outside the API)."""
    match = _API_PATH.search(url_path)
    return match.group(1).rstrip("/") if match else None


def created_by(method: str, path: str, status: int, body: Any) -> Optional[tuple[Kind, str]]:
    """(kind, id) if this exchange created a deletable object."""
    if method != "POST" or not 200 <= status < 300 or not isinstance(body, dict):
        return None
    object_id = body.get("id")
    if not isinstance(object_id, str):
        return None
    for kind in KINDS.values():
        if path == f"/{kind.collection}":
            if kind.name == "response" and body.get("store") is False:
                return None
            return kind, object_id
    return None


def deleted_by(method: str, path: str, status: int) -> Optional[tuple[Kind, str]]:
    """(kind, id) if this exchange deleted an object, or found it already gone (404)."""
    if method != "DELETE" or not (200 <= status < 300 or status == 404):
        return None
    parts = path.strip("/").split("/")
    if len(parts) != 2:
        return None
    for kind in KINDS.values():
        if parts[0] == kind.collection:
            return kind, parts[1]
    return None


def delete_quietly(kind: Kind, client: Any, object_id: str) -> bool:
    """Delete; True if it is gone now (deleted, or already absent)."""
    try:
        kind.delete(client, object_id)
    except openai.NotFoundError:
        return True
    return True
