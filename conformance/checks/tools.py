"""Checks of hosted and custom tool items, their citations, and the tool rules of a request.

Shapes from OpenAI's API reference (``CodeInterpreterToolCall``, ``WebSearchToolCall``,
``CustomToolCall``, ``UrlCitationBody``, ``ContainerFileCitationBody``). The request rules:
``tool_choice: "none"`` calls no tool, ``"required"``/a named tool calls one, ``allowed_tools``
calls only those listed, ``max_tool_calls`` caps the built-in calls, and an ``include`` of
``code_interpreter_call.outputs`` / ``web_search_call.action.sources`` is honoured.
"""

from __future__ import annotations

from typing import Any, Mapping

from conformance.checks._base import ARRAY, INT, NULL, OBJECT, STR, FieldSpec, Violation, check_fields, join

__all__ = ["ANNOTATION_RULE", "TOOL_ITEM_CHECKS", "check_annotations", "check_tool_rules"]

_ITEM_RULE = "response.output_item"
ANNOTATION_RULE = "response.annotation"
CHOICE_RULE = "request.tool_choice"
MAX_CALLS_RULE = "request.max_tool_calls"
INCLUDE_RULE = "request.include"
_F = FieldSpec.of

HOSTED_CALLS = frozenset({"web_search_call", "code_interpreter_call", "file_search_call", "image_generation_call",
                          "mcp_call", "computer_call"})
CLIENT_CALLS = frozenset({"function_call", "custom_tool_call"})
_TYPE_OF_CALL = {"web_search_call": "web_search", "code_interpreter_call": "code_interpreter",
                 "file_search_call": "file_search", "image_generation_call": "image_generation", "mcp_call": "mcp",
                 "function_call": "function", "custom_tool_call": "custom"}

_CODE_FIELDS = {"id": _F(STR, required=True), "status": _F(STR, required=True), "container_id": _F(STR, required=True),
                "code": _F(STR, NULL), "outputs": _F(ARRAY, NULL)}
_WEB_FIELDS = {"id": _F(STR, required=True), "status": _F(STR, required=True), "action": _F(OBJECT)}
_CUSTOM_FIELDS = {"call_id": _F(STR, required=True), "name": _F(STR, required=True), "input": _F(STR, required=True),
                  "id": _F(STR)}
_ANNOTATION_FIELDS: Mapping[str, Mapping[str, FieldSpec]] = {
    "url_citation": {"url": _F(STR, required=True), "title": _F(STR, required=True),
                     "start_index": _F(INT, required=True), "end_index": _F(INT, required=True)},
    "container_file_citation": {"container_id": _F(STR, required=True), "file_id": _F(STR, required=True),
                                "filename": _F(STR, required=True), "start_index": _F(INT, required=True),
                                "end_index": _F(INT, required=True)},
}
_OUTPUT_FIELDS: Mapping[str, Mapping[str, FieldSpec]] = {"logs": {"logs": _F(STR, required=True)},
                                                         "image": {"url": _F(STR, required=True)}}


def _check_code_interpreter(item: dict[str, Any], where: str, final: bool) -> list[Violation]:
    """A code interpreter call names its container; each output is logs{logs} or image{url}."""
    found = check_fields(item, where, _CODE_FIELDS, rule=_ITEM_RULE)
    outputs = item.get("outputs")
    for index, out in enumerate(outputs if isinstance(outputs, list) else []):
        here = join(join(where, "outputs"), index)
        kind = out.get("type") if isinstance(out, dict) else None
        if kind not in _OUTPUT_FIELDS:
            found.append(Violation(here, f"an output is logs or image, got {kind!r}", _ITEM_RULE))
            continue
        found += check_fields(out, here, _OUTPUT_FIELDS[kind], rule=_ITEM_RULE)
    return found


def _check_web_search(item: dict[str, Any], where: str, final: bool) -> list[Violation]:
    """A finished web search call has an action; a search action has a query and url sources."""
    found = check_fields(item, where, _WEB_FIELDS, rule=_ITEM_RULE)
    action = item.get("action")
    if final and item.get("status") == "completed" and not isinstance(action, dict):
        found.append(Violation(join(where, "action"), "a completed web_search_call has an action object", _ITEM_RULE))
    if isinstance(action, dict) and action.get("type") == "search":
        if not isinstance(action.get("query"), str) and not isinstance(action.get("queries"), list):
            found.append(Violation(join(where, "action"), "a search action names its query", _ITEM_RULE))
        sources = action.get("sources")
        for index, source in enumerate(sources if isinstance(sources, list) else []):
            if not (isinstance(source, dict) and isinstance(source.get("url"), str) and source["url"].startswith(("http://", "https://"))):
                found.append(Violation(join(join(join(where, "action"), "sources"), index), "a source is {type: url, url: http(s)://…}", _ITEM_RULE))
    return found


