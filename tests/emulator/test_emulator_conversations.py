"""The Conversations API on a Foundry project path: stored items, responses that read and
extend them, clear 4xx for bad input, and a 404 on a plain resource's /openai/v1."""

from __future__ import annotations

import pytest
from emu_support import error_of

P = "/api/projects/halcyon/openai/v1"


def _user(text):
    return {"type": "message", "role": "user", "content": text}


def _create(client, **body):
    r = client.post(f"{P}/conversations", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def test_a_project_serves_the_responses_api_below_its_path(client):
    r = client.post(f"{P}/responses", json={"model": "gpt-4o", "input": "hi"})
    assert r.status_code == 200 and r.json()["object"] == "response"
    assert client.get(f"{P}/responses/{r.json()['id']}").status_code == 200


def test_a_conversation_keeps_its_items_and_metadata(client):
    conv = _create(client, items=[_user("first")], metadata={"k": "v"})
    assert conv["id"].startswith("conv_") and conv["object"] == "conversation" and conv["metadata"] == {"k": "v"}
    client.post(f"{P}/conversations/{conv['id']}/items", json={"items": [_user("second")]})
    listed = client.get(f"{P}/conversations/{conv['id']}/items?order=asc").json()
    assert [i["content"][0]["text"] for i in listed["data"]] == ["first", "second"]
    newest = client.get(f"{P}/conversations/{conv['id']}/items?limit=1").json()
    assert [i["content"][0]["text"] for i in newest["data"]] == ["second"] and newest["has_more"] is True


def test_a_response_in_a_conversation_remembers_it_and_is_appended(client):
    conv = _create(client, items=[_user("Our project is called Halcyon. Please remember it.")])
    r = client.post(f"{P}/responses", json={"model": "gpt-4o", "input": "What is our project called? Reply with just the name.",
                                            "conversation": {"id": conv["id"]}})
    body = r.json()
    assert body["conversation"] == {"id": conv["id"]}
    assert "Halcyon" in body["output"][-1]["content"][0]["text"]
    items = client.get(f"{P}/conversations/{conv['id']}/items?order=asc").json()["data"]
    assert [i["role"] for i in items] == ["user", "user", "assistant"] and items[-1]["id"] == body["output"][-1]["id"]


def test_a_deleted_or_unknown_conversation_is_404(client):
    conv = _create(client)
    assert client.delete(f"{P}/conversations/{conv['id']}").json() == {"id": conv["id"], "object": "conversation.deleted", "deleted": True}
    for path in (f"/conversations/{conv['id']}", f"/conversations/{conv['id']}/items"):
        assert client.get(P + path).status_code == 404
    r = client.post(f"{P}/responses", json={"model": "gpt-4o", "input": "x", "conversation": "conv_nope"})
    assert r.status_code == 404 and "conv_nope" in error_of(r)["message"]


@pytest.mark.parametrize(("path", "body", "param"), [
    ("/conversations", {"items": "nope"}, "items"),
    ("/conversations", {"item": []}, "item"),
    ("/responses", {"model": "gpt-4o", "input": "x", "conversation": 7}, "conversation"),
])
def test_bad_input_is_a_clear_400(client, path, body, param):
    r = client.post(P + path, json=body)
    assert r.status_code == 400 and error_of(r).get("param") == param, r.text


def test_conversation_and_previous_response_id_are_mutually_exclusive(client):
    conv = _create(client)
    r = client.post(f"{P}/responses", json={"model": "gpt-4o", "input": "x", "conversation": conv["id"],
                                            "previous_response_id": "resp_1"})
    assert r.status_code == 400 and "Mutually exclusive" in error_of(r)["message"]


def test_a_plain_resource_serves_no_conversations(client):
    assert error_of(client.post("/openai/v1/conversations", json={})) == {"code": "404", "message": "Resource not found"}
    r = client.post("/openai/v1/responses", json={"model": "gpt-4o", "input": "x", "conversation": "conv_1"})
    assert r.status_code == 400 and error_of(r)["param"] == "conversation"
