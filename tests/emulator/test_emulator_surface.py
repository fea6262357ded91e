"""The 2026 request surface: compaction, service tiers, prompt caching, logprobs, verbosity,
effort values per model and truncation, each as the profile says the deployment serves it."""

from __future__ import annotations

import pytest
from emu_support import create, error_of, text_of

from emulator.engine import prompt_cache
CODE = "Remember the code word: HERON-19. Reply with OK."
ASK = "What was the code word? Reply with the code word only."
LONG = " ".join(f"Clause {n}: the supplier ships part {n} within {n % 9 + 1} days." for n in range(120))


def _compact(client, **body):
    body.setdefault("model", "gpt-4o")
    return client.post("/openai/v1/responses/compact", json=body)


# --- POST /responses/compact ------------------------------------------------------------------


def test_compact_returns_user_messages_then_one_compaction_item_that_the_next_turn_reads(client):
    first = create(client, input=CODE).json()
    r = _compact(client, input=[{"role": "user", "content": CODE}, *first["output"]])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["object"] == "response.compaction" and body["id"].startswith("cmp_")
    assert [i["type"] for i in body["output"]] == ["message", "compaction"]
    assert body["output"][0]["role"] == "user" and body["output"][1]["encrypted_content"]
    assert body["usage"]["input_tokens"] > 0
    follow = create(client, input=[*body["output"], {"role": "user", "content": ASK}], store=False).json()
    assert "HERON-19" in text_of(follow)


def test_compact_takes_a_stored_chain_by_previous_response_id(client):
    first = create(client, input=CODE).json()
    body = _compact(client, previous_response_id=first["id"]).json()
    follow = create(client, input=[*body["output"], {"role": "user", "content": ASK}]).json()
    assert "HERON-19" in text_of(follow)


@pytest.mark.parametrize("body, status, param", [
    ({}, 400, "input"),
    ({"input": "hi", "stream": True}, 400, "stream"),
    ({"input": 5}, 400, "input"),
    ({"previous_response_id": "resp_missing"}, 400, "previous_response_id"),
    ({"input": [{"type": "compaction", "encrypted_content": "gAAAAAforged"}]}, 400, "input[0].encrypted_content"),
])
def test_bad_compact_requests_are_clear_400s(client, body, status, param):
    r = _compact(client, **body)
    assert r.status_code == status and error_of(r).get("param") == param, r.text


def test_compact_is_a_v1_operation(client):
    r = client.post("/openai/responses/compact?api-version=2025-04-01-preview", json={"model": "gpt-4o", "input": "hi"})
    assert r.status_code == 404


def test_a_forged_compaction_item_is_refused_on_create(client):
    r = create(client, input=[{"type": "compaction", "encrypted_content": "gAAAAAforged"}, {"role": "user", "content": "hi"}])
    assert r.status_code == 400 and error_of(r)["code"] == "invalid_encrypted_content"


def test_context_management_emits_a_compaction_item_over_the_threshold(client):
    over = create(client, input=LONG, context_management=[{"type": "compaction", "compact_threshold": 1000}]).json()
    under = create(client, input="hi", context_management=[{"type": "compaction", "compact_threshold": 1000}]).json()
    assert [i["type"] for i in over["output"]] == ["compaction", "message"]
    assert [i["type"] for i in under["output"]] == ["message"]


@pytest.mark.parametrize("value, param", [
    ({"type": "compaction", "compact_threshold": 10}, "context_management[0].compact_threshold"),
    ({"type": "summary"}, "context_management[0].type"),
    ({"compact_threshold": 2000}, "context_management[0].type"),
])
def test_bad_context_management_is_a_400(client, value, param):
    r = create(client, input="hi", context_management=[value])
    assert r.status_code == 400 and error_of(r)["param"] == param


# --- service_tier, reasoning.effort, text.verbosity: per deployment ------------------------------


@pytest.mark.parametrize("model, tier, ok", [
    ("gpt-4o", "default", True), ("gpt-4o", "auto", True), ("gpt-4o", "priority", False), ("gpt-4o", "flex", False),
    ("gpt-4.1", "priority", True), ("gpt-4.1", "flex", False), ("gpt-5.6-sol", "flex", True),
])
def test_service_tiers_follow_the_profile(client, model, tier, ok):
    r = create(client, model=model, input="hi", service_tier=tier)
    if ok:
        assert r.status_code == 200 and r.json()["service_tier"] == ("default" if tier == "auto" else tier)
    else:
        err = error_of(r)
        assert r.status_code == 400 and err["code"] == "unsupported_value" and err["param"] == "service_tier"


