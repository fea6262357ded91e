"""The Starlette application: routes under both path styles, and the gateway steps.

Order of checks, as Azure's gateway does it: an unknown route (or a dated path without a
usable api-version) is a 404 before anything else; then auth (401); then a 400 for an
api-version that cannot serve the operation; then the handler. Every API reply, errors
included, carries the Azure headers from :mod:`emulator.wire.headers`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute

from emulator.api import background
from emulator.wire import errors
from emulator.api import files
from emulator.gateway import identity
from emulator.api import models
from emulator.api import responses
from emulator.api import stream
from emulator.api import vector_stores
from emulator.wire import versions
from emulator.api.call import Call, Reply
from emulator.wire.errors import ApiError
from emulator.wire.headers import ReplyMeta
from emulator.gateway.limits import BodyLimit
from emulator.gateway.process import EmulatorState
from emulator.state.outbound import Routing
from emulator.gateway.websocket import websocket_endpoint
from emulator.api import conversations
from emulator.api import compaction
log = logging.getLogger("emulator")

Handler = Callable[[Call], Awaitable[Reply]]

# (path under the api prefix, method, handler, is a Responses operation)
API_ROUTES: tuple[tuple[str, str, Handler, bool], ...] = (
    ("/responses", "POST", responses.create, True),
    ("/responses/compact", "POST", compaction.compact, True),
    ("/responses/{response_id}", "GET", responses.retrieve, True),
    ("/responses/{response_id}", "DELETE", responses.delete, True),
    ("/responses/{response_id}/input_items", "GET", responses.input_items, True),
    ("/responses/{response_id}/cancel", "POST", background.cancel, True),
    ("/models", "GET", models.list_models, False),
    *files.ROUTES,
    *vector_stores.ROUTES,
)
PREFIXES: tuple[tuple[str, versions.Flavour], ...] = (("/openai/v1", "v1"), ("/openai", "dated"))
#: A Foundry project endpoint serves the v1 API below its own path, and the Conversations API
#: besides (learn.microsoft.com/azure/ai-foundry/how-to/develop/sdk-overview).
PROJECT_PREFIX = "/api/projects/{project}/openai/v1"
PROJECT_ROUTES = (*API_ROUTES, *conversations.ROUTES)


def _json(status: int, body: Any, headers: dict[str, str]) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=headers)


def _finish(state: EmulatorState, reply: Reply, meta: ReplyMeta) -> Response:
    headers = state.headers.build(meta)
    if isinstance(reply, Response):
        reply.headers.update(headers)
        return reply
    status, body = reply
    return _json(status, body, headers)


def _fail(state: EmulatorState, exc: ApiError, meta: ReplyMeta) -> Response:
    headers = state.headers.build(meta)
    headers.update(exc.headers)
    return _json(exc.status, exc.body, headers)


def _endpoint(
    state: EmulatorState, handler: Handler, flavour: versions.Flavour, is_responses: bool, create: bool = False
) -> Callable[[Request], Awaitable[Response]]:
    """Wrap an API handler with the gateway steps: version, auth, errors, headers."""
    known = state.profile.api_versions

    async def endpoint(request: Request) -> Response:
        meta = ReplyMeta(
            state.resource_for(request.scope),
            v1=flavour == "v1",
            client_request_id=request.headers.get("x-ms-client-request-id"),
            create=create,
        )
        try:
            api, pending = versions.resolve(
                flavour, request.query_params.get("api-version"), known, responses=is_responses
            )
            state.auth.check(request.headers)
            if pending is not None:
                raise pending
            call = Call(request, state, meta.resource, api, meta)
            reply = await state.faults.around(request, meta, api.name, lambda: handler(call))
        except ApiError as exc:
            return _fail(state, exc, meta)
        except Exception:
            log.exception("emulator bug while handling %s %s", request.method, request.url.path)
            return _fail(state, errors.server_error(), meta)
        return _finish(state, reply, meta)

    return endpoint


def create_app(state: EmulatorState) -> Starlette:
    """The ASGI app serving every resource of ``state`` (resource chosen by local port)."""
    if state.streamer is None:
        state.streamer = stream.sse_response

    async def info(request: Request) -> Response:
        return JSONResponse(state.info)

    async def msi_token(request: Request) -> Response:
        status, body = identity.issue_token(state.auth, state.identity_header, request.query_params, request.headers)
        return JSONResponse(body, status_code=status)

    async def not_found(request: Request, exc: Exception) -> Response:
        # Unknown path or method: Azure's gateway 404 (learn.microsoft.com/rest/api/microsoft-foundry/azureopenai/responses).
        meta = ReplyMeta(state.resource_for(request.scope), v1="/openai/v1/" in request.url.path)
        meta.client_request_id = request.headers.get("x-ms-client-request-id")
        return _fail(state, errors.resource_not_found(), meta)

    async def crashed(request: Request, exc: Exception) -> Response:
        log.error("emulator bug outside a handler", exc_info=exc)
        meta = ReplyMeta(state.resource_for(request.scope))
        return _fail(state, errors.server_error(), meta)

    routes: list[BaseRoute] = [
        Route("/emulator/info", info, methods=["GET"]),
        Route("/msi/token", msi_token, methods=["GET"]),
    ]
    for prefix, flavour in PREFIXES:
        for path, method, handler, is_responses in API_ROUTES:
            routes.append(Route(prefix + path, _endpoint(state, handler, flavour, is_responses, (path, method) == ("/responses", "POST")), methods=[method]))
    for path, method, handler, is_responses in PROJECT_ROUTES:
        routes.append(Route(PROJECT_PREFIX + path, _endpoint(state, handler, "v1", is_responses, (path, method) == ("/responses", "POST")), methods=[method]))

    # WebSocket mode (emulator/websocket.py): v1 only, like the OpenAI API it follows.
    routes.append(WebSocketRoute("/openai/v1/responses", websocket_endpoint(state)))
    middleware = [Middleware(BodyLimit, get_limit=lambda: state.max_body_bytes)]
    if state.outbound.routes:  # stand-ins for public hosts (python -m emulator --outbound ...)
        middleware.insert(0, Middleware(Routing, routes=state.outbound))
    if state.mutation is not None:  # a deliberately broken service (python -m emulator --mutation NAME)
        from emulator.mutations import Mutating

        middleware.append(Middleware(Mutating, mutant=state.mutation))
    app = Starlette(
        routes=routes,
        exception_handlers={404: not_found, 405: not_found, Exception: crashed},
        middleware=middleware,
    )
    app.router.redirect_slashes = False
    app.state.emulator = state
    return app
