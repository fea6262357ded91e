"""Asked-for lengths: "a 300-word story", "in 5 paragraphs", "three sentences", "a 12-line poem".

A real model answers a request for a long text at about that length, so ``max_output_tokens``
has something to cut. Without this the emulator's answers are a few sentences long, shorter
than any limit a test sends, and a service that ignores the limit could not be told apart
from one that enforces it. The text itself is seeded filler about the message's topic
(:mod:`emulator.engine.model` picks the words); only its length follows the request.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Unit = Literal["word", "sentence", "paragraph", "line"]

MAX_WORDS = 2000
"""The longest answer: a request for more is answered at this length (and still cut by the limit)."""

_NUMBER_WORDS = {
    name: value
    for value, name in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000}

_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
LENGTH_RE = re.compile(_NUMBER + r"(?:\s*-\s*|\s+)(word|sentence|paragraph|line)s?\b", re.IGNORECASE)
"""A number followed by a unit: "300 words", "300-word", "five paragraphs", "1,000 words"."""

_PARAGRAPH_SENTENCES = (3, 4, 5)


@dataclass(frozen=True, slots=True)
class Length:
    """How much text was asked for: ``count`` of ``unit``."""

    count: int
    unit: Unit


def asked_length(text: str) -> Length | None:
    """The length ``text`` asks its answer to have, if it names one (the first such phrase)."""
    for match in LENGTH_RE.finditer(text):
        number, unit = match.group(1).lower(), match.group(2).lower()
        count = _NUMBER_WORDS[number] if number in _NUMBER_WORDS else int(number.replace(",", ""))
        if count > 0:
            return Length(count, unit)  # type: ignore[arg-type]
    return None


def without_length(text: str) -> str:
    """``text`` with its length phrases removed (so "300-word" is not taken for a topic word)."""
    return LENGTH_RE.sub(" ", text)


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of non-space."""
    return len(text.split())


def compose(length: Length, first: str, sentence: Callable[[random.Random], str], rng: random.Random) -> str:
    """Text of about ``length``: ``first`` then sentences from ``sentence(rng)``, at most
    about :data:`MAX_WORDS` words. Words end with the sentence that reaches the count (so "in
    one word" still gets ``first``: the model is about length, not brevity); sentences, lines
    and paragraphs come out exactly as many as asked (unless the cap stops them)."""
    words = 0

    def take(s: str) -> str:
        nonlocal words
        words += word_count(s)
        return s

    def full() -> bool:
        return words >= MAX_WORDS

    if length.unit == "word":
        out = [take(first)]
        while words < min(length.count, MAX_WORDS):
            out.append(take(sentence(rng)))
        return " ".join(out)
    if length.unit in ("sentence", "line"):
        out = [take(first)]
        while len(out) < length.count and not full():
            out.append(take(sentence(rng)))
        return (" " if length.unit == "sentence" else "\n").join(out)
    paragraphs: list[str] = []
    while len(paragraphs) < length.count and not full():
        lines = [take(first)] if not paragraphs else []
        size = rng.choice(_PARAGRAPH_SENTENCES)
        while len(lines) < size and not full():
            lines.append(take(sentence(rng)))
        paragraphs.append(" ".join(lines))
    return "\n\n".join(paragraphs)

