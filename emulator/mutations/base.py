"""What a mutant is: a named, realistic service bug that the suite ought to catch.

A mutant rewrites one exchange at the wire (the request before the emulator reads it, the
JSON reply, each SSE event, the stream's end) or, for bugs that live deeper than the wire
(a JWT whose signature is not checked, a history cut short), patches one named seam of the
emulator when it is activated. Every hook that changes something counts as a *fire*, so a
run can tell "the suite never reached the bug" from "the suite reached it and did not see it".
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

Event = dict[str, Any]
Header = tuple[bytes, bytes]

FAMILIES = ("streaming", "state", "model", "errors", "auth", "tools", "background", "files")


@dataclass
class Exchange:
    """One API call as a mutant sees it (the request is mutable until the emulator reads it)."""

    method: str
    route: str
    """Method and path with ids as ``{id}``: ``GET /responses/{id}/input_items``."""
    ids: list[str]
    """The ids in the path, in order."""
    query: dict[str, str]
    request: Any
    """The parsed JSON body (None for multipart, empty or non-JSON bodies)."""
    v1: bool
    notes: dict[str, Any] = field(default_factory=dict)
    """Scratch space shared by the hooks of one exchange."""

    @property
    def streaming(self) -> bool:
        asked = isinstance(self.request, dict) and self.request.get("stream") is True
        return asked or self.query.get("stream") in ("true", "True", "1")

    def body(self, key: str, default: Any = None) -> Any:
        return self.request.get(key, default) if isinstance(self.request, dict) else default


class Seams:
    """Patches of named emulator seams, undone by :meth:`undo` (tests activate mutants in-process)."""

    def __init__(self, state: Any, mutant: Mutant) -> None:
        self.state = state
        self.mutant = mutant
        self._undo: list[tuple[Any, str, Any]] = []

    def patch(self, owner: Any, name: str, value: Any) -> Any:
        """Replace ``owner.name``; the old value is returned. A missing seam is an error, so a
        renamed function cannot silently turn a mutant into a no-op."""
        old = getattr(owner, name)  # AttributeError if the seam moved
        self._undo.append((owner, name, old))
        setattr(owner, name, value)
        return old

    def undo(self) -> None:
        while self._undo:
            owner, name, old = self._undo.pop()
            setattr(owner, name, old)


class Mutant:
    """Base class: every hook is a no-op; a subclass overrides the ones its bug needs."""

    name: ClassVar[str]
    family: ClassVar[str]
    description: ClassVar[str]
    features: ClassVar[tuple[str, ...]]
    """The features whose tests should notice the bug (the harness runs only those)."""

    def __init__(self) -> None:
        self.stats: dict[str, Any] = {"name": self.name, "fired": 0}
        self.seams: Seams | None = None

    def fire(self) -> None:
        self.stats["fired"] += 1

    # --- hooks (return None or False for "unchanged") ---------------------------------------

    def install(self, seams: Seams) -> None:
        """Patch emulator seams (called once, when the mutant is activated)."""

    def request(self, ex: Exchange) -> bool:
        """Rewrite ``ex.request`` / ``ex.query`` in place; True if anything changed."""
        return False

    def headers(self, ex: Exchange, status: int, headers: list[Header]) -> list[Header] | None:
        return None

    def reply(self, ex: Exchange, status: int, body: Any) -> tuple[int, Any] | None:
        """A JSON reply: the new (status, body), or None."""
        return None

    def event(self, ex: Exchange, event: Event) -> list[Event] | None:
        """One SSE event: the events to send instead, or None."""
        return None

    def end(self, ex: Exchange) -> bytes | None:
        """Raw bytes to add after an SSE stream's last frame."""
        return None


MUTANTS: dict[str, type[Mutant]] = {}


def register(name: str, family: str, description: str, *features: str) -> Callable[[type[Mutant]], type[Mutant]]:
    """Class decorator: add a mutant to the registry under ``name``."""
    if family not in FAMILIES:
        raise ValueError(f"unknown mutant family {family!r}")

    def add(cls: type[Mutant]) -> type[Mutant]:
        if name in MUTANTS:
            raise ValueError(f"duplicate mutant {name!r}")
        cls.name, cls.family, cls.description, cls.features = name, family, description, tuple(features)
        MUTANTS[name] = cls
        return cls

    return add


# --- helpers for the rewrites ---------------------------------------------------------------


def responses_in(payload: Any) -> Iterator[dict[str, Any]]:
    """The Response objects in a JSON reply or an SSE event."""
    if isinstance(payload, dict):
        if payload.get("object") == "response":
            yield payload
        elif isinstance(payload.get("response"), dict):
            yield payload["response"]


def items_in(payload: Any) -> Iterator[dict[str, Any]]:
    """The output items in a reply or event (a Response's output, or an event's ``item``)."""
    for response in responses_in(payload):
        for item in response.get("output") or []:
            if isinstance(item, dict):
                yield item
    if isinstance(payload, dict) and isinstance(payload.get("item"), dict):
        yield payload["item"]


class PayloadFix(Mutant):
    """An edit of JSON replies and SSE events alike; ``_edit`` says whether it changed any."""

    def _edit(self, ex: Exchange, payload: Any) -> bool:
        raise NotImplementedError

    def _apply(self, ex: Exchange, payload: Any) -> Any | None:
        payload = copy.deepcopy(payload)
        return payload if self._edit(ex, payload) else None

    def reply(self, ex: Exchange, status: int, body: Any) -> tuple[int, Any] | None:
        new = self._apply(ex, body)
        return None if new is None else (status, new)

    def event(self, ex: Exchange, event: Event) -> list[Event] | None:
        new = self._apply(ex, event)
        return None if new is None else [new]


class ResponseFix(PayloadFix):
    """A bug in the Response object itself: the same edit in JSON replies and SSE snapshots."""

    def fix(self, ex: Exchange, response: dict[str, Any]) -> bool:
        raise NotImplementedError

    def _edit(self, ex: Exchange, payload: Any) -> bool:
        return any([self.fix(ex, r) for r in responses_in(payload)])  # a list: every one edited


class ItemFix(PayloadFix):
    """A bug in output items: the same edit in replies, snapshots and ``output_item.*`` events."""

    def fix_item(self, ex: Exchange, item: dict[str, Any]) -> bool:
        raise NotImplementedError

    def _edit(self, ex: Exchange, payload: Any) -> bool:
        return any([self.fix_item(ex, i) for i in items_in(payload)])  # a list: every one edited
