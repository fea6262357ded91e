"""Recall: answer a question from what the conversation said earlier.

The emulator's memory is a plain retrieval, not a list of known prompts: every statement
of an earlier user, system or developer turn (and of the request's ``instructions``) is a
candidate; a question is answered with the candidate sharing most of its content words
(lower-cased, lightly stemmed, stop words dropped), reworded from the speaker's point of
view to the listener's ("my car is red" -> "Your car is red."). So any fact,
phrased any way, is findable by a later question about it, and a question about something
never said finds nothing: a service that loses history fails, whatever the suite asks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

_BRITISH_RE = re.compile(r"(?<=[a-z]{2})our")
MAX_SENTENCE_CHARS = 500
"""Longer sentences are neither facts nor questions recall answers: keeps huge inputs cheap."""
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+|\n+")
"""Between sentences: after . ! ? and a space (so "3.5" and "v2.1." stay whole), or a line break."""
_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:'[a-z]+)?")

STOPWORDS = frozenset(
    """a about above after again all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers him his how i if in into is it its itself just me more
    most my no nor not now of off on once only or other our out over own please same she should
    so some such than that the their them then there these they this those through to too
    under until up very was we were what when where which while who whom whose why will with
    would you your yours us i'm i've you're it's what's let's""".split()
)
"""Words that carry no subject: never matched between a question and a statement."""

_ASKING = frozenset(
    """tell remind know remember recall say said told give gave mention mentioned state
    stated share shared again earlier before previously many much""".split()
)
"""Words that only say *that* something is asked about the conversation."""

_SLOT_WORDS = "name called named day date time number amount value place city".split()
"""Words naming the kind of answer wanted ("the *name* of our project"), not its subject."""

_QUESTION_START = frozenset(
    "what when where who whom which why how whose is are was were do does did can could will would tell remind".split()
)
_ANSWER_FORM = frozenset("reply respond answer say".split())
"""First words of sentences that shape the reply ("Reply with one word."): not facts."""

_MEMO_RE = re.compile(
    r"^(?:(?:please|and|now|also|ok|okay)[\s,]+)*(?:remember|note|memori[sz]e|keep in mind|don'?t forget|do not forget)"
    r"(?:\s+that)?[\s,:]+",
    re.I,
)
_SWAP = {
    "i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "we": "you", "us": "you",
    "our": "your", "ours": "yours", "ourselves": "yourselves", "i'm": "you're", "i've": "you've",
    "i'll": "you'll", "i'd": "you'd", "we're": "you're", "we've": "you've",
    "your": "my", "yours": "mine", "yourself": "myself", "you're": "I'm", "you've": "I've", "you'll": "I'll",
}
"""First person to second and back, for saying a statement back to its speaker."""
_SUBJECT_NEXT = frozenset("are were have had will would can could should do did must may might".split())


class Said(Protocol):
    """What recall needs of a conversation turn."""

    @property
    def role(self) -> str: ...

    @property
    def text(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Statement:
    """One candidate sentence and where it was said (a higher position is more recent)."""

    text: str
    position: int
    words: frozenset[str]


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """A light, deterministic stem: plural, -ing, -ed and final e off; British -our as -or."""
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    w = _BRITISH_RE.sub("or", w)
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith("sses"):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def content_words(text: str, *, asking: bool = False) -> frozenset[str]:
    """Stems of the words of ``text`` that carry its subject."""
    drop = STOPWORDS | _ASKING if asking else STOPWORDS
    return frozenset(stem(w) for w in _WORD_RE.findall(text) if w.lower() not in drop)


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences (at . ! ? and line breaks), stripped, non-empty, and at most
    :data:`MAX_SENTENCE_CHARS` long (longer ones are dropped)."""
    return [s.strip() for s in _SENTENCE_END_RE.split(text) if s.strip() and len(s) <= MAX_SENTENCE_CHARS]


_LEAD_RE = re.compile(r"[\W_]*(?:(?:please|and|now|so|ok|okay|then)\b[\W_]*)*([A-Za-z0-9]+)", re.I)


