"""The emulator with one realistic bug, for proving that the suite's wire checks catch it.

    python tests/conformance/broken_emulator.py BUG --port 0 --ready-file F [emulator options]

An ASGI wrapper rewrites the emulator's replies (headers, JSON bodies, SSE frames) the way
a broken service would send them. Deliberately tiny, a handful of the bugs issue 11 lists:
it is a test fixture for the wire checks, not a mutation layer.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from emulator.__main__ import build_parser  # noqa: E402
from emulator.server import Emulator  # noqa: E402

Headers = list[tuple[bytes, bytes]]
Reply = tuple[int, Headers, bytes]


def _header(headers: Headers, name: bytes) -> str:
    return next((v.decode() for k, v in headers if k.lower() == name), "")


def _set_header(headers: Headers, name: bytes, value: str) -> Headers:
    return [(k, v) for k, v in headers if k.lower() != name] + [(name, value.encode())]


def _frames(body: bytes) -> list[dict[str, Any]]:
    """The JSON data of each SSE frame, in order (non-JSON frames are dropped)."""
    out = []
    for frame in body.split(b"\n\n"):
        for line in frame.split(b"\n"):
            if line.startswith(b"data:"):
                out.append(json.loads(line[5:]))
    return out


def _sse(events: list[dict[str, Any]]) -> bytes:
    return b"".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n".encode() for e in events)


def _on_responses(edit: Callable[[dict[str, Any]], None]) -> Callable[[int, Headers, bytes], Reply]:
    """Apply ``edit`` to every Response object: a JSON reply's body or a stream's snapshots."""

    def mutate(status: int, headers: Headers, body: bytes) -> Reply:
        kind = _header(headers, b"content-type")
        if "event-stream" in kind:
            events = _frames(body)
            for event in events:
                if isinstance(event.get("response"), dict):
                    edit(event["response"])
            return status, headers, _sse(events)
        if "json" in kind and body:
            data = json.loads(body)
            if isinstance(data, dict) and data.get("object") == "response":
                edit(data)
                return status, headers, json.dumps(data).encode()
        return status, headers, body

    return mutate


def _on_streams(edit: Callable[[list[dict[str, Any]]], list[dict[str, Any]]], raw_tail: bytes = b"") -> Callable[[int, Headers, bytes], Reply]:
    def mutate(status: int, headers: Headers, body: bytes) -> Reply:
        if "event-stream" not in _header(headers, b"content-type"):
            return status, headers, body
        return status, headers, _sse(edit(_frames(body))) + raw_tail

    return mutate


def _milliseconds(resp: dict[str, Any]) -> None:
    for key in ("created_at", "completed_at"):
        if isinstance(resp.get(key), (int, float)):
            resp[key] = resp[key] * 1000


def _unlimited(resp: dict[str, Any]) -> None:
    """max_output_tokens not enforced: far more output than the limit, billed as such."""
    usage = resp.get("usage")
    if isinstance(usage, dict) and isinstance(resp.get("max_output_tokens"), int):
        extra = resp["max_output_tokens"] + 100
        usage["output_tokens"] += extra
        usage["total_tokens"] += extra


def _no_reasoning_tokens(resp: dict[str, Any]) -> None:
    usage = resp.get("usage")
    if isinstance(usage, dict) and isinstance(usage.get("output_tokens_details"), dict):
        usage["output_tokens_details"]["reasoning_tokens"] = 0


def _usage_null(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for event in events:
        if event.get("type") == "response.completed":
            event["response"]["usage"] = None
    return events


def _error_after_completed(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not events or events[-1].get("type") != "response.completed":
        return events
    late = {"type": "error", "code": "server_error", "message": "The server had an error.", "param": None,
            "sequence_number": events[-1]["sequence_number"] + 1}
    return [*events, late]


def _text_plain(status: int, headers: Headers, body: bytes) -> Reply:
    if "event-stream" in _header(headers, b"content-type"):
        headers = _set_header(headers, b"content-type", "text/plain; charset=utf-8")
    return status, headers, body


_SERVER_ERROR = {"error": {"code": "server_error", "message": "The server had an error while processing your request."}}


def _500_for_404(status: int, headers: Headers, body: bytes) -> Reply:
    if status != 404:
        return status, headers, body
    return 500, _set_header(headers, b"content-type", "application/json"), json.dumps(_SERVER_ERROR).encode()


BUGS: dict[str, Callable[[int, Headers, bytes], Reply]] = {
    "sse_text_plain": _text_plain,
    "stream_usage_null": _on_streams(_usage_null),
    "done_frame": _on_streams(lambda events: events, raw_tail=b"data: [DONE]\n\n"),
    "error_after_completed": _on_streams(_error_after_completed),
    "timestamps_in_ms": _on_responses(_milliseconds),
    "max_output_tokens_ignored": _on_responses(_unlimited),
    "reasoning_tokens_zero": _on_responses(_no_reasoning_tokens),
    "persistent_500_for_404": _500_for_404,
    "none": lambda status, headers, body: (status, headers, body),  # the control
}

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class Broken:
    """ASGI middleware: the whole reply is buffered, rewritten by ``bug``, then sent at once."""

    def __init__(self, app: Any, bug: Callable[[int, Headers, bytes], Reply]) -> None:
        self.app, self.bug = app, bug

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/openai/"):
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    status, headers, body = self.bug(start["status"], list(start.get("headers", [])), b"".join(chunks))
                    headers = _set_header(headers, b"content-length", str(len(body)))
                    await send({"type": "http.response.start", "status": status, "headers": headers})
                    await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)


def main() -> None:
    bug, argv = sys.argv[1], sys.argv[2:]
    args = build_parser().parse_args(argv)
    emulator = Emulator(host=args.host, port=args.port, api_key=args.api_key, ready_file=args.ready_file,
                        background_ms=args.background_ms)
    emulator.app = Broken(emulator.app, BUGS[bug])
    asyncio.run(emulator.serve())


if __name__ == "__main__":
    main()
