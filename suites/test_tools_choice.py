"""tool_choice and max_tool_calls: what the model may call, whether it must, and how often.

OpenAI API reference, responses.create: `tool_choice` is `auto`, `none`, `required`, a named
tool, or `{"type": "allowed_tools", "mode": "auto"|"required", "tools": [...]}`;
`max_tool_calls` caps the built-in tool calls of one response.
"""

import pytest

from conformance.harness import expect

WEATHER = {"type": "function", "name": "get_weather", "description": "Current weather in a city.",
           "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"],
                          "additionalProperties": False}, "strict": True}
TIME = {"type": "function", "name": "get_time", "description": "Current local time in a city.",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"],
                       "additionalProperties": False}, "strict": True}
QUESTION = "What's the weather like in London today?"


def calls(response):
    return [item for item in response.output if item.type in ("function_call", "custom_tool_call", "web_search_call")]


@pytest.mark.feature("tools.tool_choice.required")
def test_tool_choice_required_makes_the_model_call_a_tool(client, target, created):
    request = dict(model=target.deployment, input="Hello there!", tools=[WEATHER], tool_choice="required")
    response = client.responses.create(**request)

    expect.conformant_response(response, request)
    assert [c.name for c in calls(response)] == ["get_weather"]
    assert response.tool_choice == "required"


@pytest.mark.feature("tools.tool_choice.none")
def test_tool_choice_none_answers_in_text_though_a_tool_fits(client, target, created):
    request = dict(model=target.deployment, input=QUESTION, tools=[WEATHER], tool_choice="none", max_output_tokens=64)
    response = client.responses.create(**request)

    expect.conformant_response(response, request)
    assert not calls(response) and response.output_text
    assert response.tool_choice == "none"


@pytest.mark.feature("tools.tool_choice.allowed_tools")
def test_allowed_tools_limits_the_calls_to_the_listed_tools(client, target, created):
    choice = {"type": "allowed_tools", "mode": "required", "tools": [{"type": "function", "name": "get_time"}]}
    request = dict(model=target.deployment, input=QUESTION, tools=[WEATHER, TIME], tool_choice=choice)
    response = client.responses.create(**request)

    expect.conformant_response(response, request)
    assert [c.name for c in calls(response)] == ["get_time"], "only the allowed tool is called"


@pytest.mark.feature("tools.max_tool_calls")
def test_max_tool_calls_caps_the_built_in_calls(client, target, created):
    request = dict(model=target.deployment, input="Search the web: what is the speed of light? How high is Mount Everest?",
                   tools=[{"type": "web_search"}], max_tool_calls=1)
    response = client.responses.create(**request)

    expect.conformant_response(response, request)
    searches = [c for c in calls(response) if c.type == "web_search_call"]
    assert len(searches) == 1, f"max_tool_calls=1 allows one search, got {len(searches)}"
    assert response.max_tool_calls == 1
