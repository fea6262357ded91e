"""Stand-ins on loopback for the public hosts a real service would reach.

The emulator runs without the internet, so a URL the service itself would fetch (an
``input_image`` URL, a remote MCP ``server_url``) is answered as unreachable unless it is on
loopback. Started with ``--outbound https://learn.microsoft.com=http://127.0.0.1:8123``, it
reaches that origin's stand-in instead: the scheme, host and port are replaced, the path and
query kept, and what the client sees (echoed tools, error messages) still names the public URL.
benchmarks/seed_samples.py uses this to run the seed's samples unmodified.

The routes of the request being served are in a context variable, set for each request by
:class:`Routing` (ASGI middleware the gateway adds), so the engine's fetchers need no extra
parameter and two emulators in one process keep their own.
"""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit


class BadRoute(ValueError):
    """An ``--outbound`` value that is not ``https://public.origin=http://127.0.0.1:port``."""


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise BadRoute(f"{url!r} is not an origin (scheme://host[:port], no path)")
    return parts.scheme, parts.netloc.lower()


@dataclass(frozen=True)
class Outbound:
    """Public origin -> stand-in origin."""

    routes: Mapping[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def parse(cls, specs: Iterable[str]) -> Outbound:
        routes = {}
        for spec in specs:
            public, sep, local = spec.partition("=")
            if not sep:
                raise BadRoute(f"{spec!r}: expected PUBLIC_ORIGIN=LOOPBACK_ORIGIN")
            routes[_origin(public.strip())] = _origin(local.strip())
        return cls(routes)

    def url(self, url: str) -> str:
        """``url`` with its origin replaced by its stand-in's (unchanged without one)."""
        parts = urlsplit(url)
        local = self.routes.get((parts.scheme, parts.netloc.lower()))
        return url if local is None else urlunsplit((*local, parts.path, parts.query, parts.fragment))


NONE = Outbound()
_active: contextvars.ContextVar[Outbound] = contextvars.ContextVar("emulator_outbound", default=NONE)


def activate(outbound: Outbound) -> contextvars.Token[Outbound]:
    """Make ``outbound`` the routes of the current request (the gateway calls this)."""
    return _active.set(outbound)


def deactivate(token: contextvars.Token[Outbound]) -> None:
    """Undo :func:`activate` when the request is done."""
    _active.reset(token)


def route(url: str) -> str:
    """Where the emulator really connects for ``url`` in the current request."""
    return _active.get().url(url)


class Routing:
    """ASGI middleware: ``routes`` are the outbound routes of every request it passes on, HTTP
    and WebSocket alike."""

    def __init__(self, app: Callable[..., Awaitable[None]], routes: Outbound) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        token = activate(self.routes)
        try:
            await self.app(scope, receive, send)
        finally:
            deactivate(token)
