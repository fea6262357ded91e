"""Stored responses, bounded: the state behind retrieve, delete, input_items and chaining.

One store per resource (a response created on one resource is not visible on another, as
on Azure). When full, the oldest response is evicted. A record keeps a reference to its
``previous_response_id`` record, so a conversation stays replayable even after an earlier
turn was evicted or deleted.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Turn:
    """One conversation item as the model sees it: who said what, and how many images."""

    role: str
    text: str
    images: int = 0
    seen: tuple[str, ...] = ()
    """What vision decoded of this turn's images (e.g. "a 64x48 PNG image")."""


DEFAULT_MAX_RESPONSES = 10_000
#: Seconds a stored response is kept (0: until evicted by count). Azure keeps them 30 days.
DEFAULT_RETENTION_SECONDS = 0.0


@dataclass(slots=True)
class Record:
    """One response and what the next turn needs from it."""

    response: dict[str, Any]
    input_items: list[dict[str, Any]]
    turns: tuple[Turn, ...]
    """This response's own input and output, as model turns."""
    chain_tokens: int
    """Tokens of the whole conversation up to and including this response's output."""
    parent: Record | None
    deployment: str
    stored_at: float = field(default=0.0)

    @property
    def id(self) -> str:
        return self.response["id"]  # type: ignore[no-any-return]

    def history(self) -> list[Turn]:
        """All turns of the conversation ending with this response, oldest first."""
        chain: list[tuple[Turn, ...]] = []
        node: Record | None = self
        while node is not None:
            chain.append(node.turns)
            node = node.parent
        return [turn for turns in reversed(chain) for turn in turns]


class ResponseStore:
    """Insertion-ordered, bounded map of response id -> :class:`Record`.

    Bounded twice, so a long-running emulator's memory stays flat: by count (the oldest
    is evicted) and, if ``retention_seconds`` > 0, by age (expired records are dropped).
    A conversation keeps its own parents alive through ``Record.parent``, but only while
    its newest turn is stored.
    """

    def __init__(
        self,
        max_responses: int = DEFAULT_MAX_RESPONSES,
        retention_seconds: float = DEFAULT_RETENTION_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_responses < 1:
            raise ValueError("max_responses must be >= 1")
        if retention_seconds < 0:
            raise ValueError("retention_seconds must be >= 0")
        self.max_responses = max_responses
        self.retention_seconds = retention_seconds
        self._clock = clock
        self._records: OrderedDict[str, Record] = OrderedDict()

    def __len__(self) -> int:
        return len(self._records)

    def _expire(self) -> None:
        if not self.retention_seconds:
            return
        cutoff = self._clock() - self.retention_seconds
        while self._records:
            oldest = next(iter(self._records.values()))
            if oldest.stored_at > cutoff:
                break
            self._records.popitem(last=False)

    def put(self, record: Record) -> None:
        record.stored_at = self._clock()
        self._records[record.id] = record
        self._records.move_to_end(record.id)
        self._expire()
        while len(self._records) > self.max_responses:
            self._records.popitem(last=False)

    def get(self, response_id: str) -> Record | None:
        self._expire()
        return self._records.get(response_id)

    def delete(self, response_id: str) -> bool:
        return self._records.pop(response_id, None) is not None
