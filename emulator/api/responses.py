"""Route handlers for ``/responses``: create, retrieve, delete, input_items.

Each handler gets a :class:`~emulator.api.call.Call` (auth and api-version already checked) and
returns ``(status, body)``; errors are raised as :class:`~emulator.wire.errors.ApiError`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from emulator.api import background
from emulator.engine import context, documents
from emulator.wire import errors
from emulator.engine import schema
from emulator.wire import sealed
from emulator.engine import vision
from emulator.api.call import Call, Reply
from emulator.state.profile import Deployment
from emulator.wire.request import CreateRequest, decode_body, json_type, parse_create
from emulator.engine.run import ENCRYPTED, execute
from emulator.state.store import Record
from emulator.engine.tools import ToolContext, check_tools, run_tools
from emulator.engine.tools.image import HEADER as IMAGE_DEPLOYMENT_HEADER
from emulator.api import conversations
from emulator.engine import content_filter
from emulator.engine.conversation import normalize_input, turns_of
from emulator.engine import compaction
from emulator.engine import options
def _deployment(call: Call, body: dict[str, Any]) -> Deployment:
    """Resolve ``model`` to a deployment the way Azure's gateway does, before validation."""
    name = body.get("model")
    if name is None or name == "":
        raise errors.missed_model()
    if not isinstance(name, str):
        raise errors.invalid_type("model", "a string", json_type(name))
    deployment = call.resource.deployment(name)
    if deployment is None:
        raise errors.deployment_not_found()
    call.meta.deployment = deployment
    if deployment.kind == "image":
        raise errors.operation_not_supported(name)
    return deployment


def _check_model_params(req: CreateRequest, deployment: Deployment) -> None:
    """Parameters a deployment's model refuses (learn.microsoft.com/azure/foundry/openai/how-to/reasoning and learn.microsoft.com/rest/api/microsoft-foundry/azureopenai/responses)."""
    if deployment.kind == "reasoning":
        for name in ("temperature", "top_p"):
            if name in req.sent:
                raise errors.unsupported_parameter(name)
    elif req.reasoning is not None and req.reasoning.get("effort") is not None:
        raise errors.unsupported_parameter("reasoning.effort")


def _check_format(req: CreateRequest) -> None:
    """A strict json_schema must pass strict mode's rules (learn.microsoft.com/azure/foundry/openai/how-to/structured-outputs)."""
    fmt = req.text.get("format") or {}
    if fmt.get("type") == "json_schema" and fmt.get("strict") is True:
        schema.check_strict(str(fmt.get("name")), fmt["schema"])


def _check_reasoning_items(req: CreateRequest, call: Call) -> None:
    """Encrypted reasoning is v1-only (profile gate), and blobs passed back must verify."""
    if ENCRYPTED in req.include and not call.state.profile.feature_enabled("encrypted_reasoning", call.api.name):
        raise errors.encrypted_reasoning_unsupported()
    for item in req.input:
        if item.get("type") == "reasoning" and item.get("encrypted_content") is not None:
            if sealed.unseal(item["encrypted_content"]) is None:
                raise errors.invalid_encrypted_content(str(item.get("id")))


#: Input items that may stand for earlier function calls the emulator cannot see into.
_OPAQUE_ITEMS = frozenset({"compaction", "item_reference"})


def _check_tool_outputs(req: CreateRequest, parent: Record | None) -> None:
    """Every ``function_call_output`` must answer a ``function_call`` of this conversation:
    in this input or in the chain before it (the Open Responses WebSocket eviction test relies on it)."""
    outputs = [item for item in req.input if item.get("type") == "function_call_output"]
    if not outputs:
        return
    items = list(req.input)
    node = parent
    while node is not None:
        items += [*node.input_items, *node.response.get("output", [])]
        node = node.parent
    if any(item.get("type") in _OPAQUE_ITEMS for item in items):
        return
    calls = {item.get("call_id") for item in items if item.get("type") == "function_call"}
    for item in outputs:
        if item.get("call_id") not in calls:
            raise errors.no_tool_call_for_output(str(item.get("call_id")))


def _check_prompt_filter(call: Call, req: CreateRequest, parent: Record | None, images: Any) -> None:
    """Azure filters the whole prompt before anything runs (tools included)."""
    conversation = (parent.history() if parent is not None else []) + turns_of(normalize_input(req.input), images)
    content_filter.check_prompt(call.state.profile.content_filter, content_filter.prompt_texts(conversation, req.instructions))


async def create(call: Call) -> Reply:
    """``POST /responses``."""
    body = decode_body(await call.request.body())
    return await create_from(call, body)


