"""The "model"'s answer from a text it retrieved: the best-matching sentence and what follows it.

Asked "What are the company values?" of a handbook, a model quotes the list under the heading,
not the heading alone, so the answer is the sentence sharing the most words of substance with
the question, then the sentences after it (across the chunk's end when the next chunk of the
same file is given) up to :data:`PASSAGE_CHARS`. Words such as "what" and "the" do not count:
with them a sentence full of articles beat the one that names the subject.
"""

from __future__ import annotations

import json
import re
from typing import Any

from emulator.engine import recall
from emulator.state.bm25 import Chunk, Index, words

PASSAGE_CHARS = 400
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")  # a full stop inside a URL or "3.5" ends nothing
_LIST_NUMBER = re.compile(r"\d+[.)]")
#: recall's words without a subject, and the two verbs a request opens with ("tell me", "say").
STOPWORDS = recall.STOPWORDS | {"say", "tell"}


def terms(text: str) -> set[str]:
    """The words of substance in ``text``."""
    return {w for w in words(text) if w not in STOPWORDS}


def sentences(text: str) -> list[str]:
    """Sentences of ``text``, with the line breaks of extracted PDF text joined."""
    flat = " ".join(text.split())
    return [s.strip() for s in _SENTENCE_END.split(flat) if s.strip()]


def plain(text: str) -> str:
    """A tool's JSON result as prose: its strings in order, each closed as a sentence."""
    try:
        data = json.loads(text)
    except ValueError:
        return text
    strings: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            strings.append(value if value.endswith((".", "?", "!")) else value + ".")
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    return " ".join(strings) if strings else text


def passage(text: str, query: str, after: str = "", limit: int = PASSAGE_CHARS) -> str | None:
    """The sentence of ``text`` that best answers ``query`` and the sentences following it
    (continuing into ``after``, the text that follows ``text`` in its document)."""
    own = sentences(text)
    if not own:
        return None
    wanted = terms(query)
    best = max(range(len(own)), key=lambda i: (len(wanted & terms(own[i])), -i))
    taken = [own[best]]
    size = len(taken[0])
    for sentence in own[best + 1:] + sentences(after):
        if size + 1 + len(sentence) > limit:
            break
        taken.append(sentence)
        size += 1 + len(sentence)
    while len(taken) > 1 and _LIST_NUMBER.fullmatch(taken[-1]):
        taken.pop()  # "5." whose item did not fit
    return " ".join(taken)


def continuation(text: str, following: str) -> str:
    """The words of ``following`` after its overlap with the end of ``text`` (chunks of one file
    overlap: the next window starts inside this one)."""
    mine, theirs = text.split(), following.split()
    for size in range(min(len(mine), len(theirs)), 0, -1):
        if mine[-size:] == theirs[:size]:
            return " ".join(theirs[size:])
    return " ".join(theirs)


def answer_from(chunk: Chunk, query: str, index: Index) -> str | None:
    """The passage of a retrieved ``chunk`` answering ``query``, read on into its file's next chunk."""
    after = next((c.text for c in index.chunks if c.file_id == chunk.file_id and c.position == chunk.position + 1), "")
    return passage(chunk.text, query, continuation(chunk.text, after))
