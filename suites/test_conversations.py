"""conversations: the Conversations API, as a Foundry project (and OpenAI) serve it.

A conversation is a durable list of items: created with a first message, extended with more
items, read back in order, and named in `responses.create(conversation=...)` so the response
sees every item and its own input and output join the conversation. Plain Azure OpenAI
resources do not serve it (the feature is `skipped` there, with the reason); a dated
api-version has no such route either.
"""

import pytest

from conformance.harness import expect, facts_for, FILLERS, recalls


def _user(text):
    return {"type": "message", "role": "user", "content": text}


def _items(client, conversation_id, **options):
    return list(client.conversations.items.list(conversation_id, **options))


@pytest.mark.feature("conversations")
def test_a_conversation_is_created_with_items_and_retrieved(client, target, created):
    fact = facts_for(target.id)[0]
    conversation = client.conversations.create(items=[_user(fact.statement)], metadata={"suite": "conformance"})
    assert conversation.id.startswith("conv_") and conversation.object == "conversation"
    again = client.conversations.retrieve(conversation.id)
    assert again.id == conversation.id and (again.metadata or {}).get("suite") == "conformance"
    items = _items(client, conversation.id, order="asc")
    assert [(i.type, i.role) for i in items] == [("message", "user")]
    assert items[0].content[0].text == fact.statement


@pytest.mark.feature("conversations")
def test_added_items_are_listed_in_order_newest_first_by_default(client, target, created):
    conversation = client.conversations.create()
    added = client.conversations.items.create(conversation.id, items=[_user(FILLERS[0]), _user(FILLERS[1])])
    assert [i.content[0].text for i in added.data] == [FILLERS[0], FILLERS[1]]
    oldest_first = [i.id for i in _items(client, conversation.id, order="asc")]
    assert oldest_first == [i.id for i in added.data]
    assert [i.id for i in _items(client, conversation.id)] == oldest_first[::-1], "the default order is desc"


@pytest.mark.feature("conversations")
def test_a_response_in_a_conversation_reads_its_items_and_joins_it(client, target, created):
    fact = facts_for(target.id)[0]
    conversation = client.conversations.create(items=[_user(fact.statement), _user(FILLERS[0])])
    response = client.responses.create(model=target.deployment, input=fact.question,
                                       conversation=conversation.id, max_output_tokens=64)
    assert response.conversation is not None and response.conversation.id == conversation.id
    recalls(response.output_text, fact.value, fact.question)
    items = _items(client, conversation.id, order="asc")
    assert [i.type for i in items][:3] == ["message"] * 3
    assert items[2].content[0].text == fact.question, "the response's input joins the conversation"
    assert items[-1].role == "assistant" and items[-1].id == response.output[-1].id, \
        "the response's output joins the conversation"


@pytest.mark.feature("conversations")
def test_a_deleted_conversation_is_gone(client, target, created):
    conversation = client.conversations.create()
    deleted = client.conversations.delete(conversation.id)
    assert deleted.deleted is True and deleted.id == conversation.id
    refused = expect.refusal(lambda: client.conversations.retrieve(conversation.id), 404, what="a deleted conversation")
    assert refused.status_code == 404, f"a deleted conversation must be 404, got {refused.status_code}"
