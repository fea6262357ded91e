"""conformance.checks.memory: the recall check passes the value and catches answers without it."""

from __future__ import annotations

import pytest

from conformance.checks.memory import recall_violation, recalls
from conformance.pytest_plugin.fixtures.facts import FACTS, FILLERS, facts_for


@pytest.mark.parametrize("answer", ["Teal", "Your favourite colour is teal.", "teal."])
def test_an_answer_naming_the_value_passes(answer):
    recalls(answer, "teal", "What is my favourite colour?")


@pytest.mark.parametrize("answer,value", [
    ("I don't know your favourite colour.", "teal"),    # history lost
    ("Please steal the show.", "teal"),                 # inside another word
    ("You have 17 dogs.", "7"),                         # inside another number
    ("The code word is ZEBRA-421.", "ZEBRA-42"),
    ("", "Halcyon"),
])
def test_an_answer_without_the_value_is_caught(answer, value):
    assert recall_violation(answer, value, "q?") is not None
    with pytest.raises(AssertionError, match="lost earlier turns"):
        recalls(answer, value, "q?")


def test_facts_are_varied_per_target_and_stable():
    chosen = {facts_for(f"v1-key-gpt-4o@region{i}")[0] for i in range(40)}
    assert len(chosen) >= 4, "targets should not all get the same fact"
    assert facts_for("v1-key-gpt-4o@swedencentral") == facts_for("v1-key-gpt-4o@swedencentral")
    two = facts_for("x", 2)
    assert two[0] != two[1]


def test_no_filler_mentions_a_fact():
    for fact in FACTS:
        for filler in FILLERS:
            assert recall_violation(filler, fact.value, "") is not None
