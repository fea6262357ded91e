"""The stable rule ids a Violation can carry, with what each one guards (for reports and docs)."""

from __future__ import annotations

from typing import Mapping

RULES: Mapping[str, str] = {
    # check_response
    "response.shape": "the body is a JSON object",
    "response.required": "id, object, created_at, status, output and model are present",
    "response.field": "fields have their documented JSON types and values (object == 'response', id not empty)",
    "response.status": "status is one the SDK knows: completed, failed, in_progress, cancelled, queued, incomplete",
    "response.status_consistency": "completed: no error or incomplete_details; incomplete: a reason; failed: an error",
    "response.output_item": "items have a string type; message, function_call and reasoning items are well formed",
    "response.annotation": "url_citation and container_file_citation annotations have their fields and indices inside the text",
    "response.arguments_json": "a finished function_call's arguments parse as JSON",
    "response.output_text": "an output_text field equals the concatenated output_text parts",
    "response.usage": "token counts are non-negative, add up, and the details fit inside the totals",
    "response.timestamp": "created_at/completed_at are Unix seconds (2020 to a day from now), completed_at not before created_at",
    "wire.integer_timestamp": "on the raw wire (not an SDK dump), created_at/completed_at are JSON integers, never floats",
    "response.content_filters": "an array content_filters holds annotations: blocked, source_type, typed results and offsets",
    "response.content_filter": "an answer the output filter stopped is incomplete (reason content_filter) and annotated as blocked",
    "error.content_filter": "a prompt the filter blocks gets HTTP 400 with code content_filter and param prompt",
    "response.reasoning_tokens": "a response with reasoning summary or text counts reasoning_tokens above 0",
    # check_against_request (the request is known: conformance.client.wiretap, expect.conformant_response)
    "request.max_output_tokens": "output_tokens stay within the request's max_output_tokens, which the response echoes",
    "request.tool_choice": "tool_choice none calls no tool; required, a named tool or allowed_tools are obeyed",
    "request.max_tool_calls": "the response makes no more built-in tool calls than max_tool_calls",
    "request.include": "included code_interpreter_call.outputs and web_search_call.action.sources are present",
    # conformance.checks.surface
    "compaction.shape": "a /responses/compact result has object 'response.compaction', an id, an output array and usage",
    "compaction.item": "compacted output is user messages then exactly one compaction item (non-empty encrypted_content), last",
    "logprobs.shape": "each logprob has a string token, a finite logprob <= 0 and bytes that encode the token",
    "logprobs.top": "each logprob has 1 to top_logprobs alternatives",
    "logprobs.text": "the logprobs' tokens concatenate to the output_text part's text",
    "service_tier.served": "the response reports the tier that served it: default for auto/default, else the one asked for",
    "prompt_cache.hit": "a repeated long prefix is billed as cached_tokens: >= 1024, in 128-token steps, within input_tokens",
    # check_stream
    "stream.empty": "the stream has at least one event",
    "stream.event_shape": "each event is a JSON object with a string type",
    "stream.event_field": "the fields an event type needs are present with the right JSON types",
    "stream.sequence": "sequence_number starts at the expected number and rises by exactly one",
    "stream.start": "a fresh stream starts with response.created (or response.queued in background mode)",
    "stream.lifecycle": "created/queued/in_progress come once each, queued before in_progress, all before any item",
    "stream.response_id": "every response snapshot in the stream has the same id",
    "stream.response_status": "a snapshot's status fits its event (created: in_progress or queued; completed: completed...)",
    "stream.item_order": "output_item.added opens each output_index once, in order",
    "stream.item_ref": "events with output_index/item_id point at an item that was added, with its id",
    "stream.item_closed": "no event refers to an item after its output_item.done",
    "stream.item_pairing": "every added item is done (same id and type) before completed/incomplete",
    "stream.part_order": "parts open one at a time, in index order; deltas go to an open part before its .done",
    "stream.part_type": "deltas and parts fit their container (output_text into output_text parts, summaries in reasoning)",
    "stream.done_missing": "a part or function call that had deltas gets its .done event before it closes",
    "stream.delta_concat": "the deltas concatenate to the .done text/arguments",
    "stream.done_text": "part.done and output_item.done repeat the text the deltas built",
    "stream.terminal": "exactly one terminal event (completed/incomplete/failed) or an error event (maybe then response.failed), and it is last",
    "stream.usage": "a streamed completed/incomplete response carries its usage (background streams excepted)",
    "stream.final_output": "the terminal response's output has the streamed items: count, ids, types and texts",
    "stream.content_filters": "no stream snapshot before the terminal event carries content_filters",
    "stream.error_event": "an error event carries a code or message string (and param/code are string or null)",
    # the wire itself (conformance.client.wiretap sees headers and raw SSE frames)
    "wire.content_type": "a streamed (stream=true) 2xx reply is served as text/event-stream",
    "wire.done_frame": "a Responses stream sends no `data: [DONE]` frame (that is chat completions)",
    "wire.sse_data": "every SSE data line of a Responses stream is a JSON object",
}
