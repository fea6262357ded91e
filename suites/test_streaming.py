"""responses.stream*: SSE streaming, sync and async, and a streamed conversation.

Seeds: responses-stream-sse-aoai*.py (print each response.output_text.delta),
responses-stream-async-aoai*.py (any event with a .delta) and
responses-conversation-stream-sse-aoai.py (previous_response_id from response.created; four
turns, the fact stated in the first asked for in the last).
"""

import pytest

from conformance.harness import expect, facts_for, FILLERS, of_type, recalls, say, streamed, text_of

POEM = "Write me a poem about the sea."
#: A request for far more text than LIMIT allows (OpenAI's minimum max_output_tokens).
LONG = "Write a 400-word story about a lighthouse keeper."
LIMIT = 16


@pytest.mark.feature("responses.stream")
def test_stream_deltas_add_up_to_the_completed_response(client, target, created):
    events = list(client.responses.create(model=target.deployment, input=POEM, max_output_tokens=64, stream=True))

    assert events[0].type == "response.created"
    assert events[-1].type in ("response.completed", "response.incomplete")
    assert text_of(events).strip()
    assert text_of(events) == streamed(events).output_text


@pytest.mark.feature("responses.stream")
def test_a_streamed_long_answer_stops_at_max_output_tokens(client, target, created):
    request = {"input": LONG, "max_output_tokens": LIMIT}
    events = list(client.responses.create(model=target.deployment, stream=True, **request))

    assert events[-1].type == "response.incomplete"
    expect.stopped_at_the_limit(streamed(events), request)


@pytest.mark.feature("responses.stream.async")
async def test_async_stream_deltas_add_up_to_the_completed_response(async_client, target):
    stream = await async_client.responses.create(
        model=target.deployment, input=POEM, max_output_tokens=64, stream=True, store=False
    )
    events = [event async for event in stream]

    assert text_of(events).strip()
    assert text_of(events) == streamed(events).output_text


@pytest.mark.feature("responses.stream.conversation")
def test_streamed_conversation_chains_on_the_created_id(client, target, created):
    fact = facts_for(target.id)[0]
    turns, previous = [], None
    for text in (fact.statement, FILLERS[0], FILLERS[2], fact.question):
        events = say(client, target, text, previous=previous, stream=True)
        previous = of_type(events, "response.created")[0].response.id
        turns.append(events)

    assert [streamed(t).id for t in turns] == [of_type(t, "response.created")[0].response.id for t in turns]
    assert [streamed(t).previous_response_id for t in turns] == [None, *(streamed(t).id for t in turns[:-1])]
    recalls(text_of(turns[-1]), fact.value, fact.question)
