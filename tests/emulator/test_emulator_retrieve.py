"""Retrieve, delete and input_items, including pagination and headers."""

from __future__ import annotations

import pytest
from emu_support import create, error_of

OPENAI_META = ("openai-organization", "openai-processing-ms", "openai-version")


def five_items(client):
    items = [{"role": "user", "content": f"message {i}"} for i in range(5)]
    return create(client, input=items).json()


def test_retrieve_returns_the_stored_object(client):
    created = create(client, input="hi", metadata={"a": "b"}).json()
    r = client.get(f"/openai/v1/responses/{created['id']}")
    assert r.status_code == 200
    assert r.json() == created
    assert "x-ms-deployment-name" not in r.headers  # only POST /responses carries it
    for name in OPENAI_META:
        assert r.headers[name]
    assert len(r.headers["openai-organization"]) == 32


def test_post_has_no_openai_meta_headers(client):
    r = create(client, input="hi")
    for name in OPENAI_META:
        assert name not in r.headers


def test_retrieve_on_dated_path(client):
    created = create(client, input="hi").json()
    r = client.get(f"/openai/responses/{created['id']}?api-version=2025-03-01-preview")
    assert r.status_code == 200 and r.json()["id"] == created["id"]


def test_unknown_id_is_404(client):
    r = client.get("/openai/v1/responses/resp_nope")
    assert r.status_code == 404
    assert error_of(r) == {
        "message": "Response with id 'resp_nope' not found.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }
    assert r.headers["openai-version"]


def test_delete_then_404(client):
    rid = create(client, input="hi").json()["id"]
    r = client.delete(f"/openai/v1/responses/{rid}")
    assert r.status_code == 200
    assert r.json() == {"id": rid, "object": "response.deleted", "deleted": True}
    assert r.headers["openai-processing-ms"]
    assert client.get(f"/openai/v1/responses/{rid}").status_code == 404
    assert client.delete(f"/openai/v1/responses/{rid}").status_code == 404
    assert client.get(f"/openai/v1/responses/{rid}/input_items").status_code == 404


def test_input_items_default_desc(client):
    created = five_items(client)
    r = client.get(f"/openai/v1/responses/{created['id']}/input_items")
    assert r.status_code == 200
    body = r.json()
    assert body["object"] == "list" and body["has_more"] is False
    texts = [item["content"][0]["text"] for item in body["data"]]
    assert texts == [f"message {i}" for i in reversed(range(5))]
    assert all(item["type"] == "message" and item["id"].startswith("msg_") for item in body["data"])
    assert body["first_id"] == body["data"][0]["id"] and body["last_id"] == body["data"][-1]["id"]
    assert body["data"][0]["content"] == [{"type": "input_text", "text": "message 4"}]


def test_input_items_pagination(client):
    rid = five_items(client)["id"]
    url = f"/openai/v1/responses/{rid}/input_items"
    page1 = client.get(url, params={"order": "asc", "limit": 2}).json()
    assert [i["content"][0]["text"] for i in page1["data"]] == ["message 0", "message 1"]
    assert page1["has_more"] is True
    page2 = client.get(url, params={"order": "asc", "limit": 2, "after": page1["last_id"]}).json()
    assert [i["content"][0]["text"] for i in page2["data"]] == ["message 2", "message 3"]
    page3 = client.get(url, params={"order": "asc", "limit": 2, "after": page2["last_id"]}).json()
    assert [i["content"][0]["text"] for i in page3["data"]] == ["message 4"]
    assert page3["has_more"] is False
    back = client.get(url, params={"order": "asc", "limit": 2, "before": page3["first_id"]}).json()
    assert [i["content"][0]["text"] for i in back["data"]] == ["message 2", "message 3"]
    assert back["has_more"] is True


def test_input_items_only_own_input(client):
    first = create(client, input="one").json()
    second = create(client, input="two", previous_response_id=first["id"]).json()
    data = client.get(f"/openai/v1/responses/{second['id']}/input_items").json()["data"]
    assert [i["content"][0]["text"] for i in data] == ["two"]


@pytest.mark.parametrize(
    ("params", "param", "code"),
    [
        ({"limit": 0}, "limit", "integer_below_min_value"),
        ({"limit": 101}, "limit", "integer_above_max_value"),
        ({"limit": "x"}, "limit", "invalid_type"),
        ({"order": "up"}, "order", "invalid_value"),
    ],
)
def test_input_items_bad_params(client, params, param, code):
    rid = create(client, input="hi").json()["id"]
    r = client.get(f"/openai/v1/responses/{rid}/input_items", params=params)
    assert r.status_code == 400
    err = error_of(r)
    assert (err["param"], err["code"], err["type"]) == (param, code, "invalid_request_error")


def test_store_is_bounded(state, client):
    state.stores["aoai-swc"].max_responses = 2
    ids = [create(client, input=f"n{i}").json()["id"] for i in range(3)]
    assert client.get(f"/openai/v1/responses/{ids[0]}").status_code == 404
    assert all(client.get(f"/openai/v1/responses/{i}").status_code == 200 for i in ids[1:])


def test_stores_are_per_resource(client):
    rid = create(client, input="hi").json()["id"]
    assert client.get(f"http://127.0.0.1:5002/openai/v1/responses/{rid}").status_code == 404
