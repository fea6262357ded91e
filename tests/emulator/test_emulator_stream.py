"""SSE: every stream the emulator produces is conformant, and agrees with the stored response."""

from __future__ import annotations

import json

import pytest
from emu_support import create, data_url

from conformance.checks import check_stream


def sse_events(resp) -> list[dict]:
    """Parse ``event:``/``data:`` frames; the event name must equal the data's type."""
    assert resp.headers["content-type"].startswith("text/event-stream")
    events = []
    for frame in resp.text.split("\n\n"):
        if not frame.strip():
            continue
        lines = dict(line.split(": ", 1) for line in frame.split("\n"))
        assert set(lines) == {"event", "data"}, frame
        event = json.loads(lines["data"])
        assert event["type"] == lines["event"]
        events.append(event)
    assert "[DONE]" not in resp.text
    return events


STREAMS = {
    "text": {"input": "Write me a poem about the sea."},
    "truncated": {"input": "Write me a poem about the sea.", "max_output_tokens": 16},
    "reasoning": {"model": "o4-mini", "input": "Why is the sky blue?"},
    "summary_auto": {"model": "o4-mini", "input": "Why is the sky blue?", "reasoning": {"effort": "high", "summary": "auto"}},
    "summary_concise": {"model": "o4-mini", "input": "Why?", "reasoning": {"summary": "concise"}},
    "encrypted": {"model": "o4-mini", "input": "Why?", "store": False, "include": ["reasoning.encrypted_content"]},
    "structured": {
        "input": "Alice and Bob are going to a science fair on Friday.",
        "text": {"format": {"type": "json_schema", "name": "e", "strict": True, "schema": {
            "type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"],
            "additionalProperties": False}}},
    },
    "image": {"input": [{"role": "user", "content": [{"type": "input_text", "text": "Describe"},
                                                    {"type": "input_image", "image_url": data_url()}]}]},
}  # fmt: skip


@pytest.mark.parametrize("v1", [True, False], ids=["v1", "dated"])
@pytest.mark.parametrize("name", sorted(STREAMS))
def test_every_stream_is_conformant(client, name, v1):
    body = {**STREAMS[name], "stream": True}
    if name == "encrypted" and not v1:
        pytest.skip("encrypted reasoning is v1-only (see test_encrypted_reasoning_is_v1_only)")
    resp = create(client, v1=v1, **body)
    assert resp.status_code == 200, resp.text
    events = sse_events(resp)
    assert check_stream(events) == []
    assert [e["sequence_number"] for e in events] == list(range(len(events)))


def test_stream_grammar_for_a_message(client):
    events = sse_events(create(client, input="Write me a poem about the sea.", stream=True))
    types = [e["type"] for e in events]
    assert types[:5] == [
        "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
        "response.output_text.delta",
    ]  # fmt: skip
    assert types[-5:] == [
        "response.output_text.delta", "response.output_text.done", "response.content_part.done",
        "response.output_item.done", "response.completed",
    ]  # fmt: skip
    deltas = [e for e in events if e["type"] == "response.output_text.delta"]
    assert len(deltas) > 3 and all(isinstance(d["obfuscation"], str) and d["obfuscation"] for d in deltas)
    done = next(e for e in events if e["type"] == "response.output_text.done")
    assert "".join(d["delta"] for d in deltas) == done["text"]


def test_content_filters_only_on_completion_on_v1(client):
    events = sse_events(create(client, input="hi there", stream=True))
    assert all(e["response"]["content_filters"] is None for e in events[:2])
    assert isinstance(events[-1]["response"]["content_filters"], list)
    dated = sse_events(create(client, v1=False, input="hi there", stream=True))
    assert dated[-1]["response"]["content_filters"] is None


def test_streamed_response_is_stored_like_a_json_one(client):
    events = sse_events(create(client, input="Tell me a joke.", stream=True))
    final = events[-1]["response"]
    stored = client.get(f"/openai/v1/responses/{final['id']}").json()
    assert stored == final


def test_max_output_tokens_ends_with_incomplete(client):
    events = sse_events(create(client, input="Write me a long poem about the sea.", max_output_tokens=16, stream=True))
    assert events[-1]["type"] == "response.incomplete"
    assert events[-1]["response"]["incomplete_details"] == {"reason": "max_output_tokens"}


def test_reasoning_summary_events(client):
    events = sse_events(create(client, model="o4-mini", input="Why?", reasoning={"summary": "detailed"}, stream=True))
    types = [e["type"] for e in events]
    assert types.count("response.reasoning_summary_part.added") == 2
    assert "response.reasoning_summary_text.delta" in types
    assert types.index("response.reasoning_summary_part.done") < types.index("response.content_part.added")


def test_streaming_header_on_v1(client):
    resp = create(client, input="hi", stream=True)
    assert resp.headers["azureai-fe-is-streaming"] == "True"
