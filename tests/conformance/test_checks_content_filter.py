"""The content-filter checks: they pass Azure's real shapes and catch each broken one."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from conformance.checks import (
    check_output_filtered,
    check_prompt_filtered,
    check_response,
    check_stream_content_filters,
)

try:  # tests/conformance may become a package
    from .streams import StreamBuilder, message_item, response_body, usage
except ImportError:
    from streams import StreamBuilder, message_item, response_body, usage  # type: ignore[no-redef]


def _entry(source: str, blocked: str | None = None) -> dict[str, Any]:
    results: dict[str, Any] = {c: {"filtered": c == blocked, "severity": "high" if c == blocked else "safe"}
                               for c in ("hate", "sexual", "violence", "self_harm")}
    for c in (("jailbreak",) if source == "prompt" else ("protected_material_text", "protected_material_code")):
        results[c] = {"filtered": c == blocked, "detected": c == blocked}
    return {"blocked": blocked is not None, "source_type": source, "content_filter_raw": [],
            "content_filter_results": results,
            "content_filter_offsets": {"start_offset": 0, "end_offset": 42, "check_offset": 0}}


#: The 2026 v1 shape of an answer the output filter stopped (public recordings of real Azure).
FILTERED = response_body("incomplete", [message_item("", status="incomplete")],
                         incomplete_details={"reason": "content_filter"}, usage=usage(0, 0),
                         content_filters=[_entry("prompt"), _entry("completion", "protected_material_text")])
#: The Responses flavour of the prompt filter's 400.
PROMPT_400 = {"error": {"message": "The response was filtered due to the prompt triggering Azure OpenAI's content "
                                   "management policy. Please modify your prompt and retry.",
                        "type": "invalid_request_error", "param": "prompt", "code": "content_filter"}}


def _with(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(body)
    *parents, last = path.split(".")
    node: Any = out
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value is _DROP:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return out


_DROP = object()
CF = "content_filters"
RESULTS = f"{CF}.1.content_filter_results"


def rules_of(violations: list[Any]) -> set[str]:
    return {v.rule for v in violations}


def test_the_real_shapes_pass() -> None:
    assert check_response(FILTERED) == []
    assert check_output_filtered(FILTERED, dated=False) == []
    assert check_output_filtered({**FILTERED, CF: None}, dated=True) == []
    assert check_output_filtered({k: v for k, v in FILTERED.items() if k != CF}, dated=True) == []
    assert check_prompt_filtered(400, PROMPT_400) == []
    # an innererror (chat completions' flavour) or categories this suite does not know are accepted
    chat = copy.deepcopy(PROMPT_400)
    chat["error"]["innererror"] = {"code": "ResponsibleAIPolicyViolation"}
    assert check_prompt_filtered(400, chat) == []
    assert check_response(_with(FILTERED, f"{RESULTS}.custom_blocklists", {"filtered": False, "details": []})) == []


ANNOTATION_CASES: list[tuple[str, dict[str, Any]]] = [
    ("entry_not_object", _with(FILTERED, f"{CF}.0", "prompt")),
    ("blocked_missing", _with(FILTERED, f"{CF}.0.blocked", _DROP)),
    ("blocked_string", _with(FILTERED, f"{CF}.1.blocked", "true")),
    ("source_type_unknown", _with(FILTERED, f"{CF}.0.source_type", "input")),
    ("results_missing", _with(FILTERED, f"{CF}.0.content_filter_results", _DROP)),
    ("results_list", _with(FILTERED, f"{CF}.0.content_filter_results", [])),
    ("severity_unknown", _with(FILTERED, f"{RESULTS}.hate.severity", "extreme")),
    ("severity_missing", _with(FILTERED, f"{RESULTS}.violence.severity", _DROP)),
    ("filtered_string", _with(FILTERED, f"{RESULTS}.sexual.filtered", "no")),
    ("detected_missing", _with(FILTERED, f"{RESULTS}.protected_material_code.detected", _DROP)),
    ("jailbreak_not_object", _with(FILTERED, f"{CF}.0.content_filter_results.jailbreak", False)),
    ("raw_string", _with(FILTERED, f"{CF}.0.content_filter_raw", "")),
    ("offsets_list", _with(FILTERED, f"{CF}.0.content_filter_offsets", [0, 1, 0])),
    ("offset_string", _with(FILTERED, f"{CF}.1.content_filter_offsets.end_offset", "42")),
]


@pytest.mark.parametrize("body", [pytest.param(b, id=n) for n, b in ANNOTATION_CASES])
def test_broken_annotations_are_caught(body: dict[str, Any]) -> None:
    assert "response.content_filters" in rules_of(check_response(body))


OUTPUT_CASES: list[tuple[str, dict[str, Any], bool]] = [
    ("completed", _with(_with(FILTERED, "status", "completed"), "incomplete_details", None), False),
    ("wrong_reason", _with(FILTERED, "incomplete_details", {"reason": "max_output_tokens"}), False),
    ("message_completed", _with(FILTERED, "output.0.status", "completed"), False),
    ("nothing_blocked", _with(FILTERED, f"{CF}.1.blocked", False), False),
    ("array_on_dated", FILTERED, True),
]


@pytest.mark.parametrize(("body", "dated"), [pytest.param(b, d, id=n) for n, b, d in OUTPUT_CASES])
def test_broken_output_filtering_is_caught(body: dict[str, Any], dated: bool) -> None:
    assert rules_of(check_output_filtered(body, dated=dated)) == {"response.content_filter"}


PROMPT_CASES: list[tuple[str, int, Any]] = [
    ("status_200", 200, PROMPT_400),
    ("status_403", 403, PROMPT_400),
    ("code_null", 400, _with(PROMPT_400, "error.code", None)),
    ("code_policy", 400, _with(PROMPT_400, "error.code", "ResponsibleAIPolicyViolation")),
    ("param_input", 400, _with(PROMPT_400, "error.param", "input")),
    ("no_message", 400, _with(PROMPT_400, "error.message", _DROP)),
    ("no_error_object", 400, {"message": "filtered"}),
    ("not_json_object", 400, "filtered"),
]


@pytest.mark.parametrize(("status", "body"), [pytest.param(s, b, id=n) for n, s, b in PROMPT_CASES])
def test_broken_prompt_refusals_are_caught(status: int, body: Any) -> None:
    assert rules_of(check_prompt_filtered(status, body)) == {"error.content_filter"}


def _stream(snapshot_filters: Any) -> list[dict[str, Any]]:
    b = StreamBuilder(content_filters=snapshot_filters).created().in_progress().message([""], status="incomplete")
    return b.incomplete("content_filter", usage=usage(0, 0), content_filters=FILTERED[CF]).events


def test_stream_annotations_only_on_the_terminal_event() -> None:
    assert check_stream_content_filters(_stream(None)) == []
    assert rules_of(check_stream_content_filters(_stream(FILTERED[CF]))) == {"stream.content_filters"}


TESTED_RULES = {"response.content_filters", "response.content_filter", "error.content_filter", "stream.content_filters"}
