"""The tool item, citation and tool-rule checks catch the broken shapes they guard against."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from conformance.checks import RULES, check_against_request, check_response

#: The rules the tests below feed a broken shape to (test_checks.test_every_rule_has_a_case).
TESTED_RULES = {"response.annotation", "request.tool_choice", "request.max_tool_calls", "request.include"}
TEXT = "The Burj Khalifa is 828 metres tall. Saved result.txt."


def _response(*items: dict[str, Any]) -> dict[str, Any]:
    message = {"id": "msg_1", "type": "message", "role": "assistant", "status": "completed", "content": [{
        "type": "output_text", "text": TEXT, "annotations": [
            {"type": "url_citation", "url": "https://a.example/x", "title": "X", "start_index": 0, "end_index": 36},
            {"type": "container_file_citation", "container_id": "cntr_1", "file_id": "cfile_1", "filename": "result.txt",
             "start_index": 43, "end_index": 53},
        ]}]}
    return {"id": "resp_1", "object": "response", "created_at": 1_760_000_000, "status": "completed", "model": "gpt-4.1",
            "output": [*items, message], "output_text": TEXT,
            "usage": {"input_tokens": 5, "output_tokens": 5, "total_tokens": 10}}


CODE = {"id": "ci_1", "type": "code_interpreter_call", "status": "completed", "container_id": "cntr_1",
        "code": "print(1)", "outputs": [{"type": "logs", "logs": "1\n"}]}
WEB = {"id": "ws_1", "type": "web_search_call", "status": "completed",
       "action": {"type": "search", "query": "q", "sources": [{"type": "url", "url": "https://a.example/x"}]}}
CUSTOM = {"id": "ctc_1", "type": "custom_tool_call", "call_id": "call_1", "name": "run_sql", "input": "SELECT 1"}
FUNC = {"id": "fc_1", "type": "function_call", "call_id": "call_2", "name": "get_time", "arguments": "{}"}


def _rules(body: dict[str, Any], request: dict[str, Any] | None = None) -> set[str]:
    found = check_response(body) + (check_against_request(request, body) if request else [])
    return {v.rule for v in found}


def test_well_formed_tool_items_and_citations_pass():
    assert _rules(_response(CODE, WEB, CUSTOM)) == set()


def test_every_new_rule_is_documented():
    assert {"response.annotation", "request.tool_choice", "request.max_tool_calls", "request.include"} <= set(RULES)


@pytest.mark.parametrize("item, path, value", [
    (CODE, "container_id", None),
    (CODE, "outputs", [{"type": "logs"}]),
    (CODE, "outputs", [{"type": "video", "url": "x"}]),
    (CODE, "code", 7),
    (WEB, "action", None),
    (WEB, "action", {"type": "search", "sources": [{"type": "url", "url": "https://a.example"}]}),
    (WEB, "action", {"type": "search", "query": "q", "sources": [{"type": "url", "url": "ftp://nope"}]}),
    (CUSTOM, "input", {"sql": "SELECT 1"}),
    (CUSTOM, "call_id", None),
])
def test_a_broken_tool_item_is_caught(item: dict[str, Any], path: str, value: Any):
    broken = copy.deepcopy(item)
    if value is None:
        del broken[path]
    else:
        broken[path] = value
    assert "response.output_item" in _rules(_response(broken))


@pytest.mark.parametrize("index, change", [
    (0, {"end_index": 999}),
    (0, {"start_index": 40, "end_index": 10}),
    (0, {"url": None}),
    (1, {"filename": None}),
    (1, {"start_index": -1}),
])
def test_a_broken_citation_is_caught(index: int, change: dict[str, Any]):
    body = _response()
    note = body["output"][-1]["content"][0]["annotations"][index]
    for key, value in change.items():
        if value is None:
            del note[key]
        else:
            note[key] = value
    assert "response.annotation" in _rules(body)


def test_a_tool_call_under_tool_choice_none_is_caught():
    assert "request.tool_choice" in _rules(_response(WEB), {"tools": [{"type": "web_search"}], "tool_choice": "none"})


def test_no_tool_call_under_tool_choice_required_is_caught():
    request = {"tools": [{"type": "function", "name": "get_time"}], "tool_choice": "required"}
    assert "request.tool_choice" in _rules(_response(), request)
    assert "request.tool_choice" not in _rules(_response(FUNC), request)


def test_a_call_outside_allowed_tools_is_caught():
    choice = {"type": "allowed_tools", "mode": "auto", "tools": [{"type": "function", "name": "get_weather"}]}
    request = {"tools": [{"type": "function", "name": "get_weather"}, {"type": "function", "name": "get_time"}], "tool_choice": choice}
    assert "request.tool_choice" in _rules(_response(FUNC), request)
    allowed = {**choice, "tools": [{"type": "function", "name": "get_time"}]}
    assert "request.tool_choice" not in _rules(_response(FUNC), {**request, "tool_choice": allowed})


def test_calling_another_tool_than_the_forced_one_is_caught():
    request = {"tools": [{"type": "custom", "name": "run_sql"}, {"type": "custom", "name": "other"}],
               "tool_choice": {"type": "custom", "name": "other"}}
    assert "request.tool_choice" in _rules(_response(CUSTOM), request)


def test_more_built_in_calls_than_max_tool_calls_are_caught():
    second = {**WEB, "id": "ws_2"}
    request = {"tools": [{"type": "web_search"}], "max_tool_calls": 1}
    assert "request.max_tool_calls" in _rules(_response(WEB, second), request)
    assert "request.max_tool_calls" not in _rules(_response(WEB), request)


def test_missing_included_outputs_and_sources_are_caught():
    request = {"tools": [{"type": "code_interpreter"}, {"type": "web_search"}],
               "include": ["code_interpreter_call.outputs", "web_search_call.action.sources"]}
    assert "request.include" not in _rules(_response(CODE, WEB), request)
    no_logs = {**CODE, "outputs": None}
    no_sources = {**WEB, "action": {"type": "search", "query": "q"}}
    assert "request.include" in _rules(_response(no_logs, WEB), request)
    assert "request.include" in _rules(_response(CODE, no_sources), request)
