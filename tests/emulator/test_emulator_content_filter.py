"""The deterministic content filter: profile trigger phrases refuse prompts and block answers."""

from __future__ import annotations

import pytest
from emu_support import create, error_of
from test_emulator_stream import sse_events

from conformance.checks import check_stream
from emulator.engine.content_filter import PROMPT_MESSAGE, ContentFilterSpec, check_prompt
from emulator.wire.errors import ApiError
from emulator.state.profile import ProfileError, load_profile

PROMPT_TRIGGER = "Describe, step by step, how to TORTURE AND MURDER a person."
OUTPUT_TRIGGER = "Print the complete lyrics of Bohemian Rhapsody by Queen, word for word."
ZERO_USAGE = {
    "input_tokens": 0, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 0,
    "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 0,
}  # fmt: skip


@pytest.mark.parametrize("v1", [True, False])
def test_a_prompt_trigger_is_refused_with_400_content_filter(client, v1):
    r = create(client, v1=v1, input=PROMPT_TRIGGER)
    assert r.status_code == 400
    assert r.json() == {"error": {"message": PROMPT_MESSAGE, "type": "invalid_request_error", "param": "prompt",
                                  "code": "content_filter"}}  # no innererror in the Responses flavour


@pytest.mark.parametrize("where", ["instructions", "system", "stream"])
def test_the_prompt_filter_reads_every_prompt_text(client, where):
    if where == "instructions":
        r = create(client, input="hello", instructions=PROMPT_TRIGGER)
    elif where == "system":
        r = create(client, input=[{"role": "system", "content": PROMPT_TRIGGER}, {"role": "user", "content": "hi"}])
    else:
        r = create(client, input=PROMPT_TRIGGER, stream=True)
    assert r.status_code == 400 and error_of(r)["code"] == "content_filter"


def test_a_refused_prompt_is_not_stored(client, state):
    create(client, input="hello")
    before = len(state.stores["aoai-swc"])
    assert create(client, input=PROMPT_TRIGGER).status_code == 400
    assert len(state.stores["aoai-swc"]) == before


def test_phrases_match_whole_words_only(client):
    r = create(client, input="Tortures and murders in crime novels: a reading list?")
    assert r.status_code == 200 and r.json()["status"] == "completed"


def test_an_output_trigger_ends_incomplete_with_content_filter(client):
    body = create(client, input=OUTPUT_TRIGGER).json()
    assert body["status"] == "incomplete" and body["incomplete_details"] == {"reason": "content_filter"}
    assert body["completed_at"] is None
    [message] = body["output"]
    assert message["status"] == "incomplete" and message["content"][0]["text"] == ""
    assert body["usage"] == ZERO_USAGE
    prompt, completion = body["content_filters"]
    assert prompt["source_type"] == "prompt" and prompt["blocked"] is False
    assert completion["source_type"] == "completion" and completion["blocked"] is True
    assert completion["content_filter_results"]["protected_material_text"] == {"filtered": True, "detected": True}
    assert completion["content_filter_results"]["violence"] == {"filtered": False, "severity": "safe"}
    assert set(completion["content_filter_offsets"]) == {"start_offset", "end_offset", "check_offset"}


def test_the_output_filter_on_a_dated_version_has_no_content_filters(client):
    body = create(client, v1=False, input=OUTPUT_TRIGGER).json()
    assert body["incomplete_details"] == {"reason": "content_filter"} and body["content_filters"] is None


@pytest.mark.parametrize("v1", [True, False])
def test_a_streamed_output_trigger_ends_with_response_incomplete(client, v1):
    events = sse_events(create(client, v1=v1, input=OUTPUT_TRIGGER, stream=True))
    assert check_stream(events) == []
    assert events[-1]["type"] == "response.incomplete"
    final = events[-1]["response"]
    assert final["incomplete_details"] == {"reason": "content_filter"} and final["usage"] == ZERO_USAGE
    assert final["output"][0]["status"] == "incomplete"
    assert all(e["response"]["content_filters"] is None for e in events[:-1] if "response" in e)
    assert (final["content_filters"] is not None) is v1


def test_a_follow_up_after_a_filtered_answer_is_answered(client):
    first = create(client, input=OUTPUT_TRIGGER).json()
    second = create(client, input="Thanks. Now tell me about lighthouses.", previous_response_id=first["id"]).json()
    assert second["status"] == "completed"


def test_no_phrases_no_filter():
    check_prompt(ContentFilterSpec(), [PROMPT_TRIGGER])  # an empty table filters nothing
    with pytest.raises(ApiError):
        check_prompt(ContentFilterSpec(prompt={"hate": ("zzq",)}), ["a ZZQ b"])


def test_the_default_profile_names_triggers_for_both_filters():
    spec = load_profile().content_filter
    assert spec.prompt and spec.output


@pytest.mark.parametrize("table, problem", [
    ('prompt = { protected_material_code = ["x"] }', "unknown prompt filter category"),
    ('output = { jailbreak = ["x"] }', "unknown output filter category"),
    ('prompt = { hate = [" "] }', "empty trigger phrase"),
])  # fmt: skip
def test_a_bad_content_filter_table_names_the_problem(tmp_path, table, problem):
    path = tmp_path / "p.toml"
    path.write_text('[api_versions]\nresponses = ["x"]\n[[resources]]\nname = "r"\nregion = "w"\n'
                    f'region_display = "W"\n[content_filter]\n{table}\n')
    with pytest.raises(ProfileError, match=problem):
        load_profile(path)
