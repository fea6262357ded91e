"""responses.compact and responses.context_management: a long conversation compacted into
user messages plus one opaque compaction item, which the next turn reads instead of the history.

Azure documents `client.responses.compact(...)` and server-side `context_management` on the v1
API (learn.microsoft.com, Responses how-to, 2026); the dated api-versions have no such path.
"""

import pytest

from conformance.harness import expect

CODE = "Remember the code word: HERON-19. Reply with OK."
ASK = "What was the code word? Reply with the code word only."
pytestmark = pytest.mark.v1_only("compaction is a v1 operation (the dated api-versions have no /responses/compact)")

FILLER = " ".join(f"Note {n}: shipment {n} left the dock on day {n % 7 + 1}." for n in range(150))



@pytest.mark.feature("responses.compact")
def test_compacted_output_is_user_messages_then_one_compaction_item_and_the_next_turn_reads_it(client, target, created):
    first = client.responses.create(model=target.deployment, input=CODE, max_output_tokens=64)
    history = [{"role": "user", "content": CODE}, *[expect.wire_dict(i) for i in first.output]]

    compacted = client.responses.compact(model=target.deployment, input=history)

    expect.conformant_compaction(compacted)
    follow = client.responses.create(
        model=target.deployment, max_output_tokens=64,
        input=[*[expect.wire_dict(i) for i in compacted.output], {"role": "user", "content": ASK}],
    )
    assert "HERON-19" in follow.output_text.upper()


@pytest.mark.feature("responses.compact")
def test_a_stored_conversation_compacts_by_previous_response_id(client, target, created):
    first = client.responses.create(model=target.deployment, input=CODE, max_output_tokens=64)

    compacted = client.responses.compact(model=target.deployment, previous_response_id=first.id)

    expect.conformant_compaction(compacted)
    assert compacted.usage.input_tokens > 0


@pytest.mark.feature("responses.context_management")
def test_context_management_compacts_a_conversation_over_its_threshold(client, target, created):
    response = client.responses.create(
        model=target.deployment, input=f"{CODE}\n\n{FILLER}", max_output_tokens=64, store=False,
        context_management=[{"type": "compaction", "compact_threshold": 1000}],
    )

    item = expect.compaction_item_in(response)
    # Stateless: the compaction item stands for everything before it.
    follow = client.responses.create(
        model=target.deployment, max_output_tokens=64, store=False,
        input=[item, {"role": "user", "content": ASK}],
    )
    assert "HERON-19" in follow.output_text.upper()
