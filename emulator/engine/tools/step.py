"""What the tools did in one turn, for :func:`emulator.engine.run.execute` to build the response."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emulator.engine.model import Turn


@dataclass
class ToolStep:
    """Output items the tools produced, and how the turn continues after them."""

    items: list[dict[str, Any]] = field(default_factory=list)
    """Output items, in order, before any assistant message."""
    turns: list[Turn] = field(default_factory=list)
    """What the model reads after those items (calls and their outputs)."""
    stop: bool = False
    """The turn ends with the items: the client must act (function call, approval request)."""
    answer: str | None = None
    """The assistant's text, when the tool decides it (else the model answers the turns)."""
    annotations: list[dict[str, Any]] = field(default_factory=list)
    """Annotations on the answer's output_text (file citations, url citations)."""

    def extend(self, other: ToolStep) -> None:
        self.items += other.items
        self.turns += other.turns
        self.stop = self.stop or other.stop
        self.answer = other.answer if other.answer is not None else self.answer
        self.annotations += other.annotations
