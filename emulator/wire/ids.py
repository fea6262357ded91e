"""Object ids in the service's formats (``resp_`` + 50 hex chars, ``msg_`` + 50 hex, ...)."""

from __future__ import annotations

import os

# Prefixes the OpenAI backend uses for output and input item types.
ITEM_PREFIX: dict[str, str] = {
    "message": "msg",
    "reasoning": "rs",
    "function_call": "fc",
    "function_call_output": "fco",
    "file_search_call": "fs",
    "web_search_call": "ws",
    "image_generation_call": "ig",
    "mcp_call": "mcp",
    "mcp_list_tools": "mcpl",
    "mcp_approval_request": "mcpr",
    "mcp_approval_response": "mcpa",
    "computer_call": "cu",
    "computer_call_output": "cuo",
    "code_interpreter_call": "ci",
    "custom_tool_call": "ctc",
    "custom_tool_call_output": "ctco",
    "compaction": "cmp",
}


def new_id(prefix: str) -> str:
    """``prefix`` + ``_`` + 50 random hex characters, like ``resp_0a1b…``.

    Current Azure traffic (2026 recordings) carries 50 hex characters after the prefix; older
    ones had 48 (docs/azure-wire-details.md).
    """
    return f"{prefix}_{os.urandom(25).hex()}"


def response_id() -> str:
    return new_id("resp")


def item_id(item_type: str) -> str:
    """An id for an item of ``item_type`` (``msg_…`` for messages)."""
    return new_id(ITEM_PREFIX.get(item_type, "item"))
