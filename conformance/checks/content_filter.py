"""Azure content filtering on the wire: the `content_filters` annotations and the two ways a
filter stops a request.

Public sources: the "Handle guardrails and content filtering" section of
https://learn.microsoft.com/azure/ai-foundry/openai/how-to/responses (a filtered prompt raises
`BadRequestError` with `code == "content_filter"`; annotations are read from the response's
`content_filters`), https://learn.microsoft.com/azure/ai-foundry/openai/concepts/content-filter
(categories, severities, prompt shields, protected material), openai/openai-dotnet#55 (the 400's
wording), and openai-python's `IncompleteDetails.reason` (`max_output_tokens | content_filter`).
Public recordings of real Azure Responses traffic show the rest: the Responses flavour of the 400
has `param: "prompt"` and no `innererror`; an output filter ends the response `incomplete`
(streamed: with `response.incomplete`); `content_filters` is null on the dated api-versions and
in every stream snapshot before the terminal event, and on 2026 v1 an array of
`{blocked, source_type, content_filter_raw, content_filter_results, content_filter_offsets}`.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from conformance.checks._base import BOOL, INT, STR, Violation, join, json_type

HARM_CATEGORIES = ("hate", "sexual", "violence", "self_harm")
SEVERITIES = ("safe", "low", "medium", "high")
DETECTIONS = ("jailbreak", "indirect_attack", "protected_material_text", "protected_material_code")
SOURCE_TYPES = ("prompt", "completion")
OFFSETS = ("start_offset", "end_offset", "check_offset")


def _typed(obj: Mapping[str, Any], key: str, kind: str, where: str, rule: str, *, required: bool = True) -> list[Violation]:
    if key not in obj:
        return [Violation(join(where, key), "required field is missing", rule)] if required else []
    value = obj[key]
    ok = isinstance(value, bool) if kind == BOOL else json_type(value) == kind
    return [] if ok else [Violation(join(where, key), f"expected {kind}, got {json_type(value)}", rule)]


def _check_results(results: Any, where: str, rule: str) -> list[Violation]:
    if not isinstance(results, dict):
        return [Violation(where, f"expected object, got {json_type(results)}", rule)]
    found: list[Violation] = []
    for name, result in results.items():
        at = join(where, name)
        if name not in HARM_CATEGORIES and name not in DETECTIONS:
            continue  # a category this suite does not know yet (custom blocklists, new shields)
        if not isinstance(result, dict):
            found.append(Violation(at, f"expected object, got {json_type(result)}", rule))
            continue
        found += _typed(result, "filtered", BOOL, at, rule)
        if name in HARM_CATEGORIES:
            found += _typed(result, "severity", STR, at, rule)
            if isinstance(result.get("severity"), str) and result["severity"] not in SEVERITIES:
                found.append(Violation(join(at, "severity"), f"{result['severity']!r} is not one of {', '.join(SEVERITIES)}", rule))
        else:
            found += _typed(result, "detected", BOOL, at, rule)
    return found


def check_content_filters(body: dict[str, Any], where: str = "") -> list[Violation]:
    """An array `content_filters` holds well-formed annotations (null or absent is fine here)."""
    rule = "response.content_filters"
    filters = body.get("content_filters")
    if not isinstance(filters, list):
        return []  # null/absent, or a wrong type that check_response's field rule reports
    found: list[Violation] = []
    for i, entry in enumerate(filters):
        at = join(join(where, "content_filters"), i)
        if not isinstance(entry, dict):
            found.append(Violation(at, f"expected object, got {json_type(entry)}", rule))
            continue
        found += _typed(entry, "blocked", BOOL, at, rule)
        found += _typed(entry, "source_type", STR, at, rule)
        if isinstance(entry.get("source_type"), str) and entry["source_type"] not in SOURCE_TYPES:
            found.append(Violation(join(at, "source_type"), f"{entry['source_type']!r} is not prompt or completion", rule))
        if "content_filter_results" not in entry:
            found.append(Violation(join(at, "content_filter_results"), "required field is missing", rule))
        else:
            found += _check_results(entry["content_filter_results"], join(at, "content_filter_results"), rule)
        raw = entry.get("content_filter_raw")
        if raw is not None and not isinstance(raw, list):
            found.append(Violation(join(at, "content_filter_raw"), f"expected array or null, got {json_type(raw)}", rule))
        offsets = entry.get("content_filter_offsets")
        if offsets is not None:
            if not isinstance(offsets, dict):
                found.append(Violation(join(at, "content_filter_offsets"), f"expected object, got {json_type(offsets)}", rule))
            else:
                for key in OFFSETS:
                    found += _typed(offsets, key, INT, join(at, "content_filter_offsets"), rule, required=False)
    return found


def check_prompt_filtered(status: int, body: Any) -> list[Violation]:
    """A prompt the filter blocks: HTTP 400, `error.code` content_filter, `param` prompt, a message."""
    rule = "error.content_filter"
    found: list[Violation] = []
    if status != 400:
        found.append(Violation("status", f"a filtered prompt is refused with HTTP 400, got {status}", rule))
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return [*found, Violation("error", f"expected an error object, got {json_type(error)}", rule)]
    if error.get("code") != "content_filter":
        found.append(Violation("error.code", f'expected "content_filter", got {error.get("code")!r}', rule))
    if error.get("param") != "prompt":
        found.append(Violation("error.param", f'expected "prompt", got {error.get("param")!r}', rule))
    if not isinstance(error.get("message"), str) or not error["message"]:
        found.append(Violation("error.message", "a filtered prompt's error carries a message", rule))
    return found


def check_output_filtered(body: dict[str, Any], *, dated: bool, where: str = "") -> list[Violation]:
    """A response the output filter stopped: `incomplete` for `content_filter`, its messages
    `incomplete`, and annotations that say so (v1) or none at all (dated api-versions)."""
    rule = "response.content_filter"
    found: list[Violation] = []
    details = body.get("incomplete_details")
    reason = details.get("reason") if isinstance(details, dict) else None
    if body.get("status") != "incomplete" or reason != "content_filter":
        found.append(Violation(where, f"a filtered answer ends incomplete with reason content_filter, got status "
                                      f"{body.get('status')!r}, incomplete_details {details!r}", rule))
    for i, item in enumerate(body.get("output") or []):
        if isinstance(item, dict) and item.get("type") == "message" and item.get("status") != "incomplete":
            found.append(Violation(join(join(where, "output"), i), f"a filtered message is incomplete, got status {item.get('status')!r}", rule))
    filters = body.get("content_filters")
    if dated and filters is not None:
        found.append(Violation(join(where, "content_filters"), f"null or absent on a dated api-version, got {json_type(filters)}", rule))
    if isinstance(filters, list) and not any(
        isinstance(f, dict) and f.get("source_type") == "completion" and f.get("blocked") is True for f in filters
    ):
        found.append(Violation(join(where, "content_filters"), "no completion entry says blocked: true", rule))
    return found


def check_stream_content_filters(events: list[dict[str, Any]]) -> list[Violation]:
    """Only the terminal event's response may carry `content_filters`: every snapshot before it
    says null (real Azure v1 streams; annotating a half-made answer would mislead)."""
    found: list[Violation] = []
    for i, event in enumerate(events[:-1]):
        response: Optional[Any] = event.get("response") if isinstance(event, dict) else None
        if isinstance(response, dict) and response.get("content_filters") is not None:
            found.append(Violation(f"events[{i}].response.content_filters",
                                   f"null before the terminal event, got {json_type(response['content_filters'])}",
                                   "stream.content_filters"))
    return found
