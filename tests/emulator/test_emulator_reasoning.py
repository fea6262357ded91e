"""Reasoning deployments: effort, summaries, encrypted content round trips."""

from __future__ import annotations

import pytest
from emu_support import create, error_of


def _reasoning(body):
    return next(item for item in body["output"] if item["type"] == "reasoning")


def test_effort_changes_reasoning_tokens(client):
    low = create(client, model="o4-mini", input="Why?", reasoning={"effort": "low"}).json()
    high = create(client, model="o4-mini", input="Why?", reasoning={"effort": "high"}).json()
    assert low["reasoning"]["effort"] == "low" and high["reasoning"]["effort"] == "high"
    assert low["usage"]["output_tokens_details"]["reasoning_tokens"] < high["usage"]["output_tokens_details"]["reasoning_tokens"]


@pytest.mark.parametrize("style, parts", [("auto", 2), ("concise", 1), ("detailed", 2)])
def test_summary_styles(client, style, parts):
    body = create(client, model="o4-mini", input="Why?", reasoning={"summary": style}).json()
    summary = _reasoning(body)["summary"]
    assert len(summary) == parts and all(p["type"] == "summary_text" and p["text"] for p in summary)
    assert "encrypted_content" not in _reasoning(body)


def test_no_summary_on_2025_03_01_preview(client):
    r = client.post("/openai/responses?api-version=2025-03-01-preview",
                    json={"model": "o4-mini", "input": "Why?", "reasoning": {"summary": "auto"}})  # fmt: skip
    assert _reasoning(r.json())["summary"] == []


def test_encrypted_content_round_trip(client):
    said = [{"role": "user", "content": "My sister lives in Lisbon."}]
    first = create(client, model="o4-mini", input=said, store=False, include=["reasoning.encrypted_content"]).json()
    item = _reasoning(first)
    assert item["encrypted_content"].startswith("gAAAAA")
    again = said + first["output"] + [{"role": "user", "content": "Where does my sister live?"}]
    second = create(client, model="o4-mini", input=again, store=False, include=["reasoning.encrypted_content"])
    assert second.status_code == 200, second.text
    assert "Lisbon" in second.text


def test_tampered_encrypted_content_is_refused(client):
    first = create(client, model="o4-mini", input="Hi", store=False, include=["reasoning.encrypted_content"]).json()
    item = {**_reasoning(first), "encrypted_content": _reasoning(first)["encrypted_content"][:-4] + "AAAA"}
    r = create(client, model="o4-mini", input=[item, {"role": "user", "content": "again"}], store=False)
    assert r.status_code == 400 and error_of(r)["code"] == "invalid_encrypted_content"


def test_encrypted_reasoning_is_v1_only(client):
    r = create(client, v1=False, model="o4-mini", input="Hi", store=False, include=["reasoning.encrypted_content"])
    assert r.status_code == 400 and error_of(r)["code"] == "unsupported_value"


def test_temperature_is_refused_on_a_reasoning_model(client):
    r = create(client, model="o4-mini", input="Hi", temperature=0.2)
    error = error_of(r)
    assert r.status_code == 400 and error["code"] == "unsupported_parameter" and error["param"] == "temperature"


def test_a_model_that_does_not_stream_refuses_stream_true(client):
    # o3-pro answers only without streaming (reasoning feature matrix, docs/sources.md)
    r = create(client, model="o3-pro", input="Why?", stream=True)
    assert r.status_code == 400
    error = error_of(r)
    assert error["param"] == "stream" and error["code"] == "unsupported_value"
    assert create(client, model="o3-pro", input="Why?").status_code == 200
