"""responses.create / retrieve / delete / input_items, over every api x auth pair.

Seed: responses-basic-aoai*.py and responses-basic-entra-aoai*.py ("Tell me a joke.").
"""

import pytest

from conformance import expect

PROMPT = "Tell me a joke."


@pytest.mark.feature("responses.create")
def test_create_returns_a_completed_response_with_text(client, target, created):
    response = client.responses.create(model=target.deployment, input=PROMPT, max_output_tokens=64)
    created.response(response.id)

    expect.conformant_response(response)
    assert response.status in ("completed", "incomplete")
    assert response.output_text.strip()
    assert response.usage.input_tokens > 0 and response.usage.output_tokens > 0


@pytest.mark.feature("responses.create.async")
async def test_async_create_returns_a_completed_response(async_client, target):
    response = await async_client.responses.create(model=target.deployment, input=PROMPT, max_output_tokens=64, store=False)

    expect.conformant_response(response)
    assert response.output_text.strip()
    assert response.store is False


@pytest.mark.feature("responses.retrieve")
def test_retrieve_returns_the_stored_response(client, target, created):
    response = client.responses.create(model=target.deployment, input=PROMPT, max_output_tokens=64)
    created.response(response.id)

    fetched = client.responses.retrieve(response.id)

    expect.conformant_response(fetched)
    assert fetched.id == response.id
    assert fetched.status == response.status
    assert fetched.output_text == response.output_text


@pytest.mark.feature("responses.delete")
def test_delete_removes_the_response(client, target):
    response = client.responses.create(model=target.deployment, input=PROMPT, max_output_tokens=64)

    client.responses.delete(response.id)

    refused = expect.refusal(lambda: client.responses.retrieve(response.id), 404)
    error = expect.azure_error(refused, 404)
    assert response.id in error["message"]


@pytest.mark.feature("responses.input_items")
def test_input_items_lists_the_input_messages(client, target, created):
    response = client.responses.create(
        model=target.deployment,
        input=[{"role": "user", "content": PROMPT}],
        instructions="Answer in one sentence.",
        max_output_tokens=64,
    )
    created.response(response.id)

    items = client.responses.input_items.list(response.id)

    messages = [item for item in items.data if item.type == "message"]
    assert len(messages) == 1, f"expected the one input message, got {items.data}"
    assert messages[0].role == "user"
    texts = [part.text for part in messages[0].content if part.type == "input_text"]
    assert texts == [PROMPT]
