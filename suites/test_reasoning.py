"""reasoning.*: effort, summaries (streamed and not) and stateless encrypted reasoning.

Seeds: responses-reasoning-aoai*.py (effort high), responses-basic-reasoning-summary-aoai.py
(summary auto, print each summary text) and the later responses-basic-stateless-aoai-v1.py
(store=False, include=["reasoning.encrypted_content"]).
"""

import pytest

from conformance.harness import items, text_of
QUESTION = "How many r's are in the word strawberry?"


@pytest.mark.feature("reasoning.effort")
def test_effort_is_echoed_and_reasoning_tokens_are_counted(client, target, created):
    response = client.responses.create(model=target.deployment, input=QUESTION, reasoning={"effort": "high"})

    assert response.reasoning.effort == "high"
    if items(response, "reasoning"):  # it reasoned, at effort high: that is billed as reasoning tokens
        assert response.usage.output_tokens_details.reasoning_tokens > 0, response.usage
    assert response.output_text.strip()


@pytest.mark.feature("reasoning.summary")
def test_summary_comes_back_as_reasoning_items(client, target, created):
    response = client.responses.create(
        model=target.deployment, input=QUESTION, reasoning={"effort": "high", "summary": "auto"}
    )

    summaries = [part.text for item in items(response, "reasoning") for part in item.summary]
    # "Even when enabled, reasoning summaries are not guaranteed" (learn.microsoft.com/azure/foundry/openai/how-to/reasoning):
    # the contract is the shape, checked above; the emulator always sends one.
    if target.on_emulator:
        assert summaries and all(text.strip() for text in summaries)


@pytest.mark.feature("reasoning.summary")
def test_summary_streams_as_summary_events(client, target, created):
    events = list(client.responses.create(
        model=target.deployment, input=QUESTION, reasoning={"effort": "high", "summary": "auto"}, stream=True
    ))

    deltas = text_of(events, "response.reasoning_summary_text.delta")
    streamed = [part.text for item in items(events[-1].response, "reasoning") for part in item.summary]
    assert deltas == "".join(streamed)
    if target.on_emulator:
        assert deltas.strip()


@pytest.mark.feature("reasoning.encrypted_content")
def test_stateless_round_trip_with_encrypted_reasoning(client, target):
    history = [{"role": "user", "content": "Remember the code word: ZEBRA-42. Reply with OK."}]
    first = client.responses.create(
        model=target.deployment, input=history, store=False, include=["reasoning.encrypted_content"]
    )
    reasoning = items(first, "reasoning")
    assert reasoning and all(item.encrypted_content for item in reasoning)

    # Stateless: no previous_response_id; the client sends the whole history back, reasoning included.
    history += [item.model_dump(mode="json", exclude_none=True) for item in first.output]
    history.append({"role": "user", "content": "What was the code word? Reply with the code word only."})
    second = client.responses.create(
        model=target.deployment, input=history, store=False, include=["reasoning.encrypted_content"]
    )

    assert "ZEBRA-42" in second.output_text.upper()
