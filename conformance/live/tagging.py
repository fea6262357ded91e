"""The suite's mark on what it creates, so leftovers can be told from the user's own objects.

Responses and conversations carry `metadata.conformance_suite`; files and vector stores carry a name prefix.
The tag is constant (not per run) so that recorded request bodies stay deterministic; which
run created what is the journal's business (journal.py). The tag is added by a request hook
on every client the suite builds, so suites need not remember it.
"""

from __future__ import annotations

import json
from typing import Any, Optional

SUITE_TAG = "responses-conformance"
METADATA_KEY = "conformance_suite"
NAME_PREFIX = "conformance-"
MAX_METADATA_KEYS = 16


def suite_name(name: str) -> str:
    """A file or vector store name carrying the suite prefix (idempotent)."""
    return name if name.startswith(NAME_PREFIX) else NAME_PREFIX + name


def is_tagged_response(body: Any) -> bool:
    metadata = body.get("metadata") if isinstance(body, dict) else None
    return isinstance(metadata, dict) and metadata.get(METADATA_KEY) == SUITE_TAG


def tag_body(method: str, path: str, content: bytes) -> Optional[bytes]:
    """The tagged body of a create request, or None to leave the request as it is.

    Only well-formed creates are touched: a body a test made invalid on purpose (metadata
    that is not an object, or already full) is sent as the test wrote it.
    """
    if method != "POST" or not content:
        return None
    path = path.rstrip("/")
    if not path.endswith(("/responses", "/vector_stores", "/conversations")):
        return None
    try:
        body = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(body, dict):
        return None
    if path.endswith(("/responses", "/conversations")):
        metadata = body.get("metadata")
        if metadata is None:
            metadata = {}
        if not isinstance(metadata, dict) or METADATA_KEY in metadata or len(metadata) >= MAX_METADATA_KEYS:
            return None
        body["metadata"] = {**metadata, METADATA_KEY: SUITE_TAG}
    else:
        name = body.get("name")
        if name is not None and not isinstance(name, str):
            return None
        tagged = suite_name(name or "store")
        if tagged == name:
            return None
        body["name"] = tagged
    return json.dumps(body, separators=(",", ":")).encode("utf-8")


def _retag(request: Any) -> None:
    if request.method != "POST" or "json" not in request.headers.get("content-type", ""):
        return  # uploads (multipart) stream their body: nothing to tag there
    tagged = tag_body(request.method, request.url.path, request.content)
    if tagged is None:
        return
    from conformance.model.sdk import http_module

    request.stream = http_module().ByteStream(tagged)
    request._content = tagged
    request.headers["content-length"] = str(len(tagged))


def install(client: Any, asynchronous: bool) -> None:
    """Add the tagging hook to an SDK client's httpx client."""
    if asynchronous:
        async def hook(request: Any) -> None:
            _retag(request)

        client._client.event_hooks["request"].append(hook)
    else:
        client._client.event_hooks["request"].append(_retag)
