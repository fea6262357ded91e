"""Streaming bugs: the SSE framing, the event grammar, sequence numbers and what adds up."""

from __future__ import annotations

from typing import Any

from emulator.mutations.base import Event, Exchange, Header, Mutant, register

STREAMS = ("responses.stream", "responses.stream.async", "responses.stream.conversation")
TERMINAL = ("response.completed", "response.incomplete", "response.failed")


class Renumbering(Mutant):
    """A stream that loses or gains events: later sequence numbers follow the events sent."""

    def keep(self, ex: Exchange, event: Event) -> list[Event]:
        raise NotImplementedError

    def event(self, ex: Exchange, event: Event) -> list[Event] | None:
        shift = ex.notes.get("shift", 0)
        out = self.keep(ex, event)
        changed = len(out) != 1 or out[0] is not event
        renumbered = []
        for ev in out:
            if isinstance(ev.get("sequence_number"), int):
                ev = {**ev, "sequence_number": ev["sequence_number"] + shift}
            renumbered.append(ev)
        ex.notes["shift"] = shift + len(out) - 1
        return renumbered if changed or shift else None


@register("sse-content-type-json", "streaming",
          "SSE streams are served with Content-Type application/json instead of text/event-stream", *STREAMS)
class SseContentType(Mutant):
    def headers(self, ex: Exchange, status: int, headers: list[Header]) -> list[Header] | None:
        if not any(k.lower() == b"content-type" and b"text/event-stream" in v for k, v in headers):
            return None
        return [(k, b"application/json" if k.lower() == b"content-type" else v) for k, v in headers]


@register("stream-usage-null", "streaming", "the streamed terminal response carries usage: null", *STREAMS)
class StreamUsageNull(Mutant):
    def event(self, ex: Exchange, event: Event) -> list[Event] | None:
        if event.get("type") not in TERMINAL or not isinstance(event.get("response"), dict):
            return None
        return [{**event, "response": {**event["response"], "usage": None}}]


@register("sse-done-frame", "streaming", "a stream ends with a chat-completions style `data: [DONE]` frame", *STREAMS)
class SseDoneFrame(Mutant):
    def end(self, ex: Exchange) -> bytes | None:
        return b"data: [DONE]\n\n" if ex.route == "POST /responses" else None


@register("error-after-completed", "streaming", "an `error` event follows response.completed", *STREAMS)
class ErrorAfterCompleted(Mutant):
    def event(self, ex: Exchange, event: Event) -> list[Event] | None:
        if event.get("type") != "response.completed":
            return None
        error = {"type": "error", "code": "server_error", "message": "The server had an error while processing your request.",
                 "param": None, "sequence_number": event["sequence_number"] + 1}
        return [event, error]


@register("stream-sequence-gap", "streaming", "sequence_number skips a value after the third event", *STREAMS)
class SequenceGap(Mutant):
    def event(self, ex: Exchange, event: Event) -> list[Event] | None:
        seq = event.get("sequence_number")
        if not isinstance(seq, int) or seq < 3 or ex.route != "POST /responses":
            return None
        return [{**event, "sequence_number": seq + 1}]


@register("stream-delta-dropped", "streaming", "the second output_text.delta of a stream is lost", *STREAMS)
class DeltaDropped(Renumbering):
    def keep(self, ex: Exchange, event: Event) -> list[Event]:
        if event.get("type") == "response.output_text.delta":
            ex.notes["deltas"] = ex.notes.get("deltas", 0) + 1
            if ex.notes["deltas"] == 2:
                return []
        return [event]


@register("stream-text-done-mismatch", "streaming", "output_text.done carries text that the deltas do not add up to",
          *STREAMS)
class TextDoneMismatch(Mutant):
    def event(self, ex: Exchange, event: Event) -> list[Event] | None:
        if event.get("type") != "response.output_text.done" or len(event.get("text") or "") < 2:
            return None
        return [{**event, "text": event["text"][:-1]}]


@register("stream-no-created", "streaming", "a stream starts without response.created", *STREAMS)
class NoCreated(Renumbering):
    def keep(self, ex: Exchange, event: Event) -> list[Event]:
        return [] if event.get("type") == "response.created" else [event]


@register("stream-no-terminal", "streaming", "a stream ends after the last output_item.done, without response.completed",
          *STREAMS)
class NoTerminal(Mutant):
    def event(self, ex: Exchange, event: Event) -> list[Event] | None:
        return [] if event.get("type") == "response.completed" and ex.route == "POST /responses" else None


@register("stream-created-id-differs", "streaming", "response.created names another response id than the stream completes",
          *STREAMS)
class CreatedIdDiffers(Mutant):
    def event(self, ex: Exchange, event: Event) -> list[Event] | None:
        response: Any = event.get("response")
        if event.get("type") not in ("response.created", "response.in_progress") or not isinstance(response, dict):
            return None
        rid = str(response.get("id", ""))
        return [{**event, "response": {**response, "id": rid[:-4] + "0000" if not rid.endswith("0000") else rid[:-4] + "1111"}}]


@register("stream-output-index-shifted", "streaming", "output_text deltas name output_index + 1", *STREAMS)
class OutputIndexShifted(Mutant):
    def event(self, ex: Exchange, event: Event) -> list[Event] | None:
        if event.get("type") not in ("response.output_text.delta", "response.output_text.done"):
            return None
        return [{**event, "output_index": int(event.get("output_index", 0)) + 1}]


@register("stream-snapshot-completed", "streaming", "response.created already says status completed",
          *STREAMS)
class SnapshotCompleted(Mutant):
    def event(self, ex: Exchange, event: Event) -> list[Event] | None:
        if event.get("type") != "response.created" or not isinstance(event.get("response"), dict):
            return None
        return [{**event, "response": {**event["response"], "status": "completed"}}]
