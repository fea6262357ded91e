"""Loopback stand-ins for the public hosts the seed's samples make the *service* reach.

The MCP samples name Microsoft Learn's MCP server (https://learn.microsoft.com/api/mcp) and
the image-URL samples a Wikimedia photo; the real service fetches both, the emulator cannot
(no internet). One local server plays both origins, and the emulator is started with
``--outbound`` routes to it (emulator.state.outbound), so the samples run unmodified:

- ``/api/mcp``: a real MCP server (the ``mcp`` package, Streamable HTTP) with one tool,
  ``microsoft_docs_search(query)``, answering with a short passage about Azure AI Search and the
  address of its quickstart, in the shape Learn's server uses (title, content, contentUrl);
- ``/wikipedia/commons/...``: a JPEG made here (red, 320x240), for any path.

The passages are written for this stand-in; they are not copies of Learn's pages.
"""

from __future__ import annotations

import io
import json
from typing import Any

QUICKSTART = "https://learn.microsoft.com/azure/search/search-get-started-portal"
PASSAGES = [
    {
        "title": "What is Azure AI Search?",
        "content": "Azure AI Search is a cloud search service that indexes your content for full-text, vector and "
                   "hybrid retrieval, for search apps and for grounding generative AI.",
        "contentUrl": "https://learn.microsoft.com/azure/search/search-what-is-azure-search",
    },
    {
        "title": "Quickstart: create a search index in the Azure portal",
        "content": "This quickstart creates an index with the import data wizard, then queries it in Search explorer.",
        "contentUrl": QUICKSTART,
    },
]
PUBLIC_ORIGINS = ("https://learn.microsoft.com", "https://upload.wikimedia.org")


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (220, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


class StandIns:
    """The server thread; :attr:`origin` is its loopback origin once started."""

    def __init__(self) -> None:
        self.origin = ""
        self._server: Any = None

    def routes(self) -> list[str]:
        """``--outbound`` values for the emulator."""
        return [f"{public}={self.origin}" for public in PUBLIC_ORIGINS]

    def __enter__(self) -> StandIns:
        from conformance.pytest_plugin.fixtures.loopback import ThreadServer
        from mcp.server.mcpserver import MCPServer

        server = MCPServer("microsoft-learn-stand-in")

        @server.tool()
        def microsoft_docs_search(query: str) -> str:
            """Search Microsoft's documentation (stand-in): passages with title, content and contentUrl."""
            return json.dumps(PASSAGES)

        mcp_app = server.streamable_http_app(stateless_http=True, json_response=True)
        image = _jpeg()

        async def app(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http" and scope["path"].startswith("/wikipedia/"):
                await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"image/jpeg")]})
                await send({"type": "http.response.body", "body": image})
                return
            if scope["type"] == "http" and scope["path"].rstrip("/") == "/api/mcp":
                scope = {**scope, "path": "/mcp"}
            await mcp_app(scope, receive, send)

        self._server = ThreadServer(app, "stand-in server")
        self.origin = self._server.start()
        return self

    def __exit__(self, *_: object) -> None:
        if self._server is not None:
            self._server.stop()
