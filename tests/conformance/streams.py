"""Builders for Responses API fixtures: response bodies and SSE event streams (decoded `data`).

The shapes follow recorded OpenAI/Azure traffic and validate with the openai SDK models, so a
fixture that passes the checks also looks like something a real service sends.
"""

from __future__ import annotations

import copy
from typing import Any, Iterable, Mapping, Sequence

Event = dict[str, Any]

CREATED_AT = 1741369938  # integer seconds, as every real recording (docs/azure-wire-details.md)


def usage(input_tokens: int = 12, output_tokens: int = 8, reasoning_tokens: int = 0) -> dict[str, Any]:
    return {
        "input_tokens": input_tokens,
        "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
        "output_tokens": output_tokens,
        "output_tokens_details": {"reasoning_tokens": reasoning_tokens},
        "total_tokens": input_tokens + output_tokens,
    }


def response_body(status: str = "completed", output: Sequence[Any] = (), *, rid: str = "resp_test", **over: Any) -> dict[str, Any]:
    """A Response object as the service returns it (OpenAI's field set); `over` replaces or adds fields."""
    body: dict[str, Any] = {
        "id": rid,
        "object": "response",
        "created_at": CREATED_AT,
        "status": status,
        "background": False,
        "error": None,
        "incomplete_details": None,
        "instructions": None,
        "max_output_tokens": None,
        "model": "gpt-4o-mini",
        "output": copy.deepcopy(list(output)),
        "parallel_tool_calls": True,
        "previous_response_id": None,
        "reasoning": {"effort": None, "summary": None},
        "store": True,
        "temperature": 1.0,
        "text": {"format": {"type": "text"}},
        "tool_choice": "auto",
        "tools": [],
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": (usage(reasoning_tokens=4 if _reasoned(output) else 0) if status in ("completed", "incomplete") else None),
        "user": None,
        "metadata": {},
    }
    body.update(over)
    return body


def _reasoned(output: Sequence[Any]) -> bool:
    """Whether output shows reasoning text (a real service then bills reasoning tokens)."""
    return any(
        isinstance(item, dict) and item.get("type") == "reasoning" and (item.get("summary") or item.get("content"))
        for item in output
    )


def output_text(text: str) -> dict[str, Any]:
    return {"type": "output_text", "text": text, "annotations": [], "logprobs": []}


def message_item(*texts: str, item_id: str = "msg_1", status: str = "completed") -> dict[str, Any]:
    content = [output_text(t) for t in texts]
    return {"id": item_id, "type": "message", "status": status, "role": "assistant", "content": content}


def function_call_item(arguments: str = '{"city": "Paris"}', *, item_id: str = "fc_1") -> dict[str, Any]:
    return {
        "id": item_id,
        "type": "function_call",
        "status": "completed",
        "arguments": arguments,
        "call_id": "call_1",
        "name": "get_weather",
    }


def reasoning_item(*summaries: str, item_id: str = "rs_1") -> dict[str, Any]:
    return {"id": item_id, "type": "reasoning", "summary": [{"type": "summary_text", "text": s} for s in summaries]}


