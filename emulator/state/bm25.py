"""Chunking and BM25 ranking: the "embedding" behind the emulator's file search.

Real ranking over the uploaded text (Okapi BM25, k1=1.2, b=0.75), small enough to read, so
a question about one document ranks that document's chunks first.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

_WORD_RE = re.compile(r"\w+")
K1 = 1.2
B = 0.75


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(text)]


def chunk_text(text: str, size: int, overlap: int) -> list[str]:
    """Windows of ``size`` words overlapping by ``overlap`` (OpenAI's static strategy, in words)."""
    tokens = text.split()
    if not tokens:
        return []
    step = max(1, size - max(0, min(overlap, size // 2)))
    chunks = []
    for start in range(0, len(tokens), step):
        chunks.append(" ".join(tokens[start : start + size]))
        if start + size >= len(tokens):
            break
    return chunks


@dataclass(frozen=True)
class Chunk:
    file_id: str
    filename: str
    position: int
    text: str


@dataclass
class Index:
    chunks: list[Chunk] = field(default_factory=list)

    def add(self, chunk: Chunk) -> None:
        self.chunks.append(chunk)

    def remove(self, file_id: str) -> None:
        self.chunks = [c for c in self.chunks if c.file_id != file_id]

    def search(self, query: str, limit: int) -> list[tuple[Chunk, float]]:
        """The best ``limit`` chunks for ``query`` with scores in (0, 1], best first; ties by position."""
        terms = set(words(query))
        docs = [Counter(words(c.text)) for c in self.chunks]
        if not docs or not terms:
            return []
        avg = sum(sum(d.values()) for d in docs) / len(docs)
        scored = []
        for chunk, doc in zip(self.chunks, docs):
            length = sum(doc.values())
            score = 0.0
            for term in terms:
                freq = doc.get(term, 0)
                if not freq:
                    continue
                df = sum(1 for d in docs if term in d)
                idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
                score += idf * freq * (K1 + 1) / (freq + K1 * (1 - B + B * length / avg))
            if score > 0:
                scored.append((chunk, score))
        scored.sort(key=lambda cs: (-cs[1], cs[0].file_id, cs[0].position))
        top = scored[:limit]
        best = top[0][1] if top else 1.0
        return [(chunk, round(score / best, 4)) for chunk, score in top]
