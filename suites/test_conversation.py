"""responses.previous_response_id: a four-turn conversation that must remember its first turn.

Seed: responses-conversation-aoai*.py (input as a user message list, previous_response_id
from the second turn on). The fact stated first is chosen per target (conformance/pytest_plugin/fixtures/facts.py), and
two unrelated turns sit between it and the question, so only a service that replays the
whole chain answers it: one keeping the last two turns does not.
"""

import pytest

from conformance.harness import facts_for, FILLERS, recalls, say


@pytest.mark.feature("responses.previous_response_id")
def test_four_turn_conversation_remembers_the_first_turn(client, target, created):
    fact = facts_for(target.id)[0]
    turns = []
    for text in (fact.statement, FILLERS[0], FILLERS[1], fact.question):
        turns.append(say(client, target, text, previous=turns[-1].id if turns else None))

    assert [t.previous_response_id for t in turns] == [None, *(t.id for t in turns[:-1])]
    # The service bills the whole chain as input: each turn sees all earlier ones.
    inputs = [t.usage.input_tokens for t in turns]
    assert inputs == sorted(set(inputs)), f"input tokens do not grow along the chain: {inputs}"
    recalls(turns[-1].output_text, fact.value, fact.question)
