"""Azure's ``content_filters`` annotations on a response, in the shape real 2026 v1 traffic shows."""

from __future__ import annotations

from typing import Any

from emulator.state.content_filter import COMPLETION_DETECTIONS, HARM_CATEGORIES, PROMPT_DETECTIONS


def _entry(source: str, length: int, blocked: str | None) -> dict[str, Any]:
    detections = PROMPT_DETECTIONS if source == "prompt" else COMPLETION_DETECTIONS
    results: dict[str, Any] = {
        c: {"filtered": c == blocked, "severity": "high" if c == blocked else "safe"} for c in HARM_CATEGORIES
    }
    results.update({c: {"filtered": c == blocked, "detected": c == blocked} for c in detections})
    return {
        "blocked": blocked is not None,
        "source_type": source,
        "content_filter_raw": [],
        "content_filter_results": results,
        "content_filter_offsets": {"start_offset": 0, "end_offset": length, "check_offset": 0},
    }


def annotations(v1: bool, prompt_chars: int, completion_chars: int, blocked: str | None = None) -> list[dict[str, Any]] | None:
    """Azure's top-level ``content_filters`` of a finished response.

    Public recordings of real traffic: null on the dated api-versions (and on v1 up to Dec 2025);
    on 2026 v1 an array of one prompt and one completion entry, ``blocked`` with the category
    ``filtered`` when the output filter stopped the answer (``blocked``: that category).
    """
    if not v1:
        return None
    return [_entry("prompt", prompt_chars, None), _entry("completion", completion_chars, blocked)]
