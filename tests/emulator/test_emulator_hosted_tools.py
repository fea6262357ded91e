"""The emulator's hosted tools and tool choice: code interpreter in a sandbox, web search over
its corpus, tool_choice variants, max_tool_calls and custom (free-form) tools."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from emu_support import API_KEY, DATED, EUS2, AppClient, create, error_of, text_of

from emulator.engine.tools import sandbox, web_search
from emulator.engine.tools.code_interpreter import program_for

AUTO = {"type": "code_interpreter", "container": {"type": "auto"}}
OUTPUTS = ["code_interpreter_call.outputs"]
WEATHER = {"type": "function", "name": "get_weather", "parameters": {"type": "object", "properties": {}}}
TIME = {"type": "function", "name": "get_time", "parameters": {"type": "object", "properties": {}}}
GRAMMAR = {"type": "custom", "name": "run_sql", "description": "Run one SQL query",
           "format": {"type": "grammar", "syntax": "lark", "definition": "start: /SELECT .+/"}}


@pytest.fixture
def eus2(state) -> Iterator[AppClient]:
    from emulator.gateway.app import create_app

    client = AppClient(create_app(state), EUS2, {"api-key": API_KEY})
    yield client
    client.close()


def _call(body: dict, kind: str) -> dict:
    return next(i for i in body["output"] if i["type"] == kind)


# ---- the sandbox ---------------------------------------------------------------------------

def test_the_sandbox_runs_code_and_returns_what_it_printed(tmp_path: Path):
    assert sandbox.run_python("print(6 * 7)", tmp_path).logs == "42\n"


def test_the_sandbox_has_no_network(tmp_path: Path):
    out = sandbox.run_python("import socket\nsocket.create_connection(('127.0.0.1', 9))", tmp_path)
    assert out.exit_code == 1 and "network access is disabled" in out.logs


def test_the_sandbox_stops_a_program_that_never_ends(tmp_path: Path):
    out = sandbox.run_python("while True:\n    pass", tmp_path, wall_seconds=10)
    assert out.exit_code != 0 and ("limit" in out.logs or "Timeout" in out.logs)


def test_the_sandbox_bounds_memory(tmp_path: Path):
    out = sandbox.run_python("x = bytearray(4 * 1024 ** 3)", tmp_path)
    assert out.exit_code != 0 and "MemoryError" in out.logs


def test_the_sandbox_sees_no_environment_and_runs_in_its_directory(tmp_path: Path):
    out = sandbox.run_python("import os\nprint(sorted(k for k in os.environ if k != 'LC_CTYPE'), os.getcwd())", tmp_path)
    assert out.logs.strip() == f"[] {tmp_path}"


def test_the_program_follows_the_prompt():
    assert program_for("compute 123 * 7") == "result = 123 * 7\nprint(result)\n"
    assert "math.factorial(10)" in program_for("What is the factorial of 10?")
    assert "primes(5)" in program_for("List the first 5 primes")
    assert program_for("Run this:\n```python\nprint('x')\n```") == "print('x')\n"
    assert 'open("result.csv"' in program_for("compute 2 + 2 and save it as csv")
    assert "open('result.txt')" in program_for("print the contents of result.txt")


# ---- code interpreter over HTTP -------------------------------------------------------------

def test_code_interpreter_runs_the_code_it_shows(eus2):
    body = create(eus2, model="gpt-4.1", input="What is the factorial of 10?", tools=[AUTO], include=OUTPUTS).json()
    call = _call(body, "code_interpreter_call")
    assert call["container_id"].startswith("cntr_") and "math.factorial(10)" in call["code"]
    assert call["outputs"] == [{"type": "logs", "logs": "3628800\n"}] and "3628800" in text_of(body)


def test_outputs_are_null_unless_included(eus2):
    body = create(eus2, model="gpt-4.1", input="compute 2 + 3", tools=[AUTO]).json()
    assert _call(body, "code_interpreter_call")["outputs"] is None


def test_an_explicit_container_keeps_its_files(eus2):
    first = create(eus2, model="gpt-4.1", input="compute 2 + 3 and save it to a file", tools=[AUTO]).json()
    container = _call(first, "code_interpreter_call")["container_id"]
    cited = first["output"][-1]["content"][0]["annotations"]
    assert [(a["type"], a["filename"], a["container_id"]) for a in cited] == [("container_file_citation", "result.txt", container)]
    text = first["output"][-1]["content"][0]["text"]
    assert text[cited[0]["start_index"]:cited[0]["end_index"]] == "result.txt"
    again = create(eus2, model="gpt-4.1", input="Run:\n```python\nprint(open('result.txt').read().strip())\n```",
                   tools=[{"type": "code_interpreter", "container": container}], include=OUTPUTS).json()
    call = _call(again, "code_interpreter_call")
    assert call["container_id"] == container and call["outputs"][0]["logs"] == "5\n"


def test_an_unknown_container_and_a_missing_container_are_400(eus2):
    unknown = create(eus2, model="gpt-4.1", input="compute 1 + 1", tools=[{"type": "code_interpreter", "container": "cntr_nope"}])
    assert unknown.status_code == 400 and error_of(unknown)["param"] == "tools[0].container"
    missing = create(eus2, model="gpt-4.1", input="compute 1 + 1", tools=[{"type": "code_interpreter"}])
    assert missing.status_code == 400 and error_of(missing)["param"] == "tools[0].container"


def test_code_interpreter_streams_its_events_in_order(eus2):
    from test_emulator_stream import sse_events

    from conformance.checks import check_stream

    events = sse_events(create(eus2, model="gpt-4.1", stream=True, input="compute 6 * 7", tools=[AUTO]))
    assert check_stream(events) == []
    kinds = [e["type"] for e in events if "code_interpreter" in e["type"]]
    assert kinds[0] == "response.code_interpreter_call.in_progress" and kinds[-1] == "response.code_interpreter_call.completed"
    assert kinds.index("response.code_interpreter_call_code.done") < kinds.index("response.code_interpreter_call.interpreting")
    code = "".join(e["delta"] for e in events if e["type"] == "response.code_interpreter_call_code.delta")
    assert code == next(e["code"] for e in events if e["type"] == "response.code_interpreter_call_code.done")


# ---- web search -----------------------------------------------------------------------------

def test_web_search_finds_the_document_that_answers_and_cites_it(client):
    body = create(client, input="What is the tallest building in the world?", tools=[{"type": "web_search"}],
                  include=["web_search_call.action.sources"]).json()
    call = _call(body, "web_search_call")
    assert call["action"]["type"] == "search" and "tallest building" in call["action"]["query"]
    assert call["action"]["sources"][0]["url"] == "https://encyclopedia.example/burj-khalifa"
    part = body["output"][-1]["content"][0]
    (cite,) = part["annotations"]
    assert cite["type"] == "url_citation" and cite["url"] == "https://encyclopedia.example/burj-khalifa"
    assert "828 metres" in part["text"][cite["start_index"]:cite["end_index"]]


def test_sources_appear_only_when_included(client):
    body = create(client, input="How fast is the speed of light?", tools=[{"type": "web_search"}]).json()
    assert "sources" not in _call(body, "web_search_call")["action"]


def test_allowed_domains_filter_the_results(client):
    tool = {"type": "web_search", "filters": {"allowed_domains": ["news.example"]}}
    body = create(client, input="What is the tallest building?", tools=[tool]).json()
    assert body["output"][-1]["content"][0]["annotations"] == []


def test_each_question_is_one_search():
    assert web_search.queries("What is the speed of light? How high is Mount Everest?") == [
        "What is the speed of light?", "How high is Mount Everest?"]


def test_web_search_is_refused_on_dated_versions(client):
    resp = create(client, v1=False, input="hi", tools=[{"type": "web_search_preview"}])
    assert resp.status_code == 400 and DATED in error_of(resp)["message"]


# ---- tool_choice, max_tool_calls ------------------------------------------------------------

def test_max_tool_calls_caps_the_hosted_calls(client):
    question = "What is the speed of light? How high is Mount Everest?"
    both = create(client, input=question, tools=[{"type": "web_search"}]).json()
    assert [i["type"] for i in both["output"]].count("web_search_call") == 2
    one = create(client, input=question, tools=[{"type": "web_search"}], max_tool_calls=1).json()
    assert [i["type"] for i in one["output"]].count("web_search_call") == 1 and one["max_tool_calls"] == 1


def test_allowed_tools_narrow_the_functions(client):
    choice = {"type": "allowed_tools", "mode": "required", "tools": [{"type": "function", "name": "get_time"}]}
    body = create(client, input="Weather in London?", tools=[WEATHER, TIME], tool_choice=choice).json()
    assert [(i["type"], i.get("name")) for i in body["output"]] == [("function_call", "get_time")]


def test_allowed_tools_in_auto_mode_may_answer_in_text(client):
    choice = {"type": "allowed_tools", "mode": "auto", "tools": [{"type": "function", "name": "get_time"}]}
    body = create(client, input="Weather in London?", tools=[WEATHER, TIME], tool_choice=choice).json()
    assert [i["type"] for i in body["output"]] == ["message"]


def test_tool_choice_naming_an_absent_tool_is_400(client):
    for choice in ({"type": "function", "name": "nope"},
                   {"type": "allowed_tools", "mode": "auto", "tools": [{"type": "function", "name": "nope"}]}):
        resp = create(client, input="hi", tools=[WEATHER], tool_choice=choice)
        assert resp.status_code == 400 and error_of(resp)["param"] == "tool_choice"
    resp = create(client, input="hi", tool_choice="required")
    assert resp.status_code == 400 and error_of(resp)["param"] == "tool_choice"


def test_tool_choice_none_skips_hosted_tools_too(client):
    body = create(client, input="What is the tallest building?", tools=[{"type": "web_search"}], tool_choice="none").json()
    assert [i["type"] for i in body["output"]] == ["message"]


# ---- custom tools ---------------------------------------------------------------------------

def test_a_custom_tool_gets_free_form_input_and_its_output_is_answered(client):
    first = create(client, model="gpt-5-mini", input='Run "SELECT 1" with sql', tools=[GRAMMAR],
                   tool_choice={"type": "custom", "name": "run_sql"}).json()
    call = _call(first, "custom_tool_call")
    assert call["name"] == "run_sql" and call["input"] == "SELECT 1" and call["call_id"].startswith("call_")
    second = create(client, model="gpt-5-mini", previous_response_id=first["id"], tools=[GRAMMAR],
                    input=[{"type": "custom_tool_call_output", "call_id": call["call_id"], "output": "one row: 1"}]).json()
    assert "one row: 1" in text_of(second)


def test_a_custom_tool_input_streams_as_deltas(client):
    from test_emulator_stream import sse_events

    from conformance.checks import check_stream

    events = sse_events(create(client, model="gpt-5-mini", stream=True, input='Run "SELECT 1"', tools=[GRAMMAR],
                               tool_choice="required"))
    assert check_stream(events) == []
    deltas = "".join(e["delta"] for e in events if e["type"] == "response.custom_tool_call_input.delta")
    done = next(e for e in events if e["type"] == "response.custom_tool_call_input.done")
    assert deltas == done["input"] == "SELECT 1"


def test_custom_tools_are_refused_on_models_without_them(client):
    resp = create(client, model="gpt-4o", input="hi", tools=[GRAMMAR])
    assert resp.status_code == 400 and error_of(resp)["param"] == "tools[0].type" and "gpt-4o" in error_of(resp)["message"]


def test_malformed_hosted_tool_options_are_400_not_500(client, eus2):
    bad_files = {"type": "code_interpreter", "container": {"type": "auto", "file_ids": 7}}
    resp = create(eus2, model="gpt-4.1", input="compute 1 + 1", tools=[bad_files])
    assert resp.status_code == 400 and "file_ids" in error_of(resp)["param"]
    bad_domains = {"type": "web_search", "filters": {"allowed_domains": 7}}
    resp = create(client, input="What is the tallest building?", tools=[bad_domains])
    assert resp.status_code == 400 and "allowed_domains" in error_of(resp)["param"]


@pytest.mark.parametrize("prompt, answer", [
    ("I need to solve the equation 3x + 11 = 14. Can you help me?", "x = 1"),
    ("solve 2y - 4 = 10", "y = 7"),
    ("what is z if 0.5z + 1 = 2", "z = 2"),
])  # fmt: skip
def test_a_linear_equation_is_solved_by_the_program_it_shows(tmp_path: Path, prompt, answer):
    out = sandbox.run_python(program_for(prompt), tmp_path)
    assert out.logs.strip() == answer
