"""Conversation state: previous_response_id chains, memory, growing input tokens."""

from __future__ import annotations

from emu_support import create, text_of

from emulator import model
from emulator.model import Turn


def test_three_turn_memory_with_previous_response_id(client):
    first = create(client, input="Remember the code word: ZEBRA-42. Reply with OK.").json()
    assert text_of(first) == "OK"
    second = create(client, input="What is the tallest mountain on Earth?", previous_response_id=first["id"]).json()
    assert second["previous_response_id"] == first["id"]
    assert "ZEBRA-42" not in text_of(second)
    third = create(client, input="What was the code word I gave you?", previous_response_id=second["id"]).json()
    assert "ZEBRA-42" in text_of(third)

    u1, u2, u3 = (r["usage"] for r in (first, second, third))
    assert u2["input_tokens"] > u1["input_tokens"] + u1["output_tokens"] - 1
    assert u3["input_tokens"] > u2["input_tokens"] + u2["output_tokens"] - 1


def test_memory_works_across_api_flavours(client):
    first = create(client, v1=False, input="The code word is MANGO-7. Reply OK").json()
    third = create(client, input="Tell me the code word.", previous_response_id=first["id"]).json()
    assert "MANGO-7" in text_of(third)


def test_manual_chaining_by_echoing_output(client):
    first = create(client, input="Remember the code word: ORCA-9. Reply OK").json()
    items = [{"role": "user", "content": "Remember the code word: ORCA-9. Reply OK"}, *first["output"]]
    items.append({"role": "user", "content": "What is the code word?"})
    second = create(client, input=items).json()
    assert "ORCA-9" in text_of(second)


def test_without_chain_nothing_is_remembered(client):
    create(client, input="Remember the code word: LYNX-1. Reply OK")
    assert "LYNX-1" not in text_of(create(client, input="What is the code word?").json())


def test_instructions_are_not_carried_over(client):
    first = create(client, input="hello there", instructions="Reply with OK").json()
    assert text_of(first) == "OK"
    second = create(client, input="and now?", previous_response_id=first["id"]).json()
    assert second["instructions"] is None


def test_chain_survives_deleting_the_parent(client):
    first = create(client, input="Remember the code word: KIWI-3. Reply OK").json()
    second = create(client, input="ok", previous_response_id=first["id"]).json()
    assert client.delete(f"/openai/v1/responses/{first['id']}").status_code == 200
    third = create(client, input="code word?", previous_response_id=second["id"]).json()
    assert "KIWI-3" in text_of(third)


def test_previous_response_must_be_on_same_resource(client):
    first = create(client, input="hi").json()
    r = client.post(
        "http://127.0.0.1:5002/openai/v1/responses",
        json={"model": "gpt-4o", "input": "x", "previous_response_id": first["id"]},
    )
    assert r.status_code == 400


# --- the model as a pure function ---------------------------------------------------------


def test_model_rules():
    assert model.respond([Turn("user", "Reply OK")], None) == "OK"
    assert model.respond([Turn("user", "please reply with just ok.")], None) == "OK"
    assert model.respond([Turn("user", 'Say "blue whale"')], None) == "blue whale"
    assert "don't know" in model.respond([Turn("user", "What is the code word?")], None)


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
