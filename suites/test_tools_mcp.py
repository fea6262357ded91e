"""Remote MCP: tools listed and called on a real MCP server, allowed_tools, headers, approvals.

Seed: responses-mcp-aoai-v1.py (`require_approval: "never"`); the approval flow is
learn.microsoft.com/azure/foundry/openai/how-to/responses. The emulator and live runs call the suite's own MCP server on loopback
(conformance/pytest_plugin/fixtures/mcp_server.py), which checks the bearer token sent in the tool's `headers`.
v1-only on Azure (learn.microsoft.com/azure/foundry/openai/api-version-lifecycle): on dated api-versions the verdict is `unsupported`.
"""

import openai
import pytest

from conformance.harness import contracts, expect, items, text_of
ADD = "Use the add tool to add 2 and 3."
ECHO = 'Use the echo tool to echo "conformance"'


def mcp_tool(server, **options):
    return {"type": "mcp", "server_label": "conformance", "server_url": server.url, "headers": server.headers, **options}


def needs_local(server):
    if not server.local:
        pytest.skip("not applicable: needs the suite's own MCP server (tools add and echo)")


@pytest.mark.feature("tools.mcp")
def test_mcp_lists_the_server_tools_and_returns_the_call_output(client, target, created, mcp_server):
    response = client.responses.create(model=target.deployment, input=ADD, tools=[mcp_tool(mcp_server, require_approval="never")])

    [listing] = items(response, "mcp_list_tools")
    assert listing.server_label == "conformance" and listing.tools
    calls = items(response, "mcp_call")
    assert calls and calls[0].server_label == "conformance"
    if mcp_server.local:
        assert {t.name for t in listing.tools} == {"add", "echo"}
        assert calls[0].name == "add" and calls[0].output == "5"
        assert "5" in response.output_text


@pytest.mark.feature("tools.mcp")
def test_mcp_over_http_sse_lists_and_calls_the_server_tools(client, target, created, mcp_server):
    # The seed's MCP server URL ends in /sse: the older HTTP+SSE transport, which the service also speaks.
    needs_local(mcp_server)
    tool = {**mcp_tool(mcp_server, require_approval="never"), "server_url": mcp_server.sse_url}
    response = client.responses.create(model=target.deployment, input=ADD, tools=[tool])

    [listing] = items(response, "mcp_list_tools")
    assert {t.name for t in listing.tools} == {"add", "echo"}
    [call] = items(response, "mcp_call")
    assert call.name == "add" and call.output == "5" and call.error is None


@pytest.mark.feature("tools.mcp")
def test_mcp_allowed_tools_limits_what_is_listed_and_called(client, target, created, mcp_server):
    needs_local(mcp_server)
    response = client.responses.create(
        model=target.deployment, input=ECHO, tools=[mcp_tool(mcp_server, require_approval="never", allowed_tools=["echo"])]
    )

    [listing] = items(response, "mcp_list_tools")
    assert [t.name for t in listing.tools] == ["echo"]
    [call] = items(response, "mcp_call")
    assert call.name == "echo" and call.output == "conformance"


@pytest.mark.feature("tools.mcp")
def test_mcp_server_refusing_the_call_is_a_failed_dependency(client, target, mcp_server):
    needs_local(mcp_server)
    tool = mcp_tool(mcp_server, require_approval="never", headers={"Authorization": "Bearer wrong-token"})

    with pytest.raises(openai.APIStatusError) as refused:
        client.responses.create(model=target.deployment, input=ADD, tools=[tool])

    if refused.value.status_code != 424:
        raise refused.value  # e.g. the tool refused on this api-version: the verdict decides
    error = expect.azure_error(refused.value, 424)
    assert "conformance" in error["message"], "the error names the server_label"


def answer_approval(client, target, created, tool, first, request, *, approve):
    """The follow-up turn that approves or denies `request` (previous_response_id + mcp_approval_response)."""
    second = client.responses.create(
        model=target.deployment,
        previous_response_id=first.id,
        input=[{"type": "mcp_approval_response", "approve": approve, "approval_request_id": request.id}],
        tools=[tool],
    )
    return second


@pytest.mark.feature("tools.mcp.approval")
def test_mcp_approval_request_then_approved_call(client, target, created, mcp_server):
    needs_local(mcp_server)
    tool = mcp_tool(mcp_server, require_approval="always")
    first = client.responses.create(model=target.deployment, input=ADD, tools=[tool])

    [request] = items(first, "mcp_approval_request")
    assert request.name == "add" and not items(first, "mcp_call")

    second = answer_approval(client, target, created, tool, first, request, approve=True)

    [call] = items(second, "mcp_call")
    assert call.name == "add" and call.output == "5"
    contracts.approval_linked(call, request.id)  # read from the wire: the SDK models it from 2.0.1


@pytest.mark.feature("tools.mcp.approval")
def test_mcp_denied_approval_calls_nothing(client, target, created, mcp_server):
    needs_local(mcp_server)
    tool = mcp_tool(mcp_server, require_approval="always")
    first = client.responses.create(model=target.deployment, input=ADD, tools=[tool])
    [request] = items(first, "mcp_approval_request")

    second = answer_approval(client, target, created, tool, first, request, approve=False)

    assert not items(second, "mcp_call")
    assert second.output_text


@pytest.mark.feature("tools.mcp")
def test_streamed_mcp_call_reports_listing_arguments_and_completion(client, target, created, mcp_server):
    needs_local(mcp_server)
    events = list(client.responses.create(
        model=target.deployment, input=ADD, tools=[mcp_tool(mcp_server, require_approval="never")], stream=True
    ))
    final = events[-1].response

    types = [e.type for e in events]
    for expected in ("response.mcp_list_tools.completed", "response.mcp_call_arguments.done", "response.mcp_call.completed"):
        assert expected in types, f"{expected} missing from the stream"
    [call] = items(final, "mcp_call")
    assert call.output == "5"
    deltas = text_of(events, "response.mcp_call_arguments.delta")
    assert deltas == call.arguments
