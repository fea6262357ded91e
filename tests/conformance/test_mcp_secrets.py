"""No cassette holds the MCP tool's bearer token or the local MCP server's real address."""

import re
from pathlib import Path

from conformance.pytest_plugin.fixtures.mcp_server import PLACEHOLDER_ORIGIN, TOKEN

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"


def test_no_cassette_contains_the_mcp_token():
    offenders = [str(p.relative_to(CASSETTES)) for p in CASSETTES.rglob("*.yaml") if TOKEN in p.read_text(encoding="utf-8")]
    assert not offenders, f"the MCP token is in cassettes: {offenders[:5]}"


def test_no_mcp_cassette_names_the_local_server_address():
    loopback = re.compile(r"https?://(127\.0\.0\.1|localhost)[:/]")
    offenders = [p.name for p in (CASSETTES / "test_tools_mcp").glob("*.yaml") if loopback.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"loopback MCP URLs in cassettes: {offenders[:5]}"


def test_mcp_cassettes_name_the_placeholder_server():
    mcp = list((CASSETTES / "test_tools_mcp").glob("*v1-key*.yaml"))
    assert mcp, "the MCP suite has cassettes"
    # Streamable HTTP at /mcp; the HTTP+SSE case names /sse on the same placeholder origin.
    assert all(f"{PLACEHOLDER_ORIGIN}/mcp" in p.read_text(encoding="utf-8") or f"{PLACEHOLDER_ORIGIN}/sse" in p.read_text(encoding="utf-8") for p in mcp)
    assert any(f"{PLACEHOLDER_ORIGIN}/sse" in p.read_text(encoding="utf-8") for p in mcp), "the SSE case is recorded"
