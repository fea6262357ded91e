"""Probes for tools Azure long refused and then began to offer: web search, code interpreter.

Each test asks for the tool; the verdict says which: `supported` with the tool's output item,
or `unsupported` with Azure's refusal as evidence (learn.microsoft.com/azure/foundry/openai/how-to/web-search and learn.microsoft.com/azure/foundry/openai/how-to/responses).
"""

import pytest

from conformance.harness import items


@pytest.mark.feature("tools.web_search")
def test_web_search_answers_with_a_web_search_call_and_url_citations(client, target, created):
    response = client.responses.create(
        model=target.deployment,
        input="Search the web: what is the tallest building in the world?",
        tools=[{"type": "web_search"}],
        include=["web_search_call.action.sources"],
    )

    assert len(items(response, "web_search_call")) == 1
    annotations = [a for item in response.output if item.type == "message" for part in item.content
                   for a in getattr(part, "annotations", [])]
    assert any(a.type == "url_citation" and a.url for a in annotations), "a web search answer cites its sources"


@pytest.mark.feature("tools.code_interpreter")
def test_code_interpreter_runs_code_in_a_container(client, target, created):
    response = client.responses.create(
        model=target.deployment,
        input="Use Python to compute 123 * 7 and tell me the result.",
        tools=[{"type": "code_interpreter", "container": {"type": "auto"}}],
        include=["code_interpreter_call.outputs"],
        instructions="You are a helpful assistant that runs Python to answer.",
    )

    calls = items(response, "code_interpreter_call")
    assert len(calls) >= 1, f"expected a code_interpreter_call, got {[i.type for i in response.output]}"
    assert calls[0].container_id and calls[0].code
    assert "861" in response.output_text
