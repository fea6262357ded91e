"""responses.previous_response_id: a three-turn conversation that must remember.

Seed: responses-conversation-aoai*.py (input as a user message list, previous_response_id
from the second turn on).
"""

import pytest

from conformance import expect


def _say(client, target, text, previous=None):
    return client.responses.create(
        model=target.deployment,
        input=[{"role": "user", "content": text}],
        previous_response_id=previous,
        max_output_tokens=64,
    )


@pytest.mark.feature("responses.previous_response_id")
def test_three_turn_conversation_remembers_the_first_turn(client, target, created):
    first = _say(client, target, "Remember the code word: ZEBRA-42. Reply with OK.")
    second = _say(client, target, "What is the capital of France? Answer in one word.", previous=first.id)
    third = _say(client, target, "What was the code word? Reply with the code word only.", previous=second.id)
    for response in (first, second, third):
        created.response(response.id)
        expect.conformant_response(response)

    assert second.previous_response_id == first.id
    assert third.previous_response_id == second.id
    # The service bills the whole chain as input: each turn sees all earlier ones.
    assert first.usage.input_tokens < second.usage.input_tokens < third.usage.input_tokens
    assert "ZEBRA-42" in third.output_text.upper()
