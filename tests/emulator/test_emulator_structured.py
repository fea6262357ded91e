"""Structured outputs: strict-schema refusals, and output that validates against the schema."""

from __future__ import annotations

import json

import jsonschema
import pytest
from emu_support import create, error_of, text_of

from emulator.engine import schema
CALENDAR = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "date": {"type": "string"}, "participants": {"type": "array", "items": {"type": "string"}}},
    "required": ["name", "date", "participants"],
    "additionalProperties": False,
}  # fmt: skip
NESTED = {
    "type": "object",
    "properties": {
        "kind": {"type": "string", "enum": ["a", "b"]},
        "count": {"type": "integer"}, "ratio": {"type": "number"}, "ok": {"type": "boolean"},
        "maybe": {"type": ["string", "null"]},
        "tree": {"$ref": "#/$defs/node"},
    },
    "required": ["kind", "count", "ratio", "ok", "maybe", "tree"],
    "additionalProperties": False,
    "$defs": {"node": {"type": "object", "properties": {"label": {"type": "string"},
              "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}},
              "required": ["label", "children"], "additionalProperties": False}},
}  # fmt: skip


def _fmt(s, strict=True):
    return {"format": {"type": "json_schema", "name": "calendar_event", "schema": s, "strict": strict}}


@pytest.mark.parametrize("s", [CALENDAR, NESTED], ids=["calendar", "nested"])
def test_output_validates_against_the_schema(client, s):
    r = create(client, input="Alice and Bob are going to a science fair on Friday.", text=_fmt(s))
    assert r.status_code == 200, r.text
    value = json.loads(text_of(r.json()))
    jsonschema.validate(value, s)
    assert r.json()["text"]["format"]["name"] == "calendar_event"


@pytest.mark.parametrize(
    "broken, fragment",
    [
        ({**CALENDAR, "additionalProperties": True}, "'additionalProperties' is required to be supplied and to be false"),
        ({**CALENDAR, "required": ["name"]}, "Missing 'date'"),
        ({**CALENDAR, "properties": {**CALENDAR["properties"], "name": {"type": "string", "minLength": 1}}}, "'minLength' is not permitted"),
        ({"type": "array", "items": {"type": "string"}}, "type: \"object\""),
        ({"anyOf": [CALENDAR]}, "anyOf"),
    ],
    ids=["additional", "required", "keyword", "root-array", "root-anyof"],
)  # fmt: skip
def test_strict_mode_refuses_a_bad_schema(client, broken, fragment):
    r = create(client, input="x", text=_fmt(broken))
    assert r.status_code == 400
    error = error_of(r)
    assert error["code"] == "invalid_json_schema" and error["param"] == "text.format.schema"
    assert error["message"].startswith("Invalid schema for response_format 'calendar_event': ")
    assert fragment in error["message"]


def test_non_strict_schema_is_not_checked(client):
    r = create(client, input="x", text=_fmt({**CALENDAR, "additionalProperties": True}, strict=False))
    assert r.status_code == 200


def test_instance_is_deterministic():
    assert schema.instance(NESTED, "Alice") == schema.instance(NESTED, "Alice")


def test_fields_are_read_from_the_users_sentence():
    # The seed's structured-outputs sample: the event, its day and the people in it, not the prompt's first words.
    event = schema.instance(CALENDAR, "Extract the event information.", "Alice and Bob are going to a science fair on Friday.")
    assert event == {"name": "science fair", "date": "Friday", "participants": ["Alice", "Bob"]}


def test_a_sentence_without_the_fields_falls_back_to_valid_words():
    event = schema.instance(CALENDAR, "Extract the event information.", "nothing here")
    jsonschema.validate(event, CALENDAR)
    assert event["participants"] != ["Alice", "Bob"] and event["date"] != "Friday"
