"""Wire details real Azure traffic shows (docs/azure-wire-details.md): the emulator must match them."""

from __future__ import annotations

import re

from emu_support import create

from conformance.checks import check_response


def test_timestamps_are_integers_in_bodies_and_events(client):
    body = create(client, input="hi").json()
    assert type(body["created_at"]) is int and type(body["completed_at"]) is int
    stream = create(client, input="hi", stream=True).text
    stamps = re.findall(r'"(?:created|completed)_at":\s*([0-9.]+)', stream)
    assert stamps and all("." not in s for s in stamps)


def test_ids_are_the_prefix_and_50_hex_characters(client):
    body = create(client, input="hi").json()
    assert re.fullmatch(r"resp_[0-9a-f]{50}", body["id"])
    assert re.fullmatch(r"msg_[0-9a-f]{50}", body["output"][-1]["id"])


def test_verbosity_penalties_and_cache_retention_are_echoed(client):
    body = create(client, input="hi", text={"verbosity": "medium"}, frequency_penalty=0.5,
                  presence_penalty=-1, prompt_cache_retention="24h").json()
    assert body["text"] == {"format": {"type": "text"}, "verbosity": "medium"}
    assert body["frequency_penalty"] == 0.5 and body["presence_penalty"] == -1.0
    assert body["prompt_cache_retention"] == "24h"
    assert check_response(body) == []
    # gpt-4o takes only medium (the profile); a GPT-5 model's low is echoed as sent.
    low = create(client, model="gpt-5-mini", input="hi", text={"verbosity": "low"}).json()
    assert low["text"] == {"format": {"type": "text"}, "verbosity": "low"}


def test_bad_verbosity_and_penalty_are_clear_400s(client):
    bad = create(client, input="hi", text={"verbosity": "loud"})
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "text.verbosity"
    bad = create(client, input="hi", presence_penalty=3)
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "presence_penalty"


def test_tools_are_echoed_with_the_service_defaults(client):
    tools = [
        {"type": "function", "name": "f", "parameters": {"type": "object", "properties": {}}},
        {"type": "function", "name": "g", "parameters": {"type": "object", "properties": {}}, "strict": False},
    ]
    echoed = create(client, input="hi", tools=tools, tool_choice="none").json()["tools"]
    assert echoed[0]["strict"] is True and echoed[0]["description"] is None
    assert echoed[1]["strict"] is False


def test_file_search_and_web_search_defaults(client):
    store = client.post("/openai/v1/vector_stores", json={"name": "d"}).json()
    tools = [{"type": "file_search", "vector_store_ids": [store["id"]]}]
    fs = create(client, input="hi", tools=tools, tool_choice="none").json()["tools"][0]
    assert fs["filters"] is None and fs["max_num_results"] == 20
    assert fs["ranking_options"] == {"ranker": "auto", "score_threshold": 0.0}
    ws = create(client, input="hi", tools=[{"type": "web_search_preview"}], tool_choice="none")
    assert ws.status_code == 200, ws.text
    tool = ws.json()["tools"][0]
    assert tool["search_context_size"] == "medium" and tool["search_content_types"] == ["text", "image"]
    assert tool["user_location"]["type"] == "approximate"


def test_a_new_vector_store_is_in_progress_then_completed(client):
    store = client.post("/openai/v1/vector_stores", json={"name": "fresh"}).json()
    assert store["status"] == "in_progress"
    again = client.get(f"/openai/v1/vector_stores/{store['id']}").json()
    assert again["status"] == "completed"


def test_file_objects_carry_expires_at(client):
    upload = client.post("/openai/v1/files", data={"purpose": "assistants"},
                         files={"file": ("a.txt", b"hello", "text/plain")}).json()
    assert "expires_at" in upload and upload["expires_at"] is None
    assert "expires_at" in client.get(f"/openai/v1/files/{upload['id']}").json()