@pytest.mark.parametrize("model, effort, ok", [
    ("o4-mini", "minimal", False), ("o4-mini", "none", False), ("o4-mini", "low", True),
    ("gpt-5-mini", "minimal", True), ("gpt-5-mini", "none", False),
    ("gpt-5.6-sol", "none", True), ("gpt-5.6-sol", "minimal", False),
])
def test_effort_values_follow_the_profile(client, model, effort, ok):
    r = create(client, model=model, input="Why?", reasoning={"effort": effort})
    if ok:
        assert r.status_code == 200 and r.json()["reasoning"]["effort"] == effort
    else:
        err = error_of(r)
        assert r.status_code == 400 and err["param"] == "reasoning.effort" and err["code"] == "unsupported_value"
        assert f"'{effort}' is not supported with the '{model}' model" in err["message"]


def test_verbosity_changes_the_answer_length_on_gpt5(client):
    lengths = [len(text_of(create(client, model="gpt-5-mini", input="Explain tides.", text={"verbosity": v}).json()))
               for v in ("low", "medium", "high")]
    assert lengths[0] < lengths[1] < lengths[2]


def test_verbosity_other_than_medium_is_refused_before_gpt5(client):
    assert create(client, model="gpt-4o", input="hi", text={"verbosity": "medium"}).status_code == 200
    r = create(client, model="gpt-4o", input="hi", text={"verbosity": "low"})
    assert r.status_code == 400 and error_of(r)["param"] == "text.verbosity"
    assert error_of(create(client, input="hi", text={"verbosity": "loud"}))["code"] == "invalid_value"


# --- prompt caching -----------------------------------------------------------------------------


def test_a_repeated_long_prefix_is_cached_in_128_token_steps(client):
    first = create(client, instructions=LONG, input="Which part ships fastest?", prompt_cache_key="k1").json()
    again = create(client, instructions=LONG, input="Which part ships slowest?", prompt_cache_key="k1").json()
    other_key = create(client, instructions=LONG, input="Which part ships slowest?", prompt_cache_key="k2").json()
    cached = again["usage"]["input_tokens_details"]["cached_tokens"]
    assert first["usage"]["input_tokens_details"]["cached_tokens"] == 0
    assert cached >= 1024 and (cached - 1024) % 128 == 0 and cached < again["usage"]["input_tokens"]
    assert other_key["usage"]["input_tokens_details"]["cached_tokens"] == 0
    assert again["prompt_cache_key"] == "k1"


def test_a_short_prefix_is_never_cached():
    cache = prompt_cache.PromptCache()
    tokens = tuple(str(n) for n in range(1000))
    cache.lookup_and_add(None, tokens)
    assert cache.lookup_and_add(None, tokens) == 0
    assert prompt_cache.billable(1024) == 1024 and prompt_cache.billable(1151) == 1024 and prompt_cache.billable(1152) == 1152


# --- include: logprobs and input image urls ------------------------------------------------------


def test_logprobs_come_with_top_logprobs_and_match_the_text(client):
    body = create(client, input="Say hello.", include=["message.output_text.logprobs"], top_logprobs=3).json()
    part = body["output"][-1]["content"][0]
    assert "".join(lp["token"] for lp in part["logprobs"]) == part["text"]
    for lp in part["logprobs"]:
        assert lp["logprob"] <= 0 and bytes(lp["bytes"]).decode() == lp["token"]
        assert len(lp["top_logprobs"]) == 3 and lp["top_logprobs"][0]["token"] == lp["token"]
    assert body["top_logprobs"] == 3


def test_logprobs_stream_one_per_delta(client):
    r = create(client, input="Say hello.", include=["message.output_text.logprobs"], top_logprobs=2, stream=True)
    import json as _json

    events = [_json.loads(line[6:]) for line in r.text.splitlines() if line.startswith("data: ")]
    deltas = [e for e in events if e["type"] == "response.output_text.delta"]
    assert deltas and all(len(e["logprobs"]) == 1 and e["logprobs"][0]["token"] == e["delta"] for e in deltas)


def test_reasoning_models_refuse_logprobs(client):
    r = create(client, model="o4-mini", input="hi", include=["message.output_text.logprobs"])
    assert r.status_code == 400 and error_of(r)["param"] == "include"
    r = create(client, model="o4-mini", input="hi", top_logprobs=2)
    assert r.status_code == 400 and error_of(r)["param"] == "top_logprobs"


# --- truncation ---------------------------------------------------------------------------------


def test_truncation_auto_drops_old_turns_where_disabled_fails(state, client):
    state.context_tokens = 600
    first = create(client, input=LONG).json()
    r = create(client, input="And now?", previous_response_id=first["id"])
    assert r.status_code == 400 and error_of(r)["code"] == "context_length_exceeded"
    auto = create(client, input="And now?", previous_response_id=first["id"], truncation="auto")
    assert auto.status_code == 200, auto.text
    body = auto.json()
    assert body["truncation"] == "auto" and body["usage"]["input_tokens"] < 600
