"""Property: no request body makes the emulator answer 5xx (bad input gets 4xx)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.wire.request import KNOWN_FIELDS

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
field_names = st.sampled_from(sorted(KNOWN_FIELDS)) | st.sampled_from(["role", "content", "type", "x"])
part = st.fixed_dictionaries(
    {"type": st.sampled_from(["input_text", "output_text", "input_image", "input_file", "refusal", "x"])},
    optional={
        "text": json_values,
        "image_url": json_values,
        "file_id": json_values,
        "detail": st.sampled_from(["low", "high", "auto", "bogus"]),
        "refusal": json_values,
    },
)
message = st.fixed_dictionaries(
    {
        "role": st.sampled_from(["user", "assistant", "system", "robot"]),
        "content": json_values | st.text(max_size=30) | st.lists(part, max_size=3),
    },
    optional={"type": st.sampled_from(["message", "function_call_output", "item_reference", "reasoning"]), "id": json_values},
)
bodies = st.dictionaries(field_names, json_values, max_size=6).map(lambda d: {"model": "gpt-4o", **d}) | st.fixed_dictionaries(
    {"model": st.sampled_from(["gpt-4o", "o4-mini", "nope", ""]), "input": st.lists(message, max_size=3) | json_values}
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_no_body_causes_a_server_error(client, body):
    r = client.post("/openai/v1/responses", json=body)
    assert r.status_code < 500, (body, r.text)
    assert "error" in r.json() or r.json()["object"] == "response"
