"""Function calling: the seed's two round trips, previous_response_id, tool_choice, parallel calls.

Seed: responses-function-weather-aoai*.py (the flat, strict `get_weather` tool, then the
whole input replayed with the function_call and its function_call_output).
"""

import json

import jsonschema
import pytest

from conformance.harness import contracts, items, of_type, text_of
WEATHER_SCHEMA = {
    "type": "object",
    "properties": {"latitude": {"type": "number"}, "longitude": {"type": "number"}},
    "required": ["latitude", "longitude"],
    "additionalProperties": False,
}
GET_WEATHER = {
    "type": "function",
    "name": "get_weather",
    "description": "Get current temperature for provided coordinates in celsius.",
    "parameters": WEATHER_SCHEMA,
    "strict": True,
}
TIME_SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
    "additionalProperties": False,
}
GET_TIME = {
    "type": "function",
    "name": "get_time",
    "description": "Get the current local time in a city.",
    "parameters": TIME_SCHEMA,
    "strict": True,
}
QUESTION = [{"role": "user", "content": "What's the weather like in London today?"}]
TEMPERATURE = "14.2"
#: A question that wants both functions at once.
BOTH = [{"role": "user", "content": "What are the weather and the local time in London right now?"}]
SCHEMAS = {"get_weather": WEATHER_SCHEMA, "get_time": TIME_SCHEMA}


def replayable(call):
    """The function_call item as the seed appends it to the next input."""
    return {"type": "function_call", "id": call.id, "call_id": call.call_id, "name": call.name,
            "arguments": call.arguments, "status": call.status}


def valid_call(call, name, schema):
    assert call.name == name
    assert call.call_id, "a function_call needs a call_id to answer"
    jsonschema.validate(json.loads(call.arguments), schema)


@pytest.mark.feature("tools.function")
def test_function_call_round_trip_replaying_the_whole_input(client, target, created):
    first = client.responses.create(model=target.deployment, input=QUESTION, tools=[GET_WEATHER], tool_choice="required")

    [call] = items(first, "function_call")
    valid_call(call, "get_weather", WEATHER_SCHEMA)
    assert first.tools[0].type == "function" and first.tools[0].strict is True

    second = client.responses.create(
        model=target.deployment,
        input=[*QUESTION, replayable(call), {"type": "function_call_output", "call_id": call.call_id, "output": TEMPERATURE}],
        tools=[GET_WEATHER],
        max_output_tokens=64,
    )

    assert not items(second, "function_call")
    assert TEMPERATURE in second.output_text


@pytest.mark.feature("tools.function")
def test_function_call_output_continues_with_previous_response_id(client, target, created):
    first = client.responses.create(model=target.deployment, input=QUESTION, tools=[GET_WEATHER], tool_choice="required")
    [call] = items(first, "function_call")

    second = client.responses.create(
        model=target.deployment,
        previous_response_id=first.id,
        input=[{"type": "function_call_output", "call_id": call.call_id, "output": TEMPERATURE}],
        tools=[GET_WEATHER],
        max_output_tokens=64,
    )

    assert second.previous_response_id == first.id
    assert TEMPERATURE in second.output_text


@pytest.mark.feature("tools.function")
def test_tool_choice_forces_the_named_function(client, target, created):
    response = client.responses.create(
        model=target.deployment,
        input=QUESTION,
        tools=[GET_WEATHER, GET_TIME],
        tool_choice={"type": "function", "name": "get_time"},
    )

    calls = items(response, "function_call")
    assert calls, "tool_choice named a function, but none was called"
    for call in calls:
        valid_call(call, "get_time", TIME_SCHEMA)


@pytest.mark.feature("tools.function")
def test_parallel_function_calls_answer_each_call_id(client, target, created):
    first = client.responses.create(
        model=target.deployment, input=BOTH, tools=[GET_WEATHER, GET_TIME], tool_choice="required",
        parallel_tool_calls=True,
    )

    calls = items(first, "function_call")
    assert {c.name for c in calls} == {"get_weather", "get_time"}, f"expected both functions, got {[c.name for c in calls]}"
    assert len({c.call_id for c in calls}) == len(calls), "call_ids must be distinct"

    outputs = {"get_weather": TEMPERATURE, "get_time": "09:41"}
    second = client.responses.create(
        model=target.deployment,
        previous_response_id=first.id,
        input=[{"type": "function_call_output", "call_id": c.call_id, "output": outputs[c.name]} for c in calls],
        tools=[GET_WEATHER, GET_TIME],
        max_output_tokens=64,
    )

    assert TEMPERATURE in second.output_text and "09:41" in second.output_text


@pytest.mark.feature("tools.function")
def test_parallel_tool_calls_false_makes_at_most_one_call(client, target, created):
    response = client.responses.create(
        model=target.deployment, input=BOTH, tools=[GET_WEATHER, GET_TIME], tool_choice="required",
        parallel_tool_calls=False,
    )

    assert response.parallel_tool_calls is False
    contracts.at_most(response.output, "function_call", 1, "parallel_tool_calls=false")
    [call] = items(response, "function_call")  # tool_choice="required": one call, not none
    valid_call(call, call.name, SCHEMAS[call.name])


@pytest.mark.feature("tools.function")
def test_streamed_function_call_arguments_add_up_to_the_call(client, target, created):
    events = list(client.responses.create(
        model=target.deployment, input=QUESTION, tools=[GET_WEATHER], tool_choice="required", stream=True
    ))
    final = events[-1].response

    [call] = items(final, "function_call")
    deltas = text_of(events, "response.function_call_arguments.delta")
    [done] = of_type(events, "response.function_call_arguments.done")
    assert deltas == done.arguments == call.arguments
    valid_call(call, "get_weather", WEATHER_SCHEMA)
