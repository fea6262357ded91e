"""Request options of the 2026 surface: truncation, service tiers, prompt caching, include
values, text verbosity and the reasoning efforts minimal and none.

A model that does not take a value refuses it with 400 `unsupported_value` naming the
parameter, which the report shows as `unsupported` (e.g. flex on gpt-4o, verbosity low before
GPT-5, effort minimal on o4-mini); where it takes it, the response must show the effect.
"""

import pytest

from conformance.harness import expect, PNG

QUESTION = "Explain in plain words why the sea has tides."
LONG = " ".join(f"Clause {n}: the supplier ships part {n} within {n % 9 + 1} days of the order." for n in range(160))


# --- truncation ---------------------------------------------------------------------------


@pytest.mark.feature("truncation.auto")
def test_truncation_auto_is_accepted_echoed_and_the_conversation_continues(client, target, created):
    first = client.responses.create(model=target.deployment, input="Name a colour.", truncation="auto", max_output_tokens=64)
    second = client.responses.create(model=target.deployment, input="Name another.", truncation="auto",
                                     previous_response_id=first.id, max_output_tokens=64)

    for response in (first, second):
        assert response.truncation == "auto"
    assert second.output_text.strip()


# --- service_tier ---------------------------------------------------------------------------


def _tier(client, target, created, tier):
    response = client.responses.create(model=target.deployment, input="Say hello.", service_tier=tier, max_output_tokens=64)
    expect.served_by_tier(response, tier)


@pytest.mark.feature("service_tier.default")
@pytest.mark.parametrize("tier", ["default", "auto"])
def test_the_standard_tier_serves_and_says_so(client, target, created, tier):
    _tier(client, target, created, tier)


@pytest.mark.feature("service_tier.priority")
def test_priority_processing_serves_and_says_so(client, target, created):
    _tier(client, target, created, "priority")


@pytest.mark.feature("service_tier.flex")
def test_flex_processing_serves_and_says_so(client, target, created):
    _tier(client, target, created, "flex")


# --- prompt caching -------------------------------------------------------------------------


@pytest.mark.feature("prompt_cache")
def test_a_repeated_long_prefix_is_billed_as_cached_tokens(client, target, created, request):
    key = f"conformance-{request.node.name}"[:64]
    client.responses.create(model=target.deployment, instructions=LONG, input="Which part ships fastest?",
                            prompt_cache_key=key, max_output_tokens=32)  # the prefix, first seen
    again = client.responses.create(model=target.deployment, instructions=LONG, input="Which part ships slowest?",
                                    prompt_cache_key=key, max_output_tokens=32)

    assert again.prompt_cache_key == key
    expect.cache_hit(again)


# --- include ----------------------------------------------------------------------------------


@pytest.mark.feature("include.logprobs")
def test_logprobs_come_with_their_top_alternatives(client, target, created):
    response = client.responses.create(model=target.deployment, input="Say hello.", max_output_tokens=32,
                                       include=["message.output_text.logprobs"], top_logprobs=3)

    expect.logprobs_with(response, 3)


@pytest.mark.feature("include.logprobs")
def test_streamed_deltas_carry_their_logprobs(client, target, created):
    events = list(client.responses.create(model=target.deployment, input="Say hello.", max_output_tokens=32, stream=True,
                                          include=["message.output_text.logprobs"], top_logprobs=2))

    expect.conformant_stream(events)
    deltas = [e for e in events if e.type == "response.output_text.delta"]
    assert deltas and all(e.logprobs for e in deltas)
    assert "".join(lp.token for e in deltas for lp in e.logprobs) == "".join(e.delta for e in deltas)


@pytest.mark.feature("include.input_image_url")
def test_input_images_are_listed_with_their_url(client, target, created):
    include = ["message.input_image.image_url"]
    response = client.responses.create(model=target.deployment, max_output_tokens=64, include=include, input=[
        {"role": "user", "content": [{"type": "input_text", "text": "What colour is this?"},
                                     {"type": "input_image", "image_url": PNG.data_url}]}])

    items = client.responses.input_items.list(response.id, include=include).data
    urls = [p.image_url for item in items for p in getattr(item, "content", None) or [] if p.type == "input_image"]
    assert urls == [PNG.data_url]


# --- text.verbosity and reasoning effort --------------------------------------------------------


@pytest.mark.feature("text.verbosity")
def test_verbosity_low_to_high_lengthens_the_answer(client, target, created):
    answers = {}
    for verbosity in ("low", "medium", "high"):
        response = client.responses.create(model=target.deployment, input=QUESTION, text={"verbosity": verbosity},
                                           max_output_tokens=1024)
        assert response.text.verbosity == verbosity
        answers[verbosity] = response.output_text
    assert len(answers["low"]) < len(answers["high"]), {k: len(v) for k, v in answers.items()}


@pytest.mark.feature("reasoning.effort.minimal")
def test_minimal_effort_is_taken_and_echoed(client, target, created):
    response = client.responses.create(model=target.deployment, input="Say hello.", reasoning={"effort": "minimal"},
                                       max_output_tokens=256)

    assert response.reasoning.effort == "minimal"
    assert response.output_text.strip()


@pytest.mark.feature("reasoning.effort.none")
def test_effort_none_answers_without_reasoning(client, target, created):
    response = client.responses.create(model=target.deployment, input="Say hello.", reasoning={"effort": "none"},
                                       max_output_tokens=256)

    assert response.reasoning.effort == "none"
    assert response.usage.output_tokens_details.reasoning_tokens == 0
    assert response.output_text.strip()
