"""No cassette holds the MCP tool's bearer token or the local MCP server's real address."""

import re
from pathlib import Path

from fixtures.mcp_server import PLACEHOLDER_ORIGIN, TOKEN

CASSETTES = Path(__file__).resolve().parents[2] / "cassettes"


def test_no_cassette_contains_the_mcp_token_or_a_loopback_mcp_url():
    offenders = []
    for path in CASSETTES.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if TOKEN in text or re.search(r"https?://(127\.0\.0\.1|localhost)[:/]", text):
            offenders.append(str(path.relative_to(CASSETTES)))
    assert not offenders, f"secrets or loopback URLs in cassettes: {offenders[:5]}"


def test_mcp_cassettes_name_the_placeholder_server():
    mcp = list((CASSETTES / "test_tools_mcp").glob("*v1-key*.yaml"))
    assert mcp, "the MCP suite has cassettes"
    assert all(f"{PLACEHOLDER_ORIGIN}/mcp" in p.read_text(encoding="utf-8") for p in mcp)
