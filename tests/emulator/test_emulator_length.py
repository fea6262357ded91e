"""Asked-for lengths: a request for a long text gets one, and max_output_tokens cuts it."""

from __future__ import annotations

import re

import pytest
from emu_support import create, text_of
from hypothesis import given, settings
from hypothesis import strategies as st

from emulator.engine import length
from emulator.engine import model
from emulator.engine.length import Length
from emulator.engine.model import Turn

STORY = "Write a 400-word story about a lighthouse keeper."


def answer(text: str, seed: int = 0) -> str:
    return model.respond([Turn("user", text)], None, seed)


@pytest.mark.parametrize(("text", "expected"), [
    ("Write a 300-word story about a fox.", Length(300, "word")),
    ("Describe autumn in 5 paragraphs.", Length(5, "paragraph")),
    ("Give me three sentences about owls.", Length(3, "sentence")),
    ("A 12-line poem on trains, please.", Length(12, "line")),
    ("About 1,000 words on bridges", Length(1000, "word")),
    ("Explain tides in one paragraph", Length(1, "paragraph")),
    ("Write 250 WORDS on tea", Length(250, "word")),
])
def test_a_named_length_is_read(text: str, expected: Length) -> None:
    assert length.asked_length(text) == expected


@pytest.mark.parametrize("text", ["Tell me a joke.", "I have 7 cats at home.", "Write 0 words", "a wordy answer",
                                  "Explain the 3 laws of motion", "words 300"])
def test_no_length_is_read_where_none_is_named(text: str) -> None:
    assert length.asked_length(text) is None


def test_a_word_count_is_answered_at_about_that_length() -> None:
    for n in (50, 300, 800):
        words = length.word_count(answer(f"Write a {n}-word story about a lighthouse keeper."))
        assert n <= words <= n + 20, (n, words)


def test_sentences_lines_and_paragraphs_come_out_as_many_as_asked() -> None:
    assert len(re.findall(r"[.!?](?:\s|$)", answer("Tell me about owls in 6 sentences."))) == 6
    lines = answer("Write an 8-line poem about rain.").split("\n")
    assert len(lines) == 8 and all(line.strip() for line in lines)
    paragraphs = answer("Describe autumn in 4 paragraphs.").split("\n\n")
    assert len(paragraphs) == 4 and all(len(re.findall(r"\.", p)) >= 3 for p in paragraphs)


def test_the_long_text_is_about_the_message_not_its_length() -> None:
    text = answer(STORY)
    assert "lighthouse" in text and "keeper" in text
    assert "word" not in text.split(".")[0], "the length phrase is no topic"


def test_a_huge_request_is_capped() -> None:
    assert length.word_count(answer("Write 100000 words about ants.")) <= length.MAX_WORDS + 20
    assert length.word_count(answer("Write 5000 paragraphs about ants.")) <= length.MAX_WORDS + 20


def test_without_a_length_the_answer_stays_short() -> None:
    assert length.word_count(answer("Write a story about a lighthouse keeper.")) < 40
    # A length below one sentence still gets one: the seeded text is about length, not brevity.
    assert len(re.findall(r"\.", answer("Which metal rusts? Answer in one word."))) == 1


def test_the_long_text_is_seeded_and_deterministic() -> None:
    assert answer(STORY, seed=3) == answer(STORY, seed=3)
    assert len({answer(STORY, seed=s) for s in range(5)}) > 1


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 3000), unit=st.sampled_from(["word", "sentence", "paragraph", "line"]),
       topic=st.text("abcdefghij", min_size=4, max_size=9))
def test_any_length_of_any_topic_is_answered_within_the_cap(n: int, unit: str, topic: str) -> None:
    text = answer(f"Write {n} {unit}s about {topic}.")
    assert 0 < length.word_count(text) <= length.MAX_WORDS + 20
    if unit == "word":
        assert length.word_count(text) >= min(n, length.MAX_WORDS)


# --- through the service: max_output_tokens cuts the long text --------------------------------


def test_max_output_tokens_cuts_a_long_answer(client) -> None:
    full = create(client, input=STORY).json()
    assert full["status"] == "completed" and full["usage"]["output_tokens"] > 400
    cut = create(client, input=STORY, max_output_tokens=16).json()
    assert cut["status"] == "incomplete" and cut["incomplete_details"] == {"reason": "max_output_tokens"}
    assert cut["usage"]["output_tokens"] == 16
    assert text_of(full).startswith(text_of(cut))


def test_a_reasoning_model_spends_the_limit_on_reasoning_and_text(client) -> None:
    cut = create(client, model="o4-mini", input=STORY, max_output_tokens=16).json()
    assert cut["status"] == "incomplete" and cut["incomplete_details"] == {"reason": "max_output_tokens"}
    usage = cut["usage"]
    assert 0 < usage["output_tokens_details"]["reasoning_tokens"] < usage["output_tokens"] <= 16
