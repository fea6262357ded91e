"""Wire shapes: JSON paths with types, and SSE event types tapped from a streaming response."""

from __future__ import annotations

from conformance.model.sdk import http_module
from conformance.client.shapes import ShapeLog, json_paths
from conformance.client.wiretap import tap_sse

httpx = http_module()

SSE = (b'event: response.created\ndata: {"type":"response.created","sequence_number":0}\n\n'
       b'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"Hi"}\n\n'
       b'event: response.completed\ndata: {"type":"response.completed"}\n\n')


def test_json_paths_fold_arrays_and_name_types():
    body = {"id": "r", "output": [{"content": [{"text": "a"}, {"text": None}]}], "usage": {"input_tokens": 3, "ok": True, "x": 1.5}}
    assert json_paths(body) == {
        "$: object", "id: string", "output: array", "output[]: object", "output[].content: array",
        "output[].content[]: object", "output[].content[].text: string", "output[].content[].text: null",
        "usage: object", "usage.input_tokens: integer", "usage.ok: boolean", "usage.x: number",
    }


def _chunks():
    for i in range(0, len(SSE), 7):  # split mid-line on purpose
        yield SSE[i:i + 7]


def test_sse_event_types_are_seen_as_the_client_reads_the_stream():
    log = ShapeLog()

    def handler(request):
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=_chunks())

    def hook(response):
        tap_sse(response, lambda data: log.observe_event(data["type"]))

    with httpx.Client(transport=httpx.MockTransport(handler), event_hooks={"response": [hook]}) as client:
        with client.stream("POST", "https://x/openai/v1/responses") as response:
            data = b"".join(response.iter_bytes())
    assert data == SSE
    assert log.events == {"response.created", "response.output_text.delta", "response.completed"}


async def test_sse_tap_works_for_async_clients_too():
    log = ShapeLog()

    async def achunks():
        for chunk in _chunks():
            yield chunk

    def handler(request):
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=achunks())

    async def hook(response):
        tap_sse(response, lambda data: log.observe_event(data["type"]), asynchronous=True)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler), event_hooks={"response": [hook]}) as client:
        async with client.stream("POST", "https://x/openai/v1/responses") as response:
            data = b"".join([chunk async for chunk in response.aiter_bytes()])
    assert data == SSE and "response.completed" in log.events
