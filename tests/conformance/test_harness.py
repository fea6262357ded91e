"""The harness's stream and item helpers, and its one way of saying the SDK is too old."""

from __future__ import annotations

from types import SimpleNamespace as NS

import pytest

from conformance import harness
from conformance.outcome.verdicts import Verdict, from_exception

EVENTS = [NS(type="response.created"), NS(type="response.output_text.delta", delta="Hel"),
          NS(type="response.function_call_arguments.delta", delta="{}"), NS(type="response.output_text.delta", delta="lo")]


def test_text_of_joins_only_the_deltas_of_its_kind():
    assert harness.text_of(EVENTS) == "Hello"
    assert harness.text_of(EVENTS, "response.function_call_arguments.delta") == "{}"
    assert harness.text_of([{"type": "response.output_text.delta", "delta": "x"}, {"type": "error"}]) == "x"


def test_items_keeps_the_output_items_of_one_type_in_order():
    response = NS(output=[NS(type="message", n=1), NS(type="function_call", n=2), NS(type="function_call", n=3)])
    assert [i.n for i in harness.items(response, "function_call")] == [2, 3]
    assert harness.items({"output": [{"type": "reasoning"}]}, "reasoning") == [{"type": "reasoning"}]
    assert harness.items(NS(output=None), "message") == []


def test_an_sdk_without_a_method_is_unsupported_by_sdk_not_skipped():
    verdict, evidence = from_exception(harness.sdk_lacks("responses.parse"))
    assert verdict is Verdict.UNSUPPORTED and evidence.by == "sdk" and "responses.parse" in evidence.detail


def test_needs_sdk_stops_an_sdk_older_than_the_feature(monkeypatch):
    monkeypatch.setattr(harness, "supports", lambda minimum: False)
    with pytest.raises(harness.SdkCannotExpress, match="background"):
        harness.needs_sdk("background")
    monkeypatch.setattr(harness, "supports", lambda minimum: True)
    harness.needs_sdk("background")
