"""Tools as the service echoes them: what the client sent, with the service's defaults filled in.

Real Azure and OpenAI bodies (2025-2026 recordings published as SDK test cassettes, see
docs/azure-wire-details.md) never echo a tool exactly as sent: a function tool comes back with
``strict`` (default true, per OpenAI's FunctionTool reference
https://platform.openai.com/docs/api-reference/responses/create), ``file_search`` with its
``filters``, ``max_num_results`` and ``ranking_options``, and ``web_search_preview`` with its
content types, context size and location. Clients such as the Open Responses compliance CLI
depend on those members being present.
"""

from __future__ import annotations

import copy
from typing import Any, Callable

FILE_SEARCH_MAX_RESULTS = 20
"""The default ``max_num_results`` the service fills in (the documented maximum is 50)."""


def _function(tool: dict[str, Any]) -> dict[str, Any]:
    out = {"type": "function", "description": None, "name": tool.get("name"), "parameters": None, "strict": True}
    out.update({k: v for k, v in tool.items() if v is not None or k not in out})
    if out.get("strict") is None:
        out["strict"] = True
    return out


def _file_search(tool: dict[str, Any]) -> dict[str, Any]:
    ranking = {"ranker": "auto", "score_threshold": 0.0, **(tool.get("ranking_options") or {})}
    out = {"type": "file_search", "filters": None, "max_num_results": FILE_SEARCH_MAX_RESULTS, **tool}
    out["ranking_options"] = ranking
    if out.get("max_num_results") is None:
        out["max_num_results"] = FILE_SEARCH_MAX_RESULTS
    return out


def _web_search(tool: dict[str, Any]) -> dict[str, Any]:
    location = {"type": "approximate", "city": None, "country": "US", "region": None, "timezone": None}
    out = {"type": tool["type"], "search_content_types": ["text", "image"], "search_context_size": "medium", **tool}
    out["user_location"] = {**location, **(tool.get("user_location") or {})}
    if out.get("search_context_size") is None:
        out["search_context_size"] = "medium"
    return out


_DEFAULTS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "function": _function,
    "file_search": _file_search,
    "web_search_preview": _web_search,
    "web_search_preview_2025_03_11": _web_search,
}


def tool_echo(tool: dict[str, Any]) -> dict[str, Any]:
    """``tool`` as the Response's ``tools`` array carries it (a copy: the request stays as sent)."""
    fill = _DEFAULTS.get(str(tool.get("type")))
    return fill(copy.deepcopy(tool)) if fill else tool
