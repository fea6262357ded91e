"""End to end: record real `openai` SDK calls against a local server, then replay them offline."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import openai
import pytest
import vcr
import yaml

from conformance.recording import Scrubber, read_provenance, register, set_provenance, vcr_config

KEY = "5e1d2c3b4a5968778695a4b3c2d1e0f9"
MODEL = "gpt-4o-mini"


class _Handler(BaseHTTPRequestHandler):
    """A tiny Responses API: JSON (gzip), SSE, and a 404 that echoes secrets back."""

    server: _Server

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, content_type: str, data: bytes, **headers: str) -> None:
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(data)))
        self.send_header("set-cookie", "affinity=server-1")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        self.server.count += 1
        rid = f"resp_{self.server.count}"
        if body.get("stream"):
            events = [
                ("response.created", {"response": {"id": rid, "object": "response", "status": "in_progress", "output": []}}),
                ("response.output_text.delta", {"item_id": "msg_1", "output_index": 0, "content_index": 0, "delta": "Hel"}),
                ("response.output_text.delta", {"item_id": "msg_1", "output_index": 0, "content_index": 0, "delta": "lo"}),
                ("response.completed", {"response": {"id": rid, "object": "response", "status": "completed", "output": []}}),
            ]
            data = "".join(
                f"event: {name}\ndata: {json.dumps({'type': name, 'sequence_number': i, **payload})}\n\n"
                for i, (name, payload) in enumerate(events)
            )
            self._send(200, "text/event-stream", data.encode(), x_request_id=f"req_{rid}")
            return
        result = {
            "id": rid, "object": "response", "created_at": 1700000000, "status": "completed", "model": body["model"],
            "output": [{"type": "message", "id": "msg_1", "status": "completed", "role": "assistant",
                        "content": [{"type": "output_text", "text": f"Hello {self.server.count}", "annotations": []}]}],
            "metadata": {"seen": f"http://{self.headers['host']}/openai/v1 with {self.headers['authorization']}"},
        }
        self._send(200, "application/json", gzip.compress(json.dumps(result, indent=2).encode()),
                   content_encoding="gzip", x_request_id=f"req_{rid}", openai_organization="org-secret")

    def do_GET(self) -> None:
        error = {"error": {"message": f"No response found; key {self.headers['authorization']} at {self.headers['host']}",
                           "type": "invalid_request_error", "code": "not_found"}}
        self._send(404, "application/json", json.dumps(error).encode())


class _Server(ThreadingHTTPServer):
    count = 0


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _exercise(base_url: str) -> dict[str, Any]:
    """The SDK calls under test, reduced to comparable values.

    `client.post(..., cast_to=dict/str)` goes through the SDK's whole transport (headers,
    retries, error mapping) but skips building its pydantic models, which alone would
    take most of a second; the typed path reads the same bytes.
    """
    client = openai.OpenAI(base_url=f"{base_url}/openai/v1", api_key=KEY, max_retries=0)
    body = {"model": MODEL, "input": "hi"}
    first = client.post("/responses", body=body, cast_to=dict)
    again = client.post("/responses", body=body, cast_to=dict)  # same request: replays in order
    stream = client.post("/responses", body={**body, "stream": True}, cast_to=str)
    with pytest.raises(openai.NotFoundError) as missing:
        client.get("/responses/resp_missing", cast_to=dict)
    client.close()
    return {"first": first, "again": again, "stream": stream, "error": missing.value.message}


def _plain(value: dict[str, Any]) -> Any:
    return json.loads(json.dumps(value))


def test_record_then_replay_offline(server: _Server, tmp_path: Path) -> None:
    base = f"http://127.0.0.1:{server.server_port}"
    scrubber = Scrubber(api_keys=[KEY], base_urls=[base])
    recorder = register(vcr.VCR())
    cassette = tmp_path / "test_e2e[emulator].yaml"
    provenance = {"recorded_against": "emulator 0.1.0", "recorded_at": "2025-01-01T00:00:00+00:00",
                  "target": "emulator", "sdk": f"openai {openai.__version__}", "suite": "test"}
    previous = set_provenance(provenance)
    try:
        with recorder.use_cassette(str(cassette), **vcr_config(scrubber)):
            recorded = _exercise(base)
    finally:
        set_provenance(previous)
    assert recorded["first"]["id"] == "resp_1" and recorded["again"]["id"] == "resp_2"
    assert recorded["first"]["output"][0]["content"][0]["text"] == "Hello 1"
    assert '"delta": "Hel"' in recorded["stream"] and recorded["stream"].endswith("\n\n")

    text = cassette.read_text(encoding="utf-8")
    for leak in (KEY, "127.0.0.1", str(server.server_port), "org-secret", "affinity=server-1"):
        assert leak not in text, leak
    data = yaml.safe_load(text)
    assert list(data)[0] == "provenance" and read_provenance(cassette) == provenance
    first = data["interactions"][0]
    assert first["request"]["body"]["json"] == {"input": "hi", "model": MODEL}
    assert first["response"]["body"]["json"]["output"][0]["content"][0]["text"] == "Hello 1"
    assert "sse" in data["interactions"][2]["response"]["body"]

    server.shutdown()
    server.server_close()
    with recorder.use_cassette(str(cassette), record_mode="none", **vcr_config(Scrubber())):
        replayed = _exercise(base)
    # The SDK saw real values while recording and sees their placeholders on replay.
    assert _plain(replayed) == json.loads(scrubber.scrub_text(json.dumps(_plain(recorded))))
    assert "<API_KEY>" in replayed["error"] and "RESOURCE.openai.azure.com" in replayed["error"]
