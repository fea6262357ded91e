"""Code interpreter: the model writes Python, runs it in a container and answers with its output.

Azure documents it on the Responses API (learn.microsoft.com .../how-to/responses, "Code
Interpreter"): `container` is `{"type": "auto"}` or a container id, the output carries a
`code_interpreter_call` with its `container_id`, `include=["code_interpreter_call.outputs"]`
adds the logs, and files the code writes are cited in the answer.
"""

import pytest

from conformance.harness import expect

AUTO = {"type": "code_interpreter", "container": {"type": "auto"}}
OUTPUTS = ["code_interpreter_call.outputs"]
INSTRUCTIONS = "You are a helpful assistant that runs Python to answer."


def code_calls(response):
    return [item for item in response.output if item.type == "code_interpreter_call"]


@pytest.mark.feature("tools.code_interpreter")
def test_code_interpreter_runs_code_and_includes_its_logs(client, target, created):
    request = dict(model=target.deployment, input="Use Python to compute the factorial of 10.", tools=[AUTO],
                   include=OUTPUTS, instructions=INSTRUCTIONS)
    response = client.responses.create(**request)

    expect.conformant_response(response, request)
    [call] = code_calls(response)
    assert call.container_id and call.code, "a code_interpreter_call names its container and shows its code"
    logs = "".join(out.logs for out in call.outputs or [] if out.type == "logs")
    assert "3628800" in logs, f"the included logs hold what the code printed, got {logs!r}"
    assert "3628800" in response.output_text


@pytest.mark.feature("tools.code_interpreter.container")
def test_an_explicit_container_keeps_the_files_its_code_wrote(client, target, created):
    first = client.responses.create(model=target.deployment, input="Use Python to compute 17 * 23 and save the result to a file.",
                                    tools=[AUTO], instructions=INSTRUCTIONS)
    [call] = code_calls(first)
    cited = [a for item in first.output if item.type == "message" for part in item.content
             for a in getattr(part, "annotations", []) if a.type == "container_file_citation"]
    assert cited and cited[0].container_id == call.container_id and cited[0].filename, "a file the code wrote is cited"

    request = dict(model=target.deployment, input=f"Use Python: print the contents of {cited[0].filename}.",
                   tools=[{"type": "code_interpreter", "container": call.container_id}], include=OUTPUTS,
                   instructions=INSTRUCTIONS)
    again = client.responses.create(**request)
    expect.conformant_response(again, request)
    [second] = code_calls(again)
    assert second.container_id == call.container_id
    assert "391" in again.output_text, "the second call reads the file the first one saved"


@pytest.mark.feature("tools.code_interpreter.stream")
def test_code_interpreter_streams_code_then_interprets(client, target, created):
    request = dict(model=target.deployment, input="Use Python to compute 123 * 7.", tools=[AUTO], include=OUTPUTS,
                   instructions=INSTRUCTIONS, stream=True)
    events = list(client.responses.create(**request))
    final = events[-1].response

    expect.conformant_stream(events, request=request)
    kinds = [e.type for e in events if "code_interpreter" in e.type]
    assert kinds and kinds[0] == "response.code_interpreter_call.in_progress"
    assert kinds[-1] == "response.code_interpreter_call.completed"
    assert "response.code_interpreter_call.interpreting" in kinds
    code = "".join(e.delta for e in events if e.type == "response.code_interpreter_call_code.delta")
    done = [e.code for e in events if e.type == "response.code_interpreter_call_code.done"]
    assert done and code == done[0], "the code deltas add up to the code"
    assert "861" in final.output_text
