"""Conversation state: previous_response_id chains, memory, growing input tokens."""

from __future__ import annotations

import pytest
from emu_support import create, text_of
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.engine import model
from emulator.engine import recall
from emulator.engine.model import Turn


FACTS = [
    ("My favourite colour is teal.", "What is my favourite colour? Reply with just the colour.", "teal"),
    ("The team meeting is on Thursday.", "On which day is the team meeting?", "Thursday"),
    ("Our project is called Halcyon.", "What is the name of our project?", "Halcyon"),
    ("I have 7 cats at home.", "How many cats do I have?", "7"),
]
FILLERS = ["What is the capital of France?", "Write one line about rain.", "How tall is a giraffe?"]


def _chain(client, texts, **first):
    """A previous_response_id chain, one create per text; the responses in order."""
    responses, previous = [], None
    for text in texts:
        body = {"input": text, **({"previous_response_id": previous} if previous else first)}
        responses.append(create(client, **body).json())
        previous = responses[-1]["id"]
    return responses


@pytest.mark.parametrize("fact,question,value", FACTS)
def test_a_fact_from_the_first_of_four_turns_is_recalled(client, fact, question, value):
    responses = _chain(client, [fact, *FILLERS[:2], question])
    assert all(value not in text_of(r) for r in responses[1:-1])
    assert value in text_of(responses[-1])
    assert [r["previous_response_id"] for r in responses[1:]] == [r["id"] for r in responses[:-1]]
    inputs = [r["usage"]["input_tokens"] for r in responses]
    assert inputs == sorted(inputs) and len(set(inputs)) == 4, "each turn is billed the whole chain"


def test_memory_works_across_api_flavours(client):
    first = create(client, v1=False, input="My dentist appointment is at 4 pm.").json()
    second = create(client, input="When is my dentist appointment?", previous_response_id=first["id"]).json()
    assert "4 pm" in text_of(second)


def test_manual_chaining_by_echoing_output(client):
    said = {"role": "user", "content": "My cousin plays the cello."}
    first = create(client, input=[said]).json()
    items = [said, *first["output"], {"role": "user", "content": "Which instrument does my cousin play?"}]
    assert "cello" in text_of(create(client, input=items).json())


def test_without_chain_nothing_is_remembered(client):
    create(client, input="My favourite colour is teal.")
    answer = text_of(create(client, input="What is my favourite colour?").json())
    assert "teal" not in answer and "not told me" in answer


def test_instructions_are_facts_but_not_carried_over(client):
    first = create(client, input="What is the project called?", instructions="The project is called Halcyon.").json()
    assert "Halcyon" in text_of(first)
    second = create(client, input="And what is the project called?", previous_response_id=first["id"]).json()
    assert second["instructions"] is None and "Halcyon" not in text_of(second)


def test_chain_survives_deleting_the_parent(client):
    first, second = _chain(client, ["The wifi password is marmalade.", "ok"])
    assert client.delete(f"/openai/v1/responses/{first['id']}").status_code == 200
    third = create(client, input="wifi password?", previous_response_id=second["id"]).json()
    assert "marmalade" in text_of(third)


def test_previous_response_must_be_on_same_resource(client):
    first = create(client, input="hi").json()
    r = client.post(
        "http://127.0.0.1:5002/openai/v1/responses",
        json={"model": "gpt-4o", "input": "x", "previous_response_id": first["id"]},
    )
    assert r.status_code == 400


# --- the model as a pure function ---------------------------------------------------------


def _ask(*said: str, role: str = "user", instructions: str | None = None) -> str:
    """The model's answer to the last text, after the earlier ones (each said by ``role``)."""
    turns = [Turn(role, text) for text in said[:-1]] + [Turn("user", said[-1])]
    return model.respond(turns, instructions)


@pytest.mark.parametrize("fact,question,value", FACTS)
def test_a_fact_is_found_by_any_question_about_it(fact, question, value):
    assert value in _ask(fact, *FILLERS, question)


@pytest.mark.parametrize("fact,question,value", FACTS)
def test_a_history_of_the_last_two_turns_cannot_answer(fact, question, value):
    turns = [Turn("user", fact), Turn("assistant", "Noted."), Turn("user", FILLERS[0]), Turn("assistant", "Paris.")]
    turns += [Turn("user", FILLERS[1]), Turn("assistant", "Rain falls."), Turn("user", question)]
    assert value in model.respond(turns, None)
    assert value not in model.respond(turns[-3:], None)


@pytest.mark.parametrize("statement,question,value", [
    ("Note that the launch date is 12 March.", "When is the launch?", "12 March"),
    ("fyi: our office moved to Leeds", "Where is our office now?", "Leeds"),
    ("My brother Tom is a pilot.", "What does my brother do?", "pilot"),
    ("The code word is ZEBRA-42.", "Tell me the code word.", "ZEBRA-42"),
    ("Remember the code word: ORCA-9. Reply with OK.", "code word?", "ORCA-9"),
])
def test_any_phrasing_of_a_fact_works(statement, question, value):
    assert value in _ask(statement, "Tell me a joke.", question)


