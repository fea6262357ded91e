"""The Starlette application: routes under both path styles, and the gateway steps.

Order of checks, as Azure's gateway does it: an unknown route (or a dated path without a
usable api-version) is a 404 before anything else; then auth (401); then a 400 for an
api-version that cannot serve the operation; then the handler. Every API reply, errors
included, carries the Azure headers from :mod:`emulator.headers`.
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

from . import background, compaction, errors, files, identity, models, responses, stream, vector_stores, versions
from .call import Call, Reply
from .errors import ApiError
from .headers import ReplyMeta
from .limits import BodyLimit
from .state import EmulatorState

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
    state: EmulatorState, handler: Handler, flavour: versions.Flavour, is_responses: bool
) -> Callable[[Request], Awaitable[Response]]:
    """Wrap an API handler with the gateway steps: version, auth, errors, headers."""
    known = state.profile.api_versions

    async def endpoint(request: Request) -> Response:
        meta = ReplyMeta(
            state.resource_for(request.scope),
            v1=flavour == "v1",
            client_request_id=request.headers.get("x-ms-client-request-id"),
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
        # Unknown path or method: Azure's gateway 404 (azure-facts.md §6.1).
        meta = ReplyMeta(state.resource_for(request.scope), v1=request.url.path.startswith("/openai/v1/"))
        meta.client_request_id = request.headers.get("x-ms-client-request-id")
        return _fail(state, errors.resource_not_found(), meta)

    async def crashed(request: Request, exc: Exception) -> Response:
        log.error("emulator bug outside a handler", exc_info=exc)
        meta = ReplyMeta(state.resource_for(request.scope))
        return _fail(state, errors.server_error(), meta)

    from .websocket import websocket_endpoint  # imports responses, like the routes above

    routes: list[BaseRoute] = [
        Route("/emulator/info", info, methods=["GET"]),
        Route("/msi/token", msi_token, methods=["GET"]),
    ]
    for prefix, flavour in PREFIXES:
        for path, method, handler, is_responses in API_ROUTES:
            routes.append(Route(prefix + path, _endpoint(state, handler, flavour, is_responses), methods=[method]))

    # WebSocket mode (emulator/websocket.py): v1 only, like the OpenAI API it follows.
    routes.append(WebSocketRoute("/openai/v1/responses", websocket_endpoint(state)))
    middleware = [Middleware(BodyLimit, get_limit=lambda: state.max_body_bytes)]
    if state.mutation is not None:  # a deliberately broken service (python -m emulator --mutation NAME)
        from .mutations import Mutating

        middleware.append(Middleware(Mutating, mutant=state.mutation))
    app = Starlette(
        routes=routes,
        exception_handlers={404: not_found, 405: not_found, Exception: crashed},
        middleware=middleware,
    )
    app.router.redirect_slashes = False
    app.state.emulator = state
    return app
