"""Custom (free-form) tools: the model sends plain-text input, not JSON arguments.

Azure documents the custom tool type (and lark grammars) for GPT-5 models
(learn.microsoft.com .../how-to/reasoning); other deployments refuse it, which the verdict
shows as `unsupported` with the refusal.
"""

import pytest

from conformance.harness import expect

SQL = {"type": "custom", "name": "run_sql", "description": "Runs one SQL query against the orders database.",
       "format": {"type": "grammar", "syntax": "lark", "definition": 'start: "SELECT " /[^;]+/'}}
ASK = 'Count the orders: call run_sql with "SELECT count(*) FROM orders"'


def custom_calls(response):
    return [item for item in response.output if item.type == "custom_tool_call"]


@pytest.mark.feature("tools.custom")
def test_a_custom_tool_is_called_with_free_form_input_and_its_output_answered(client, target, created):
    request = dict(model=target.deployment, input=ASK, tools=[SQL], tool_choice={"type": "custom", "name": "run_sql"})
    first = client.responses.create(**request)

    expect.conformant_response(first, request)
    [call] = custom_calls(first)
    assert call.name == "run_sql" and call.call_id and call.input.startswith("SELECT")

    second = client.responses.create(model=target.deployment, previous_response_id=first.id, tools=[SQL],
                                     input=[{"type": "custom_tool_call_output", "call_id": call.call_id, "output": "42"}])
    assert not custom_calls(second) and "42" in second.output_text


@pytest.mark.feature("tools.custom")
def test_a_custom_tool_input_streams_as_deltas(client, target, created):
    request = dict(model=target.deployment, input=ASK, tools=[SQL], tool_choice="required", stream=True)
    events = list(client.responses.create(**request))
    final = events[-1].response

    expect.conformant_stream(events, request=request)
    deltas = "".join(e.delta for e in events if e.type == "response.custom_tool_call_input.delta")
    done = [e.input for e in events if e.type == "response.custom_tool_call_input.done"]
    assert done and deltas == done[0] == custom_calls(final)[0].input
