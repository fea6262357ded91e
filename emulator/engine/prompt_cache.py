"""Prompt caching: a repeated long prompt prefix is billed as ``cached_tokens``.

Azure's rules (learn.microsoft.com/azure/foundry/openai/how-to/prompt-caching): caching is
automatic; the first 1,024 tokens must match and later hits come in 128-token increments;
``prompt_cache_key`` is part of the routing, so prompts under different keys do not share a
cache. Hits show as ``usage.input_tokens_details.cached_tokens``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Sequence

from emulator.engine.model import TOKEN_RE, Turn

MIN_PREFIX = 1024
INCREMENT = 128
KEEP_PER_KEY = 32
MAX_KEYS = 1024


def prompt_tokens(instructions: str | None, turns: Sequence[Turn]) -> tuple[str, ...]:
    """The prompt as the cache sees it: instructions first, then every turn in order."""
    tokens: list[str] = TOKEN_RE.findall(instructions or "")
    for turn in turns:
        tokens.append(f"<{turn.role}>")
        tokens.extend(TOKEN_RE.findall(turn.text))
    return tuple(tokens)


def _common(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def billable(prefix: int) -> int:
    """Cached tokens for a matching prefix of ``prefix`` tokens (0 below 1,024)."""
    if prefix < MIN_PREFIX:
        return 0
    return MIN_PREFIX + (prefix - MIN_PREFIX) // INCREMENT * INCREMENT


class PromptCache:
    """Recent prompts per ``prompt_cache_key`` (bounded), for one resource."""

    def __init__(self) -> None:
        self._prompts: OrderedDict[str, deque[tuple[str, ...]]] = OrderedDict()
        self._lock = threading.Lock()

    def lookup_and_add(self, key: str | None, tokens: tuple[str, ...]) -> int:
        """Cached tokens for ``tokens`` under ``key``; the prompt is remembered for later."""
        slot = key or ""
        with self._lock:
            seen = self._prompts.setdefault(slot, deque(maxlen=KEEP_PER_KEY))
            self._prompts.move_to_end(slot)
            # The last token is never served from cache: the model must read at least one.
            best = max((_common(p, tokens) for p in seen), default=0)
            seen.append(tokens)
            while len(self._prompts) > MAX_KEYS:
                self._prompts.popitem(last=False)
        return billable(min(best, len(tokens) - 1))