async def prepare(
    call: Call, body: dict[str, Any], recall: Callable[[str], Record | None] | None = None
) -> tuple[CreateRequest, Deployment, Any]:
    """Validate a create body and run it: the request, its deployment and the finished run.

    Shared by ``POST /responses`` and WebSocket mode's ``response.create``
    (emulator/gateway/websocket.py), which passes ``recall``: its connection-local memory of
    the last response, looked at before the store.
    """
    deployment = _deployment(call, body)
    req = parse_create(body)
    _check_model_params(req, deployment)
    options.check_options(req, deployment)
    _check_format(req)
    _check_reasoning_items(req, call)
    compaction.check_items(req.input)
    if req.background:
        background.check_allowed(call, req)
    elif req.stream and call.state.streamer is None:
        raise errors.streaming_not_implemented()
    if req.stream and not deployment.streaming:
        raise errors.streaming_unsupported_by_model()
    parent: Record | None = None
    conversation = None
    if req.conversation is not None:
        if not call.conversations_served:
            raise errors.unsupported_parameter("conversation")
        conversation, parent = conversations.as_parent(call, req.conversation, deployment.name)
    if req.previous_response_id is not None:
        parent = (recall or call.store.get)(req.previous_response_id)
        if parent is None:
            raise errors.previous_response_not_found(req.previous_response_id)
        if req.truncation != "auto":
            context.check_room(parent, call.state.context_tokens)
    _check_tool_outputs(req, parent)
    files = call.state.file_data[call.resource.name].files
    documents.check_file_ids(req.input, files)
    images = await vision.resolve(req.input, files)
    read = await asyncio.to_thread(documents.resolve, req.input, files)  # pypdf is CPU-bound: off the event loop
    _check_prompt_filter(call, req, parent, images)
    check_tools(req.tools, call.api, call.state.profile, call.resource, deployment.model)
    step = await run_tools(
        ToolContext(req, parent, call.resource, call.state.file_data[call.resource.name],
                    call.request.headers.get(IMAGE_DEPLOYMENT_HEADER), call.state.containers[call.resource.name])
    )
    run = execute(
        req, deployment=deployment, api=call.api, profile=call.state.profile, parent=parent, seed=call.state.seed,
        images=images, step=step, cache=call.state.prompt_caches[call.resource.name],
        context_limit=call.state.context_tokens, documents=read,
    )
    call.meta.tokens = run.response["usage"]["total_tokens"]
    if conversation is not None:
        conversations.extend(conversation, run.record.input_items, run.response)
    return req, deployment, run


async def create_from(call: Call, body: dict[str, Any]) -> Reply:
    """Create from a decoded body: JSON, SSE or a background job."""
    req, deployment, run = await prepare(call, body)
    if req.background:
        return background.start(call, req, run, deployment)
    if req.store:
        call.store.put(run.record)
    if req.stream:
        assert call.state.streamer is not None
        return call.state.streamer(call, run)  # type: ignore[no-any-return]
    return 200, run.response


def _stored(call: Call) -> Record:
    response_id = call.request.path_params["response_id"]
    record = call.store.get(response_id)
    if record is None:
        raise errors.response_not_found(response_id)
    call.meta.deployment = call.resource.deployment(record.deployment)
    return record


async def retrieve(call: Call) -> Reply:
    """``GET /responses/{id}``."""
    call.meta.openai_meta = True
    record = _stored(call)
    if call.request.query_params.get("stream") in ("true", "True", "1"):
        return background.resume(call, record)
    return 200, record.response


async def delete(call: Call) -> Reply:
    """``DELETE /responses/{id}``: body as in the Azure v1 spec (learn.microsoft.com/azure/foundry/openai/how-to/responses)."""
    call.meta.openai_meta = True
    record = _stored(call)
    call.store.delete(record.id)
    return 200, {"id": record.id, "object": "response.deleted", "deleted": True}


def _limit(raw: str | None) -> int:
    if raw is None:
        return 20
    try:
        value = int(raw)
    except ValueError:
        raise errors.invalid_type("limit", "an integer", "a string") from None
    if value < 1:
        raise errors.out_of_range("limit", value, 1, above=False, integer=True)
    if value > 100:
        raise errors.out_of_range("limit", value, 100, above=True, integer=True)
    return value


def _index(items: list[dict[str, Any]], item_id: str) -> int | None:
    for i, item in enumerate(items):
        if item.get("id") == item_id:
            return i
    return None


async def input_items(call: Call) -> Reply:
    """``GET /responses/{id}/input_items``: cursor pagination as on OpenAI.

    ``limit`` 1-100 (default 20), ``order`` asc|desc (default desc), ``after``/``before``
    item ids. Lists this response's own input only, not earlier turns.
    """
    call.meta.openai_meta = True
    query = call.request.query_params
    limit = _limit(query.get("limit"))
    order = query.get("order") or "desc"
    if order not in ("asc", "desc"):
        raise errors.invalid_value("order", order, ("asc", "desc"))
    record = _stored(call)
    items = record.input_items if order == "asc" else record.input_items[::-1]
    after, before = query.get("after"), query.get("before")
    if after:
        i = _index(items, after)
        items = items[i + 1 :] if i is not None else []
    if before:
        i = _index(items, before)
        items = items[:i] if i is not None else []
        page = items[-limit:]
    else:
        page = items[:limit]
    return 200, {
        "object": "list",
        "data": page,
        "first_id": page[0]["id"] if page else None,
        "last_id": page[-1]["id"] if page else None,
        "has_more": len(items) > len(page),
    }
