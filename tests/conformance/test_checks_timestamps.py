"""The raw-wire integer-timestamp rule: floats are caught, integers pass, non-objects are left alone."""

from __future__ import annotations

import pytest

from conformance.checks import RULES, check_integer_timestamps, check_stream_timestamps


def test_the_rule_is_registered() -> None:
    assert "wire.integer_timestamp" in RULES


@pytest.mark.parametrize("key", ["created_at", "completed_at"])
def test_a_float_timestamp_is_a_violation(key: str) -> None:
    found = check_integer_timestamps({key: 1741369938.0}, where="body")
    assert [(v.where, v.rule) for v in found] == [(f"body.{key}", "wire.integer_timestamp")]


@pytest.mark.parametrize("body", [{"created_at": 1741369938, "completed_at": None}, {"created_at": 1741369938}, ["x"]])
def test_integers_null_and_other_shapes_pass(body: object) -> None:
    assert check_integer_timestamps(body) == []


def test_every_snapshot_of_a_stream_is_checked() -> None:
    events = [
        {"type": "response.created", "response": {"created_at": 1741369938}},
        {"type": "response.output_text.delta", "delta": "x"},
        {"type": "response.completed", "response": {"created_at": 1741369938, "completed_at": 1741369939.0}},
    ]
    assert [v.where for v in check_stream_timestamps(events)] == ["events[2].response.completed_at"]