def _first_word(sentence: str) -> str:
    lead = _LEAD_RE.match(sentence)
    return lead.group(1).lower() if lead else ""


def is_question(sentence: str) -> bool:
    """A sentence that asks: ends with "?" or opens like a question ("Tell me the day.")."""
    return sentence.rstrip().endswith("?") or _first_word(sentence) in _QUESTION_START


def question_of(text: str) -> frozenset[str]:
    """The content words a message asks about (empty when it asks nothing)."""
    asked = [s for s in sentences(text) if is_question(s)]
    return frozenset().union(*(content_words(s, asking=True) for s in asked)) if asked else frozenset()


@lru_cache(maxsize=256)
def _stated(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """The statements of one text with their content words (cached: a chain replays its turns)."""
    found = []
    for sentence in sentences(text):
        if is_question(sentence) or _first_word(sentence) in _ANSWER_FORM:
            continue
        words = content_words(sentence)
        if words:
            found.append((sentence, words))
    return tuple(found)


def statements(turns: Iterable[Said], instructions: str | None) -> list[Statement]:
    """Every sentence stated (not asked, not shaping the reply) by a non-assistant turn."""
    texts = [instructions or ""] + [t.text for t in turns if t.role not in ("assistant", "tool")]
    stated = (said for text in texts for said in _stated(text))
    return [Statement(sentence, position, words) for position, (sentence, words) in enumerate(stated)]


def best_statement(asked: frozenset[str], candidates: Sequence[Statement]) -> Statement | None:
    """The statement sharing most of the asked words (at least two thirds of those naming the
    subject, so "my favourite food" does not find "my favourite colour"); the latest wins ties."""
    slots = frozenset(stem(w) for w in _SLOT_WORDS)
    subject = asked - slots or asked
    best: tuple[int, int, int] | None = None
    chosen: Statement | None = None
    for candidate in candidates:
        shared = len(subject & candidate.words)
        if shared == 0 or 3 * shared < 2 * len(subject):
            continue
        key = (shared, len(asked & candidate.words), candidate.position)
        if best is None or key > best:
            best, chosen = key, candidate
    return chosen


def reword(sentence: str) -> str:
    """The sentence as the listener says it back: memo verbs off, first and second person swapped."""
    text = _MEMO_RE.sub("", sentence.strip()).strip() or sentence.strip()
    words = list(re.finditer(r"[A-Za-z']+", text))
    out, last = [], 0
    for i, match in enumerate(words):
        word, low = match.group(0), match.group(0).lower()
        before = words[i - 1].group(0).lower() if i else ""
        after = words[i + 1].group(0).lower() if i + 1 < len(words) else ""
        if low == "you":
            new = "I" if after in _SUBJECT_NEXT else "me"
        elif low == "am" and before == "i":
            new = "are"
        elif low == "are" and before == "you":
            new = "am"
        elif low in _SWAP:
            new = _SWAP[low]
        else:
            continue
        if i == 0 and new[0] != "I":
            new = new[0].upper() + new[1:]
        out.append(text[last : match.start()] + new)
        last = match.end()
    said = ("".join(out) + text[last:]).strip()
    said = said[0].upper() + said[1:]
    return said if said[-1] in ".!?" else said + "."


def recall(turns: Sequence[Said], question: str, instructions: str | None) -> str | None:
    """The earlier statement that answers ``question``, reworded; None if nothing does."""
    asked = question_of(question)
    if not asked:
        return None
    found = best_statement(asked, statements(turns, instructions))
    return reword(found.text) if found is not None else None


def asks_about_itself(question: str) -> bool:
    """Whether a question is about the speaker ("my", "our", "I"), which only earlier turns can
    answer ("me" does not count: "Tell me a joke" asks nothing about the speaker)."""
    asked = [s for s in sentences(question) if is_question(s)]
    return any(w.lower() in ("my", "our", "i", "we", "mine", "ours") for s in asked for w in _WORD_RE.findall(s))
