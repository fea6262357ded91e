"""WebSocket mode on /openai/v1/responses: a real uvicorn server, the openai SDK's client and
the `websockets` package, so the handshake, frames and error events are the real thing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from openai import OpenAI
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from emulator.gateway.limits import WEBSOCKET_CONNECTION_SECONDS
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
    ({"type": "response.create", "model": "gpt-4o", "input": "hi", "stream_options": {"include_obfuscation": False}},
     "stream_options"),
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


def _create(ws: Any, **fields: Any) -> list[dict[str, Any]]:
    ws.send(json.dumps({"type": "response.create", "model": "gpt-4o", **fields}))
    return _until_terminal(ws)


def _error_code(events: list[dict[str, Any]]) -> str | None:
    assert [e["type"] for e in events] == ["error"], [e["type"] for e in events]
    return events[0]["error"].get("code")


def test_a_store_false_response_continues_on_its_socket_and_nowhere_else(server):
    headers = {"api-key": KEY}
    with connect(_ws_url(server), additional_headers=headers) as ws:
        first = _create(ws, store=False, input="Remember the code word: HERON-4. Reply with OK.")[-1]["response"]
        second = _create(ws, store=False, previous_response_id=first["id"], input="What was the code word?")
        assert second[-1]["type"] == "response.completed"
        assert "HERON-4" in second[-1]["response"]["output"][-1]["content"][0]["text"]
    with connect(_ws_url(server), additional_headers=headers) as ws:
        assert _error_code(_create(ws, store=False, previous_response_id=first["id"], input="And now?")) == (
            "previous_response_not_found")
    # Not stored either: the HTTP API has never heard of it.
    client = OpenAI(api_key=KEY, base_url=server.info["resources"]["aoai-swc"]["url"] + "/openai/v1/", max_retries=0)
    with pytest.raises(Exception, match="404"):
        client.responses.retrieve(first["id"])


def test_only_the_latest_response_is_remembered_and_a_failed_turn_forgets_it(server):
    with connect(_ws_url(server), additional_headers={"api-key": KEY}) as ws:
        first = _create(ws, store=False, input="Say one.")[-1]["response"]
        second = _create(ws, store=False, input="Say two.")[-1]["response"]
        assert _error_code(_create(ws, store=False, previous_response_id=first["id"], input="x")) == (
            "previous_response_not_found")
        orphan = {"type": "function_call_output", "call_id": "call_nothing", "output": "1"}
        failed = _create(ws, store=False, previous_response_id=second["id"], input=[orphan])
        assert failed[0]["status"] == 400 and failed[0]["error"]["param"] == "input"
        assert "call_nothing" in failed[0]["error"]["message"]
        assert _error_code(_create(ws, store=False, previous_response_id=second["id"], input="x")) == (
            "previous_response_not_found")


def test_a_stored_response_continues_on_any_socket(server):
    with connect(_ws_url(server), additional_headers={"api-key": KEY}) as ws:
        first = _create(ws, input="Remember the code word: LARK-2. Reply with OK.")[-1]["response"]
    with connect(_ws_url(server), additional_headers={"api-key": KEY}) as ws:
        later = _create(ws, previous_response_id=first["id"], input="What was the code word?")
    assert "LARK-2" in later[-1]["response"]["output"][-1]["content"][0]["text"]


def test_a_connection_past_its_lifetime_refuses_the_turn_and_closes(server):
    server.state.websocket_seconds = 0.0
    try:
        with connect(_ws_url(server), additional_headers={"api-key": KEY}) as ws:
            refused = _create(ws, input="hi")
            assert _error_code(refused) == "websocket_connection_limit_reached" and refused[0]["status"] == 400
            with pytest.raises(ConnectionClosed):
                ws.recv(timeout=10)
    finally:
        server.state.websocket_seconds = WEBSOCKET_CONNECTION_SECONDS
