"""The ASGI layer that lets one mutant rewrite API exchanges on their way in and out.

Only installed when a mutation is selected (``python -m emulator --mutation NAME``), so the
default emulator runs without it. Requests are buffered (the mutant may rewrite the JSON body
or the query); JSON replies are buffered and may change status and body; SSE replies stay
streamed, frame by frame, so live background streams keep their timing.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

from emulator.mutations.base import Event, Exchange, Header, Mutant

Scope = dict[str, Any]
Message = dict[str, Any]

PREFIXES = ("/openai/v1", "/openai")
COLLECTIONS = frozenset({"responses", "files", "vector_stores", "file_batches"})


def route_of(method: str, path: str) -> tuple[bool, str, list[str]] | None:
    """(v1, route, ids) of an API path, or None for anything else (info, token endpoint)."""
    for prefix in PREFIXES:
        if path.startswith(prefix + "/"):
            rest = path[len(prefix) + 1 :]
            break
    else:
        return None
    parts = rest.split("/")
    shown, ids = [], []
    for i, part in enumerate(parts):
        if i > 0 and parts[i - 1] in COLLECTIONS:
            ids.append(part)
            shown.append("{id}")
        else:
            shown.append(part)
    return prefix == "/openai/v1", f"{method} /" + "/".join(shown), ids


def _header(headers: list[Header], name: bytes) -> bytes:
    return next((v for k, v in headers if k.lower() == name), b"")


def _without(headers: list[Header], name: bytes) -> list[Header]:
    return [(k, v) for k, v in headers if k.lower() != name]


def encode_event(event: Event) -> bytes:
    """One SSE frame, as the emulator writes them."""
    data = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
    return f"event: {event.get('type')}\ndata: {data}\n\n".encode()


def _parse_frame(frame: bytes) -> Event | None:
    for line in frame.split(b"\n"):
        if line.startswith(b"data:"):
            try:
                value = json.loads(line[5:].strip())
            except ValueError:
                return None
            return value if isinstance(value, dict) else None
    return None


class Mutating:
    """ASGI middleware applying one :class:`Mutant` to every API exchange."""

    def __init__(self, app: Any, mutant: Mutant) -> None:
        self.app = app
        self.mutant = mutant

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        found = route_of(scope.get("method", ""), scope.get("path", "")) if scope["type"] == "http" else None
        if found is None:
            await self.app(scope, receive, send)
            return
        v1, route, ids = found
        body, last = await _read(receive)
        headers = list(scope.get("headers") or [])
        request = None
        if body and b"json" in _header(headers, b"content-type"):
            try:
                request = json.loads(body)
            except ValueError:
                request = None
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
        ex = Exchange(scope["method"], route, ids, query, request, v1)
        if self.mutant.request(ex):
            self.mutant.fire()
            if ex.request is not None:
                body = json.dumps(ex.request).encode()
                headers = _without(headers, b"content-length") + [(b"content-length", str(len(body)).encode())]
            scope = {**scope, "method": ex.method, "headers": headers, "query_string": urlencode(ex.query).encode()}
        await self.app(scope, _replay(body, last, receive), _Reply(send, ex, self.mutant))


async def _read(receive: Any) -> tuple[bytes, Message | None]:
    """The whole request body, and a disconnect that arrived while reading (if any)."""
    chunks = bytearray()
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return bytes(chunks), message
        chunks.extend(message.get("body", b""))
        if not message.get("more_body"):
            return bytes(chunks), None


def _replay(body: bytes, last: Message | None, receive: Any) -> Any:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return last if last is not None else await receive()

    return replayed


class _Reply:
    """The ``send`` the app sees: rewrites JSON replies whole and SSE replies per frame."""

    def __init__(self, send: Any, ex: Exchange, mutant: Mutant) -> None:
        self.send, self.ex, self.mutant = send, ex, mutant
        self.kind = "raw"
        self.start: Message = {}
        self.buffer = bytearray()

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            await self._start(message)
        elif message["type"] == "http.response.body":
            await self._body(message)
        else:
            await self.send(message)

    async def _start(self, message: Message) -> None:
        headers = list(message.get("headers") or [])
        ctype = _header(headers, b"content-type")
        new = self.mutant.headers(self.ex, message["status"], headers)
        if new is not None:
            self.mutant.fire()
            headers = new
        self.start = {**message, "headers": headers}
        if b"text/event-stream" in ctype:
            self.kind = "sse"
        elif b"json" in ctype:
            self.kind = "json"
            return  # sent with the (possibly rewritten) body
        await self.send(self.start)

    async def _body(self, message: Message) -> None:
        more = bool(message.get("more_body"))
        if self.kind == "raw":
            await self.send(message)
        elif self.kind == "json":
            self.buffer.extend(message.get("body", b""))
            if not more:
                await self._json()
        else:
            self.buffer.extend(message.get("body", b""))
            out = bytearray()
            while b"\n\n" in self.buffer:
                frame, _, rest = bytes(self.buffer).partition(b"\n\n")
                self.buffer = bytearray(rest)
                out.extend(self._frame(frame + b"\n\n"))
            if not more:
                out.extend(self.buffer)
                extra = self.mutant.end(self.ex)
                if extra:
                    self.mutant.fire()
                    out.extend(extra)
            await self.send({"type": "http.response.body", "body": bytes(out), "more_body": more})

    def _frame(self, frame: bytes) -> bytes:
        event = _parse_frame(frame)
        if event is None:
            return frame
        new = self.mutant.event(self.ex, event)
        if new is None:
            return frame
        self.mutant.fire()
        return b"".join(encode_event(e) for e in new)

    async def _json(self) -> None:
        status, raw = self.start["status"], bytes(self.buffer)
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        new = self.mutant.reply(self.ex, status, body) if body is not None else None
        if new is not None:
            self.mutant.fire()
            status, body = new
            raw = json.dumps(body).encode()
        headers = _without(self.start["headers"], b"content-length") + [(b"content-length", str(len(raw)).encode())]
        await self.send({**self.start, "status": status, "headers": headers})
        await self.send({"type": "http.response.body", "body": raw, "more_body": False})
