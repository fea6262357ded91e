"""The deterministic text "model": same conversation and seed in, same text out.

It is small on purpose, and it knows nothing of the suite's prompts. Tests assert the
protocol, not prose, but two conversational behaviours are real so stateful features can be
checked end to end:

1. *Recall* (:mod:`emulator.engine.recall`): a question is answered with the earlier statement
   (of any user, system or developer turn, or the instructions) that shares most of its
   content words, said back in the second person. This works across
   ``previous_response_id`` chains, because the caller passes the whole conversation; a
   question about the speaker that nothing earlier answers gets "you have not told me".
2. Otherwise a short seeded answer that mentions words of the latest message; when that
   message asks for a length (:mod:`emulator.engine.length`: "a 300-word story", "in 5 paragraphs")
   the answer has about that length, so ``max_output_tokens`` has something to cut.

After tool results the answer reports them. Every answer is then cut to
``max_output_tokens`` tokens of :func:`count_tokens`.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from emulator.state.store import Turn  # re-exported: the model reads stored turns
from emulator.engine import length, passages
from emulator.engine.recall import asks_about_itself, question_of, recall

TOKEN_RE = re.compile(r"\w+|[^\w\s]")
"""The emulator's tokenizer: words and single punctuation marks."""

IMAGE_TOKENS = 85
"""Tokens charged per input image (OpenAI's flat cost of a low-detail image)."""
#: A long tool result is quoted, not echoed: the passage answering the question, this long.
TOOL_PASSAGE_CHARS = 600

_STOPWORDS = frozenset(
    """a about above after again all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers him his how i if in into is it its itself just me more
    most my no nor not now of off on once only or other our out over own please same she should
    so some such tell than that the their them then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you
    your yours write give show explain describe""".split()
)

_OPENERS = (
    "Here is a short answer about {topic}.",
    "Thanks for asking about {topic}.",
    "Let me say a few words on {topic}.",
    "A brief note on {topic}.",
)
_SUBJECTS = ("The main idea", "A useful point", "One key detail", "The short version", "A simple view")
_VERBS = ("is that", "suggests that", "shows that", "means that")
_CLAIMS = (
    "small steps work well",
    "clear goals help",
    "the details matter",
    "context changes the answer",
    "simple examples make it easier",
    "practice builds confidence",
    "careful checks avoid mistakes",
)
_LINKS = ("Then", "After that", "Meanwhile", "Over time", "Still", "In the end", "Later", "Once again")
_SCENES = (
    "the {word} waited in the quiet",
    "someone thought about the {word} for a long while",
    "the light changed around the {word}",
    "every small sound seemed to come from the {word}",
    "the {word} looked different than before",
    "a new question about the {word} came up",
)


@dataclass(frozen=True, slots=True)
class Completion:
    """Generated text, its token count, and whether ``max_output_tokens`` cut it."""

    text: str
    tokens: int
    truncated: bool


def count_tokens(text: str) -> int:
    """Tokens in ``text`` by the emulator's tokenizer."""
    return len(TOKEN_RE.findall(text))


def turn_tokens(turn: Turn) -> int:
    """Tokens one turn costs as input."""
    return count_tokens(turn.text) + IMAGE_TOKENS * turn.images


def truncate(text: str, max_tokens: int | None) -> Completion:
    """Cut ``text`` after ``max_tokens`` tokens (keeping the original spacing)."""
    spans = [m.end() for m in TOKEN_RE.finditer(text)]
    if max_tokens is None or len(spans) <= max_tokens:
        return Completion(text, len(spans), False)
    if max_tokens <= 0:
        return Completion("", 0, True)
    return Completion(text[: spans[max_tokens - 1]], max_tokens, True)


def _seed_for(turns: Sequence[Turn], instructions: str | None, seed: int) -> int:
    digest = zlib.crc32(str(seed).encode())
    digest = zlib.crc32((instructions or "").encode(), digest)
    for turn in turns:
        digest = zlib.crc32(f"\x1e{turn.role}\x1f{turn.text}".encode(), digest)
    return digest


