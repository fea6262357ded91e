"""Remote MCP over both transports: a real `mcp` server, called over Streamable HTTP and HTTP+SSE."""

from __future__ import annotations

import pytest
from emu_support import create, text_of

from conformance.pytest_plugin.fixtures.mcp_server import TOKEN, LocalMcpServer
from emulator.engine.tools.mcp import uses_sse


@pytest.fixture(scope="module")
def mcp_server():
    server = LocalMcpServer()
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize("transport", ["streamable-http", "sse"])
def test_the_tool_is_listed_and_called_over_each_transport(client, mcp_server, transport):
    url = mcp_server.sse_url if transport == "sse" else mcp_server.url
    tool = {"type": "mcp", "server_label": "t", "server_url": url, "require_approval": "never",
            "headers": {"Authorization": f"Bearer {TOKEN}"}}  # fmt: skip
    r = create(client, input="Use the add tool to add 2 and 3.", tools=[tool])
    assert r.status_code == 200, r.text
    call = next(i for i in r.json()["output"] if i["type"] == "mcp_call")
    assert call["output"] == "5" and "5" in text_of(r.json())


def test_a_wrong_token_over_sse_is_a_424(client, mcp_server):
    tool = {"type": "mcp", "server_label": "t", "server_url": mcp_server.sse_url, "require_approval": "never",
            "headers": {"Authorization": "Bearer wrong"}}  # fmt: skip
    assert create(client, input="Use the add tool to add 2 and 3.", tools=[tool]).status_code == 424


@pytest.mark.parametrize(("url", "sse"), [
    ("https://x.example/sse", True), ("https://x.example/sse/", True), ("https://x.example/mcp", False),
    ("https://x.example/sse/mcp", False), ("https://x.example/api/mcp?x=/sse", False),
])  # fmt: skip
def test_the_transport_follows_the_url_path(url, sse):
    assert uses_sse(url) is sse