@pytest.mark.parametrize("role", ["system", "developer"])
def test_system_and_developer_turns_state_facts(role):
    assert "Priya" in _ask("The customer's name is Priya.", "What is the customer's name?", role=role)
    assert "Priya" in _ask("What is the customer's name?", instructions="The customer's name is Priya.")


def test_statements_are_said_back_in_the_second_person():
    assert _ask("My favourite colour is teal.", "What is my favourite colour?") == "Your favourite colour is teal."
    assert _ask("I have 7 cats at home.", "How many cats do I have?") == "You have 7 cats at home."
    assert _ask("Remember that our project is called Halcyon.", "What is our project called?") == (
        "Your project is called Halcyon."
    )


def test_the_latest_statement_of_a_fact_wins():
    assert "green" in _ask("My favourite colour is teal.", "Actually my favourite colour is green now.",
                           "What is my favourite colour?")


def test_a_fact_never_stated_is_not_invented():
    said = ("My favourite colour is teal.", "The team meeting is on Thursday.")
    for question in ("What is my favourite food?", "Where do I live?", "What is my sister's name?"):
        answer = _ask(*said, question)
        assert "teal" not in answer and "Thursday" not in answer, (question, answer)
        assert "not told me" in answer
    assert "Thursday" not in _ask(*said, "When is the dentist?")
    # Only questions about the speaker need earlier turns; a request for anything else is answered.
    for request in ("Tell me a joke.", "What is the capital of France?", "Give me a poem about rain."):
        assert "not told me" not in _ask(*said, request), request


def test_the_model_knows_none_of_the_suites_phrases():
    # What the suite used to rely on is now ordinary text: no canned "OK", no quoted echo.
    assert model.respond([Turn("user", "Reply OK")], None) != "OK"
    assert model.respond([Turn("user", "please reply with just ok.")], None) != "OK"
    assert model.respond([Turn("user", 'Say "blue whale"')], None) != "blue whale"
    assert model.respond([Turn("user", "hello")], "Reply with OK") != "OK"
    # A code word is a fact like any other: found only if stated, in any wording.
    assert "ZEBRA-42" not in _ask("What was the code word? Reply with the code word only.")
    assert "LION-7" in _ask("Please memorise this password: LION-7", "Which password did I give you?")


def test_a_question_is_not_its_own_answer():
    # The reply-shaping sentence of the question ("Reply with the code word only.") is no fact.
    assert "ZEBRA" not in _ask("Our mascot is a zebra.", "What is the code word? Reply with the code word only.")


def test_model_is_seeded_and_deterministic():
    turns = [Turn("user", "Explain tides near the coast")]
    assert model.respond(turns, None, seed=1) == model.respond(turns, None, seed=1)
    texts = {model.respond(turns, None, seed=s) for s in range(10)}
    assert len(texts) > 1
    assert all("tides" in t for t in texts)


def test_truncate_and_count():
    assert model.count_tokens("Hello, world!") == 4
    c = model.truncate("one two, three four", 3)
    assert (c.text, c.tokens, c.truncated) == ("one two,", 3, True)
    assert model.truncate("one", 5) == model.Completion("one", 1, False)


def test_the_emulator_source_names_none_of_the_suites_facts():
    # A static guard: the model cannot special-case what its source never mentions.
    from pathlib import Path

    from conformance.pytest_plugin.fixtures.facts import FACTS, FILLERS

    source = "\n".join(p.read_text() for p in Path(model.__file__).parent.rglob("*.py")).lower()
    phrases = [f.value for f in FACTS if not f.value.isdigit()] + [f.statement.split(".")[0] for f in FACTS] + [f.question.split("?")[0] for f in FACTS]
    phrases += [filler.split("?")[0] for filler in FILLERS] + ["code word", "reply with ok", "reply ok", "say ok"]
    named = [p for p in phrases if p.lower() in source]
    assert not named, f"the emulator's source names the suite's prompts: {named}"


# --- any fact, not a list of known ones: invented words --------------------------------------

_subject = st.text("abcdefghijklm", min_size=4, max_size=9).filter(lambda w: w not in recall.STOPWORDS)
_value = st.from_regex(r"[A-Z]{3,6}-[0-9]{1,4}", fullmatch=True)
_filler = st.lists(st.text("nopqrstuvwxyz", min_size=3, max_size=8), min_size=2, max_size=6).map(
    lambda words: " ".join(words).capitalize() + "?"
)


@settings(max_examples=150, deadline=None)
@given(owner=st.sampled_from(["My", "Our", "The"]), subject=_subject, value=_value, fillers=st.lists(_filler, min_size=2, max_size=5))
def test_an_invented_fact_is_recalled_after_any_unrelated_turns(owner, subject, value, fillers):
    question = f"What is {owner.lower()} {subject}?"
    turns = [Turn("user", f"{owner} {subject} is {value}.")]
    for filler in fillers:
        turns += [Turn("assistant", model.respond(turns, None)), Turn("user", filler)]
    turns += [Turn("assistant", model.respond(turns, None)), Turn("user", question)]
    assert value in model.respond(turns, None)
    # Without the turn that stated it, the value is nowhere to be found.
    assert value not in model.respond(turns[2:], None)
