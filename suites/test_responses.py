"""responses.create / retrieve / delete / input_items, over every api x auth pair.

Seed: responses-basic-aoai*.py and responses-basic-entra-aoai*.py ("Tell me a joke.").
"""

import pytest

from conformance.harness import contracts, expect
PROMPT = "Tell me a joke."
#: A request for far more text than LIMIT allows (OpenAI's minimum max_output_tokens).
LONG = "Write a 400-word story about a lighthouse keeper."
LIMIT = 16
#: Three input messages, so an order that is neither newest-first nor as-sent shows.
CONVERSATION = ["My name is Ada.", "I live in Lisbon.", PROMPT]


@pytest.mark.feature("responses.create")
def test_create_returns_a_completed_response_with_text(client, target, created):
    response = client.responses.create(model=target.deployment, input=PROMPT, max_output_tokens=64)

    assert response.status in ("completed", "incomplete")
    assert response.output_text.strip()
    assert response.usage.input_tokens > 0 and response.usage.output_tokens > 0


@pytest.mark.feature("responses.create")
def test_max_output_tokens_stops_a_long_answer_at_the_limit(client, target, created):
    request = {"input": LONG, "max_output_tokens": LIMIT}
    response = client.responses.create(model=target.deployment, **request)

    expect.stopped_at_the_limit(response, request)


@pytest.mark.feature("responses.create.async")
async def test_async_create_returns_a_completed_response(async_client, target):
    response = await async_client.responses.create(model=target.deployment, input=PROMPT, max_output_tokens=64, store=False)

    assert response.output_text.strip()
    assert response.store is False


@pytest.mark.feature("responses.retrieve")
def test_retrieve_returns_the_stored_response(client, target, created):
    response = client.responses.create(model=target.deployment, input=PROMPT, max_output_tokens=64)

    fetched = client.responses.retrieve(response.id)

    assert fetched.id == response.id
    assert fetched.status == response.status
    assert fetched.output_text == response.output_text


@pytest.mark.feature("responses.retrieve")
def test_a_response_created_with_store_false_cannot_be_retrieved(client, target, created):
    response = client.responses.create(model=target.deployment, input=PROMPT, max_output_tokens=64, store=False)
    created.response(response.id)  # if the service kept it anyway, cleanup deletes it

    assert response.store is False
    error = contracts.gone(lambda: client.responses.retrieve(response.id), f"{response.id} (store=false)")
    assert response.id in error["message"], error


@pytest.mark.feature("responses.delete")
def test_delete_removes_the_response(client, target):
    response = client.responses.create(model=target.deployment, input=PROMPT, max_output_tokens=64)

    client.responses.delete(response.id)

    refused = expect.refusal(lambda: client.responses.retrieve(response.id), 404)
    error = expect.azure_error(refused, 404)
    assert response.id in error["message"]


@pytest.mark.feature("responses.input_items")
def test_input_items_list_the_input_messages_newest_first_or_as_sent(client, target, created):
    response = client.responses.create(
        model=target.deployment,
        input=[{"role": "user", "content": text} for text in CONVERSATION],
        instructions="Answer in one sentence.",
        max_output_tokens=64,
    )

    # The OpenAI reference: `order` defaults to `desc` (newest first); `asc` lists as sent.
    newest_first = client.responses.input_items.list(response.id).data
    as_sent = client.responses.input_items.list(response.id, order="asc").data

    contracts.input_items_in_order(newest_first, CONVERSATION, "desc")
    contracts.input_items_in_order(as_sent, CONVERSATION, "asc")
    assert all(item.role == "user" for item in as_sent if item.type == "message")
