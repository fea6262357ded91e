"""Deterministic log probabilities for ``include=["message.output_text.logprobs"]``.

One entry per streamed delta (so the stream and the final part agree), each with its UTF-8
``bytes`` and ``top_logprobs`` alternatives, ``top_logprobs`` long (0-20), the chosen token
first and most likely, as OpenAI's ``Logprob`` objects look.
"""

from __future__ import annotations

import hashlib
from typing import Any

from emulator.wire.deltas import chunks

_ALTERNATIVES = (" the", " a", ".", ",", " and", " of", " to", " is", " in", " it", " that", " on",
                 " for", " with", " as", " at", " by", " this", " be", " or")


def _logprob(token: str, rank: int) -> float:
    digest = hashlib.sha256(f"{rank}:{token}".encode()).digest()
    return -round(0.01 + digest[0] / 255 * 0.5 + rank * 1.5, 4)


def _entry(token: str, rank: int) -> dict[str, Any]:
    return {"token": token, "bytes": list(token.encode("utf-8")), "logprob": _logprob(token, rank)}


def logprobs_for(text: str, top: int) -> list[dict[str, Any]]:
    """The ``logprobs`` array of an ``output_text`` part holding ``text``."""
    out: list[dict[str, Any]] = []
    for token in chunks(text):
        alternatives = [token] + [a for a in _ALTERNATIVES if a != token][: max(top - 1, 0)]
        entry = _entry(token, 0)
        entry["top_logprobs"] = [_entry(alt, rank) for rank, alt in enumerate(alternatives[:top])]
        out.append(entry)
    return out
