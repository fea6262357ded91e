"""What `check_stream` remembers while it reads a stream: the event tables, items and parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from conformance.checks._base import ARRAY, INT, OBJECT, STR, FieldSpec, Violation

OPENING = ("response.created", "response.queued")
TERMINALS = ("response.completed", "response.incomplete", "response.failed")
LIFECYCLE_STATUS: Mapping[str, frozenset[str]] = {
    "response.created": frozenset({"in_progress", "queued"}),  # queued when background=true
    "response.queued": frozenset({"queued"}),
    "response.in_progress": frozenset({"in_progress"}),
    "response.completed": frozenset({"completed"}),
    "response.incomplete": frozenset({"incomplete"}),
    "response.failed": frozenset({"failed"}),
}


@dataclass(frozen=True)
class Channel:
    """A `<prefix>.delta` / `<prefix>.done` pair and the part (or item) whose text it builds."""

    prefix: str
    kind: str  # "content" or "summary" part, or "arguments" of the item itself
    index_field: str | None
    done_field: str
    part_types: frozenset[str]
    item_types: frozenset[str]


def _channel(prefix: str, kind: str, index_field: str | None, done_field: str, part: str, item: str) -> Channel:
    return Channel(f"response.{prefix}", kind, index_field, done_field, frozenset({part} - {""}), frozenset({item}))


CHANNELS: tuple[Channel, ...] = (
    _channel("output_text", "content", "content_index", "text", "output_text", "message"),
    _channel("refusal", "content", "content_index", "refusal", "refusal", "message"),
    _channel("reasoning_text", "content", "content_index", "text", "reasoning_text", "reasoning"),
    _channel("reasoning_summary_text", "summary", "summary_index", "text", "summary_text", "reasoning"),
    _channel("function_call_arguments", "arguments", None, "arguments", "", "function_call"),
    _channel("mcp_call_arguments", "arguments", None, "arguments", "", "mcp_call"),
)
ARGUMENT_ITEM_TYPES = frozenset({"function_call", "mcp_call"})  # items whose `arguments` are streamed
DONE_EVENT_OF_PART = {t: f"{c.prefix}.done" for c in CHANNELS for t in c.part_types}

# part event -> (kind, index field, whether it opens the part)
PART_EVENTS: Mapping[str, tuple[str, str, bool]] = {
    "response.content_part.added": ("content", "content_index", True),
    "response.content_part.done": ("content", "content_index", False),
    "response.reasoning_summary_part.added": ("summary", "summary_index", True),
    "response.reasoning_summary_part.done": ("summary", "summary_index", False),
}
PART_ITEM_TYPES = {"content": frozenset({"message", "reasoning"}), "summary": frozenset({"reasoning"})}


def text_key(part_type: Any) -> str:
    """The field holding a part's text: `refusal` for refusal parts, `text` for the others."""
    return "refusal" if part_type == "refusal" else "text"


def _event_fields() -> dict[str, dict[str, FieldSpec]]:
    """Fields the checker reads, per event type (openai 3.57.0 / openapi); `logprobs` is newer, so optional."""
    need = FieldSpec.of
    ref = {"item_id": need(STR, required=True), "output_index": need(INT, required=True)}
    specs: dict[str, dict[str, FieldSpec]] = {t: {"response": need(OBJECT, required=True)} for t in LIFECYCLE_STATUS}
    for name in ("response.output_item.added", "response.output_item.done"):
        specs[name] = {"output_index": need(INT, required=True), "item": need(OBJECT, required=True)}
    for name, (_, index_field, _) in PART_EVENTS.items():
        specs[name] = {**ref, index_field: need(INT, required=True), "part": need(OBJECT, required=True)}
    for ch in CHANNELS:
        base = {**ref, **({ch.index_field: need(INT, required=True)} if ch.index_field else {})}
        specs[f"{ch.prefix}.delta"] = {**base, "delta": need(STR, required=True), "logprobs": need(ARRAY)}
        specs[f"{ch.prefix}.done"] = {**base, ch.done_field: need(STR, required=True), "logprobs": need(ARRAY)}
    return specs


EVENT_FIELDS = _event_fields()
ANY_EVENT_FIELDS = {"output_index": FieldSpec.of(INT), "item_id": FieldSpec.of(STR)}


@dataclass
class Part:
    """Text being built: a content or summary part, or a function call's arguments."""

    kind: str
    index: int
    type: str | None
    opened_at: int
    text: str = ""  # the opening value plus every delta
    deltas: int = 0
    done_text: str | None = None  # from the `<prefix>.done` event
    closed_text: str | None = None  # from the part's own `.done` event
    closed: bool = False
    partial: bool = False  # joined mid-stream (resumed): earlier deltas were not seen

    @property
    def label(self) -> str:
        return part_label(self.kind, self.index)

    def final(self) -> tuple[str, bool]:
        """The part's full text as far as the stream told it, and whether it is exact (else a suffix)."""
        for known in (self.closed_text, self.done_text):
            if known is not None:
                return known, True
        return self.text, not self.partial


def part_label(kind: str, index: int) -> str:
    return "arguments" if kind == "arguments" else f"{kind} part {index}"


@dataclass
class Item:
    index: int
    id: str | None
    type: str | None
    opened_at: int
    parts: dict[tuple[str, int], Part] = field(default_factory=dict)
    next_part: dict[str, int] = field(default_factory=lambda: {"content": 0, "summary": 0})
    done: dict[str, Any] | None = None
    closed_at: int | None = None
    partial: bool = False  # joined mid-stream (resumed)


@dataclass
class State:
    start: int | None
    resumed: bool
    items: dict[int, Item] = field(default_factory=dict)
    next_index: int = 0
    last_seq: int | None = None
    response_id: str | None = None
    lifecycle_seen: dict[str, int] = field(default_factory=dict)
    first_item_at: int | None = None
    end: tuple[int, str] | None = None
    found: list[Violation] = field(default_factory=list)

    def add(self, where: str, what: str, rule: str) -> None:
        self.found.append(Violation(where, what, rule))

    def item_for(self, ev: Mapping[str, Any]) -> Item | None:
        if "output_index" in ev:
            return self.items.get(ev["output_index"])
        return next((it for it in self.items.values() if it.id is not None and it.id == ev.get("item_id")), None)

    def open_item(self, ev: Mapping[str, Any]) -> Item | None:
        """The item an event belongs to if it is open (the reference rule reports the others)."""
        item = self.item_for(ev)
        return item if item is not None and item.closed_at is None else None


def at(i: int) -> str:
    return f"events[{i}]"


def short(text: str, limit: int = 60) -> str:
    return repr(text) if len(text) <= limit else repr(text[: limit - 3] + "...")


def agrees(actual: str, expected: str, exact: bool) -> bool:
    return actual == expected if exact else actual.endswith(expected)
