"""Fault injection: a seeded share of API calls misbehave the way a busy Azure resource does.

It exists to test the suite, not the SDK: a run against an emulator with faults must end with
every hit cell ``supported`` (after a retry) or ``inconclusive`` (with the fault as evidence),
never ``failed``. Kinds (learn.microsoft.com/rest/api/microsoft-foundry/azureopenai/responses and learn.microsoft.com/azure/foundry/openai/how-to/quota and learn.microsoft.com/azure/foundry/openai/how-to/responses):

- ``429``: rate limited, with ``retry-after``/``retry-after-ms`` and Azure's ``x-ratelimit-*``;
- ``500``, ``503``: transient outages (``503`` also says when to retry);
- ``slow``: the first byte comes late (``slow_ms``), for testing per-request timeouts;
- ``stream_error``: an SSE stream stops with an ``error`` event (code ``server_error`` or
  ``rate_limit_exceeded``), as Azure documents for failed streams;
- ``drop``: an SSE stream's connection is closed mid-way.

Faults are drawn after auth (a wrong key is still a 401, as on Azure) and before the handler,
so a refused call has no side effect and the SDK's retry is safe. Settings come from the
profile's ``[faults]`` table or the command line (``--faults 0.2 --fault-seed 7``), with
per-deployment rates.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import StreamingResponse

from emulator.wire import errors
from emulator.wire.headers import ReplyMeta
from emulator.state.profile import FaultSpec

PLAIN_KINDS = ("429", "500", "503", "slow")
STREAM_KINDS = ("stream_error", "drop")
_SEQ = re.compile(rb'"sequence_number":\s*(\d+)')


def fault_settings(base: FaultSpec, rate: float | None, seed: int | None) -> FaultSpec:
    """The profile's ``[faults]`` with the command line's rate and seed on top."""
    update: dict[str, Any] = {}
    if rate is not None:
        update["rate"] = rate
    if seed is not None:
        update["seed"] = seed
    return FaultSpec.model_validate({**base.model_dump(), **update})


class DroppedConnection(Exception):
    """Raised inside an SSE body: the server closes the connection without finishing it."""


class Injector:
    """Draws faults from one seeded generator, in request order, and counts them."""

    def __init__(self, spec: FaultSpec | None = None) -> None:
        self.spec = spec or FaultSpec()
        self._rng = random.Random(self.spec.seed)
        self.counts: Counter[str] = Counter()

    @property
    def active(self) -> bool:
        return self.spec.rate > 0 or any(r > 0 for r in self.spec.deployments.values())

    def draw(self, deployment: str | None, streaming: bool) -> str | None:
        """The fault for one call, or None."""
        rate = self.spec.deployments.get(deployment or "", self.spec.rate)
        if self._rng.random() >= rate:
            return None
        kinds = [k for k in (*PLAIN_KINDS, *(STREAM_KINDS if streaming else ())) if self.spec.weights.get(k, 0) > 0]
        if not kinds:
            return None
        kind = self._rng.choices(kinds, weights=[self.spec.weights[k] for k in kinds])[0]
        self.counts[kind] += 1
        return kind

    def cut_after(self) -> int:
        """How many SSE frames a faulty stream sends before it breaks."""
        return self._rng.randint(1, 4)

    async def around(self, request: Request, meta: ReplyMeta, api: str, handler: Callable[[], Awaitable[Any]]) -> Any:
        """Run ``handler`` unless a fault is drawn; break its stream if the fault says so."""
        if not self.active:
            return await handler()
        deployment, streaming = await _peek(request)
        kind = self.draw(deployment, streaming)
        if kind in ("429", "503"):
            raise self._refusal(kind, request, api)
        if kind == "500":
            raise errors.server_error()
        if kind == "slow":
            await asyncio.sleep(self.spec.slow_ms / 1000)
        reply = await handler()
        if kind in STREAM_KINDS and isinstance(reply, StreamingResponse):
            reply.body_iterator = self._broken(reply.body_iterator, kind)
        return reply

    def _refusal(self, kind: str, request: Request, api: str) -> errors.ApiError:
        ms = self.spec.retry_after_ms
        seconds = max(1, -(-ms // 1000))
        if kind == "503":
            exc = errors.service_unavailable()
        else:
            exc = errors.rate_limited(_operation(request), api, seconds)
            # real recorded Azure traffic (docs/sources.md): Azure's rate-limit header family.
            exc.headers.update({
                "x-ratelimit-remaining-requests": "0",
                "x-ratelimit-renewalperiod-requests": "60",
                "x-ratelimit-reset-requests": str(seconds),
                "x-ratelimit-abusepenalty-active": "False",
            })
        exc.headers.update({"retry-after": str(seconds), "retry-after-ms": str(ms)})
        return exc

    async def _broken(self, frames: AsyncIterator[Any], kind: str) -> AsyncIterator[bytes]:
        left, last_seq = self.cut_after(), -1
        async for frame in frames:
            data = frame.encode() if isinstance(frame, str) else bytes(frame)
            if left == 0:
                break
            found = _SEQ.search(data)
            last_seq = int(found.group(1)) if found else last_seq
            yield data
            left -= 1
        if kind == "drop":
            raise DroppedConnection("fault injection: connection dropped mid-stream")
        yield _error_frame(last_seq + 1, self._rng.choice(("server_error", "rate_limit_exceeded")))


def _error_frame(sequence_number: int, code: str) -> bytes:
    """learn.microsoft.com/azure/foundry/openai/how-to/responses: ``{type:"error", code, message, param, sequence_number}``."""
    message = {
        "server_error": "The server had an error while processing your request. Sorry about that!",
        "rate_limit_exceeded": "Rate limit reached while streaming. Please retry.",
    }[code]
    event = {"type": "error", "code": code, "message": message, "param": None, "sequence_number": sequence_number}
    return f"event: error\ndata: {json.dumps(event, separators=(',', ':'))}\n\n".encode()


def _operation(request: Request) -> str:
    method, path = request.method, request.url.path
    if path.endswith("/cancel"):
        return "Responses_Cancel"
    if method == "POST":
        return "Responses_Create"
    return "Responses_Delete" if method == "DELETE" else "Responses_Get"


async def _peek(request: Request) -> tuple[str | None, bool]:
    """The deployment a call uses and whether it streams, without consuming the body."""
    streaming = request.query_params.get("stream") in ("true", "True", "1")
    if request.method != "POST":
        return None, streaming
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        return None, False
    if not isinstance(body, dict):
        return None, False
    model = body.get("model")
    return (model if isinstance(model, str) else None), body.get("stream") is True