class StreamBuilder:
    """Emit a stream event by event; numbering, item ids and the final output are kept for you.

        events = StreamBuilder().created().message(["Hel", "lo"]).completed().events

    `delta_extra` is merged into every delta (e.g. Azure's `obfuscation`); other keyword
    arguments go into every response snapshot (e.g. `content_filters=None`, `background=True`).
    """

    def __init__(self, rid: str = "resp_test", *, delta_extra: Mapping[str, Any] | None = None, **response_extra: Any):
        self.rid = rid
        self.events: list[Event] = []
        self.output: list[dict[str, Any]] = []
        self.delta_extra = dict(delta_extra or {})
        self.response_extra = response_extra

    # -- plumbing
    def emit(self, etype: str, **fields: Any) -> Event:
        event = copy.deepcopy({"type": etype, "sequence_number": len(self.events), **fields})  # no shared parts
        self.events.append(event)
        return event

    def snapshot(self, status: str, **over: Any) -> dict[str, Any]:
        fields = {**self.response_extra, **over}
        output = fields.pop("output", () if status in ("in_progress", "queued") else self.output)
        return response_body(status, output, rid=self.rid, **fields)

    def _ref(self, item_id: str, **more: Any) -> dict[str, Any]:
        return {"item_id": item_id, "output_index": len(self.output), **more}

    def _added(self, item: dict[str, Any]) -> None:
        self.emit("response.output_item.added", output_index=len(self.output), item=item)

    def _done(self, item: dict[str, Any]) -> None:
        self.emit("response.output_item.done", output_index=len(self.output), item=item)
        self.output.append(item)

    def _deltas(self, prefix: str, ref: Mapping[str, Any], chunks: Sequence[str], field: str, logprobs: bool) -> str:
        """`<prefix>.delta` per chunk, then `<prefix>.done` with the whole text in `field`."""
        extra = {"logprobs": []} if logprobs else {}
        for chunk in chunks:
            self.emit(f"{prefix}.delta", **ref, delta=chunk, **extra, **self.delta_extra)
        whole = "".join(chunks)
        self.emit(f"{prefix}.done", **ref, **{field: whole}, **extra)
        return whole

    def _part(self, event_prefix: str, ref: Mapping[str, Any], empty: dict[str, Any], chunks: Sequence[str]) -> dict[str, Any]:
        """A part: `<event_prefix>.added`, its deltas and text `.done`, then `<event_prefix>.done`."""
        kind = empty["type"]
        key = "refusal" if kind == "refusal" else "text"
        text_prefix = {
            "output_text": "response.output_text",
            "refusal": "response.refusal",
            "reasoning_text": "response.reasoning_text",
            "summary_text": "response.reasoning_summary_text",
        }[kind]
        self.emit(f"{event_prefix}.added", **ref, part=empty)
        whole = self._deltas(text_prefix, ref, chunks, key, logprobs=kind == "output_text")
        done = {**empty, key: whole}
        self.emit(f"{event_prefix}.done", **ref, part=done)
        return done

    # -- lifecycle
    def created(self, status: str = "in_progress") -> StreamBuilder:
        self.emit("response.created", response=self.snapshot(status))
        return self

    def queued(self) -> StreamBuilder:
        self.emit("response.queued", response=self.snapshot("queued"))
        return self

    def in_progress(self) -> StreamBuilder:
        self.emit("response.in_progress", response=self.snapshot("in_progress"))
        return self

    def completed(self, **over: Any) -> StreamBuilder:
        self.emit("response.completed", response=self.snapshot("completed", **over))
        return self

    def incomplete(self, reason: str = "max_output_tokens", **over: Any) -> StreamBuilder:
        details = {"reason": reason}
        self.emit("response.incomplete", response=self.snapshot("incomplete", incomplete_details=details, **over))
        return self

    def failed(self, code: str = "server_error", message: str = "The server had an error.") -> StreamBuilder:
        error = {"code": code, "message": message}
        self.emit("response.failed", response=self.snapshot("failed", error=error, output=[]))
        return self

    def error(self, code: str | None = "server_error", message: str = "The server had an error.") -> StreamBuilder:
        self.emit("error", code=code, message=message, param=None)
        return self

    # -- items
    def message(self, *parts: Sequence[str], refusal: Sequence[str] | None = None, status: str = "completed") -> StreamBuilder:
        """A message item: one output_text part per chunk list, then an optional refusal part."""
        base = {"id": f"msg_{len(self.output)}", "type": "message", "role": "assistant"}
        self._added({**base, "status": "in_progress", "content": []})
        empties = [output_text("") for _ in parts] + ([{"type": "refusal", "refusal": ""}] if refusal is not None else [])
        chunk_lists = [*parts, *([refusal] if refusal is not None else [])]
        content = [
            self._part("response.content_part", self._ref(base["id"], content_index=i), empty, chunks)
            for i, (empty, chunks) in enumerate(zip(empties, chunk_lists))
        ]
        self._done({**base, "status": status, "content": content})
        return self

    def function_call(self, chunks: Sequence[str], *, name: str = "get_weather", status: str = "completed") -> StreamBuilder:
        n = len(self.output)
        base = {"id": f"fc_{n}", "type": "function_call", "call_id": f"call_{n}", "name": name}
        self._added({**base, "status": "in_progress", "arguments": ""})
        arguments = self._deltas("response.function_call_arguments", self._ref(base["id"]), chunks, "arguments", False)
        self._done({**base, "status": status, "arguments": arguments})
        return self

    def mcp_call(self, chunks: Sequence[str], *, name: str = "roll", server_label: str = "dice") -> StreamBuilder:
        """A remote MCP tool call: in_progress, its argument deltas and .done, then completed."""
        base = {"id": f"mcp_{len(self.output)}", "type": "mcp_call", "name": name, "server_label": server_label}
        self._added({**base, "status": "in_progress", "arguments": "", "output": None, "error": None})
        ref = self._ref(base["id"])
        self.emit("response.mcp_call.in_progress", **ref)
        arguments = self._deltas("response.mcp_call_arguments", ref, chunks, "arguments", False)
        self.emit("response.mcp_call.completed", **ref)
        self._done({**base, "status": "completed", "arguments": arguments, "output": "4", "error": None})
        return self

    def reasoning(
        self, summaries: Iterable[Sequence[str]] = (), contents: Iterable[Sequence[str]] = (), *, encrypted: str | None = None
    ) -> StreamBuilder:
        """A reasoning item: summary parts (reasoning_summary_*), then reasoning_text content parts."""
        base: dict[str, Any] = {"id": f"rs_{len(self.output)}", "type": "reasoning"}
        if encrypted is not None:
            base["encrypted_content"] = encrypted
        self._added({**base, "summary": []})
        summary = [
            self._part("response.reasoning_summary_part", self._ref(base["id"], summary_index=i), {"type": "summary_text", "text": ""}, c)
            for i, c in enumerate(summaries)
        ]
        content = [
            self._part("response.content_part", self._ref(base["id"], content_index=i), {"type": "reasoning_text", "text": ""}, c)
            for i, c in enumerate(contents)
        ]
        self._done({**base, "summary": summary, **({"content": content} if content else {})})
        return self

    def tool_call(self, item_type: str, progress: Sequence[str], **fields: Any) -> StreamBuilder:
        """A hosted-tool item (file_search_call, mcp_call, ...) with its progress events in between."""
        item_id = f"{item_type[:2]}_{len(self.output)}"
        self._added({"id": item_id, "type": item_type, "status": "in_progress", **fields})
        for suffix in progress:
            self.emit(f"response.{item_type}.{suffix}", **self._ref(item_id))
        self._done({"id": item_id, "type": item_type, "status": "completed", **fields})
        return self


def renumber(events: Sequence[Event], start: int = 0) -> list[Event]:
    """Copies numbered start, start+1, ...: a broken stream whose numbering is still right."""
    return [{**copy.deepcopy(ev), "sequence_number": start + n} for n, ev in enumerate(events)]