def _topic_words(text: str) -> list[str]:
    """Up to three content words of ``text``, in order."""
    words: list[str] = []
    for word in re.findall(r"[A-Za-z][A-Za-z0-9'-]{2,}", length.without_length(text)):
        low = word.lower()
        if low in _STOPWORDS or low in words:
            continue
        words.append(low)
        if len(words) == 3:
            break
    return words


def _topic(text: str) -> str:
    words = _topic_words(text)
    if not words:
        return "your message"
    return " and ".join(words) if len(words) < 3 else f"{words[0]}, {words[1]} and {words[2]}"


def _tool_results(turns: Sequence[Turn]) -> str:
    """The trailing tool outputs (since the last user turn), joined in order."""
    outputs: list[str] = []
    for turn in reversed(turns):
        if turn.role == "tool":
            outputs.append(turn.text)
        elif turn.role != "assistant":
            break
    return "; ".join(reversed(outputs))


def respond(turns: Sequence[Turn], instructions: str | None, seed: int = 0) -> str:
    """The full (untruncated) answer to the conversation ``turns``."""
    at = next((i for i in range(len(turns) - 1, -1, -1) if turns[i].role != "assistant"), None)
    latest = turns[at] if at is not None else None
    text = latest.text if latest is not None else ""
    if latest is not None and latest.role == "tool":
        # After tool results the answer reports them, so a test can check the round trip.
        results = _tool_results(turns)
        if len(results) < 400:
            return f"The tool returned {results}."
        question = next((t.text for t in reversed(turns) if t.role == "user"), "")
        quoted = passages.passage(passages.plain(results), question, limit=TOOL_PASSAGE_CHARS)
        return f"From the tool's result: {quoted}" if quoted else "The tool returned a long result."
    if at is not None:
        answer = recall(turns[:at], text, instructions)
        if answer is not None:
            return answer
        if question_of(text) and asks_about_itself(text):
            return f"You have not told me that yet: nothing earlier in our conversation mentions {_topic(text)}."
    seen = f"I see {' and '.join(latest.seen)}. " if latest is not None and latest.seen else ""
    rng = random.Random(_seed_for(turns, instructions, seed))
    if not text.strip() and latest is not None and latest.images:
        topic = "the image"
    else:
        topic = _topic(text)
    opener = rng.choice(_OPENERS).format(topic=topic)
    asked = length.asked_length(text)
    if asked is not None:
        words = _topic_words(text) or [topic]
        return seen + length.compose(asked, opener, lambda r: _sentence(words, r), rng)
    body = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_CLAIMS)}."
    closer = f"In short, {rng.choice(_CLAIMS)}."
    return f"{seen}{opener} {body} {closer}"


def _sentence(words: Sequence[str], rng: random.Random) -> str:
    """One seeded sentence of a long answer, about one of ``words``."""
    word = rng.choice(words)
    if rng.random() < 0.5:
        return f"{rng.choice(_LINKS)}, {rng.choice(_SCENES).format(word=word)}."
    return f"{rng.choice(_SUBJECTS)} about the {word} {rng.choice(_VERBS)} {rng.choice(_CLAIMS)}."


def generate(turns: Sequence[Turn], instructions: str | None, max_output_tokens: int | None, seed: int = 0) -> Completion:
    """The answer to ``turns``, cut to ``max_output_tokens`` tokens."""
    return truncate(respond(turns, instructions, seed), max_output_tokens)


def summarize(turns: Sequence[Turn], seed: int = 0, style: str = "auto") -> list[str]:
    """Deterministic reasoning summary parts: one for ``concise``, two for ``auto``/``detailed``."""
    latest = next((t for t in reversed(turns) if t.role != "assistant"), None)
    topic = _topic(latest.text) if latest is not None else "the request"
    parts = [f"**Answering the question**\n\nThe user asks about {topic}. I will give a short, direct answer."]
    if style != "concise":
        detail = "I check the earlier turns first." if len(turns) > 1 else "There is no earlier context to check."
        parts.append(f"**Checking the context**\n\n{detail} Then I answer plainly.")
    return parts
