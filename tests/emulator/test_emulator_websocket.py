"""WebSocket mode on /openai/v1/responses: a real uvicorn server, the openai SDK's client and
the `websockets` package, so the handshake, frames and error events are the real thing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from openai import OpenAI
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from emulator.server import Emulator

KEY = "sekret"


@pytest.fixture(scope="module")
def server() -> Iterator[Emulator]:
    with Emulator(api_key=KEY) as emulator:
        yield emulator


def _ws_url(server: Emulator, query: str = "") -> str:
    base = server.info["resources"]["aoai-swc"]["url"].replace("http://", "ws://")
    return f"{base}/openai/v1/responses{query}"


def _until_terminal(ws: Any) -> list[dict[str, Any]]:
    events = []
    while True:
        event = json.loads(ws.recv(timeout=10))
        events.append(event)
        if event["type"] in ("response.completed", "response.incomplete", "response.failed", "error"):
            return events


def test_response_create_streams_the_sse_grammar_and_chains_turns(server):
    with connect(_ws_url(server), additional_headers={"api-key": KEY}) as ws:
        ws.send(json.dumps({"type": "response.create", "model": "gpt-4o", "input": "Remember the code word: PELICAN-7. Reply with OK."}))
        first = _until_terminal(ws)
        assert [e["type"] for e in first[:2]] == ["response.created", "response.in_progress"]
        assert first[-1]["type"] == "response.completed"
        assert [e["sequence_number"] for e in first] == list(range(len(first)))
        text = "".join(e["delta"] for e in first if e["type"] == "response.output_text.delta")
        assert text and text == first[-1]["response"]["output"][-1]["content"][0]["text"]
        # The same connection, the next turn: previous_response_id from the first.
        ws.send(json.dumps({"type": "response.create", "model": "gpt-4o", "stream_id": "lane-1",
                            "previous_response_id": first[-1]["response"]["id"],
                            "input": "What was the code word? Reply with the code word only."}))
        second = _until_terminal(ws)
        assert second[-1]["type"] == "response.completed"
        assert {e.get("stream_id") for e in second} == {"lane-1"}
        assert "PELICAN-7" in second[-1]["response"]["output"][-1]["content"][0]["text"]


@pytest.mark.parametrize("event, param", [
    ({"type": "response.create", "model": "gpt-4o", "input": "hi", "stream": True}, "stream"),
    ({"type": "response.create", "model": "gpt-4o", "input": "hi", "background": True}, "background"),
    ({"type": "response.cancel"}, "type"),
    ({"type": "response.create", "model": "gpt-4o"}, "input"),
    ({"type": "response.create", "model": "gpt-4o", "input": "hi", "bogus": 1}, "bogus"),
])
def test_a_bad_event_gets_an_error_event_and_the_socket_stays_open(server, event, param):
    with connect(_ws_url(server), additional_headers={"api-key": KEY}) as ws:
        ws.send(json.dumps(event))
        error = json.loads(ws.recv(timeout=10))
        assert error["type"] == "error" and error["status"] == 400
        assert error["error"]["param"] == param and error["error"]["message"]
        ws.send("not json")
        assert json.loads(ws.recv(timeout=10))["status"] == 400
        ws.send(json.dumps({"type": "response.create", "model": "gpt-4o", "input": "hi"}))
        assert _until_terminal(ws)[-1]["type"] == "response.completed"


def test_a_bad_key_is_refused_at_the_handshake_with_401(server):
    with pytest.raises(InvalidStatus) as excinfo:
        connect(_ws_url(server), additional_headers={"api-key": "wrong"})
    assert excinfo.value.response.status_code == 401


def test_an_unknown_api_version_is_refused_at_the_handshake(server):
    with pytest.raises(InvalidStatus) as excinfo:
        connect(_ws_url(server, "?api-version=2099-01-01"), additional_headers={"api-key": KEY})
    assert excinfo.value.response.status_code in (400, 404)


def test_the_openai_sdk_connects_and_reads_typed_events(server):
    client = OpenAI(api_key=KEY, base_url=server.info["resources"]["aoai-swc"]["url"] + "/openai/v1/", max_retries=0)
    with client.responses.connect() as connection:
        connection.response.create(model="gpt-4o", input="Say hello.")
        types = []
        for event in connection:
            types.append(event.type)
            if event.type == "response.completed":
                assert event.response.output_text
                break
    assert types[0] == "response.created" and "response.output_text.delta" in types