def _check_custom_call(item: dict[str, Any], where: str, final: bool) -> list[Violation]:
    """A custom tool call carries free-form string input, a call_id and the tool's name."""
    return check_fields(item, where, _CUSTOM_FIELDS, rule=_ITEM_RULE)


TOOL_ITEM_CHECKS = {
    "code_interpreter_call": _check_code_interpreter,
    "web_search_call": _check_web_search,
    "custom_tool_call": _check_custom_call,
}


def check_annotations(part: Mapping[str, Any], where: str) -> list[Violation]:
    """Citations have their fields, and their indices lie inside the part's text, start <= end."""
    text = part.get("text")
    annotations = part.get("annotations")
    found: list[Violation] = []
    for index, note in enumerate(annotations if isinstance(annotations, list) else []):
        here = join(join(where, "annotations"), index)
        kind = note.get("type") if isinstance(note, dict) else None
        specs = _ANNOTATION_FIELDS.get(str(kind))
        if specs is None:
            continue
        problems = check_fields(note, here, specs, rule=ANNOTATION_RULE)
        found += problems
        start, end = note.get("start_index"), note.get("end_index")
        if not problems and isinstance(text, str) and not 0 <= start <= end <= len(text):
            what = f"{kind} indices [{start}, {end}) do not lie inside the {len(text)}-character text"
            found.append(Violation(here, what, ANNOTATION_RULE))
    return found


def _tool_calls(output: list[Any]) -> list[dict[str, Any]]:
    return [i for i in output if isinstance(i, dict) and i.get("type") in HOSTED_CALLS | CLIENT_CALLS]


def _allowed(call: dict[str, Any], wanted: list[Any]) -> bool:
    kind = _TYPE_OF_CALL.get(str(call.get("type")))
    for w in wanted:
        if isinstance(w, dict) and str(w.get("type", "")).removesuffix("_preview") == kind:
            if "name" not in w or w.get("name") == call.get("name"):
                return True
    return False


def check_tool_rules(request: Mapping[str, Any], body: Mapping[str, Any], where: str = "") -> list[Violation]:
    """The tool parameters of a create request, held against its completed response."""
    output = body.get("output")
    if body.get("status") != "completed" or not isinstance(output, list) or not request.get("tools"):
        return []
    calls = _tool_calls(output)
    found: list[Violation] = []
    choice = request.get("tool_choice")
    here = join(where, "output")
    if choice == "none" and calls:
        found.append(Violation(here, f"tool_choice 'none' but the response calls {[c['type'] for c in calls]}", CHOICE_RULE))
    if (choice == "required" or (isinstance(choice, dict) and choice.get("mode", "required") == "required")) and not calls:
        found.append(Violation(here, f"tool_choice {choice!r} requires a tool call, the response has none", CHOICE_RULE))
    if isinstance(choice, dict) and choice.get("type") == "allowed_tools":
        wanted = choice.get("tools") if isinstance(choice.get("tools"), list) else []
        for call in calls:
            if not _allowed(call, wanted):
                found.append(Violation(here, f"{call['type']} {call.get('name', '')!s} is not in tool_choice.allowed_tools", CHOICE_RULE))
    elif isinstance(choice, dict) and choice.get("type") in ("function", "custom"):
        for call in calls:
            if call.get("name") != choice.get("name") and call["type"] in CLIENT_CALLS:
                found.append(Violation(here, f"tool_choice forces {choice.get('name')!r}, the response calls {call.get('name')!r}", CHOICE_RULE))
    limit = request.get("max_tool_calls")
    hosted = [c for c in calls if c["type"] in HOSTED_CALLS]
    if isinstance(limit, int) and len(hosted) > limit:
        found.append(Violation(here, f"{len(hosted)} built-in tool calls exceed max_tool_calls {limit}", MAX_CALLS_RULE))
    include = request.get("include") or []
    for index, item in enumerate(output):
        if not isinstance(item, dict):
            continue
        if item.get("type") == "code_interpreter_call" and "code_interpreter_call.outputs" in include and not isinstance(item.get("outputs"), list):
            found.append(Violation(join(here, index), "include asks for code_interpreter_call.outputs, outputs is not a list", INCLUDE_RULE))
        action = item.get("action")
        if (item.get("type") == "web_search_call" and "web_search_call.action.sources" in include and isinstance(action, dict)
                and action.get("type") == "search" and not isinstance(action.get("sources"), list)):
            found.append(Violation(join(here, index), "include asks for web_search_call.action.sources, the search has none", INCLUDE_RULE))
    return found
