"""The suite catches broken services as `failed`: each recorded emulator answer is edited into
what a realistic bug would send, and the suite's own test, replayed from the edited cassette,
must fail (not pass, not turn `unsupported` or `inconclusive`) with the broken promise named.

One pytest subprocess replays every edited cassette (CONFORMANCE_CASSETTES points at a copy),
so this is what a user would see from a service with that bug.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from live_support import ROOT, clean_env, run_pytest

Interactions = list[dict[str, Any]]


def _json(interaction: dict[str, Any]) -> Any:
    return interaction["response"]["body"]["json"]


def _calls(interactions: Interactions, method: str, path_part: str) -> list[dict[str, Any]]:
    return [i for i in interactions if i["request"]["method"] == method and path_part in i["request"]["uri"]]


def _answer(interaction: dict[str, Any], body: Any) -> None:
    """Turn a refusal into a 200 with ``body``."""
    interaction["response"]["status"] = {"code": 200, "message": "OK"}
    interaction["response"]["body"] = {"json": copy.deepcopy(body)}


def _keeps_store_false(ia: Interactions) -> None:
    created = _json(_calls(ia, "POST", "/responses")[0])
    _answer(_calls(ia, "GET", "/responses/")[0], created)


def _input_items_as_sent_by_default(ia: Interactions) -> None:
    page = _json(_calls(ia, "GET", "/input_items")[0])
    page["data"].reverse()


def _accepts_a_forged_signature(ia: Interactions) -> None:
    _answer(_calls(ia, "POST", "/responses")[1], {
        "id": "resp_forged", "object": "response", "created_at": 1764000000, "status": "completed", "model": "gpt-4o",
        "output": [], "parallel_tool_calls": True, "tool_choice": "auto", "tools": []})


def _ignores_parallel_tool_calls_false(ia: Interactions) -> None:
    output = _json(_calls(ia, "POST", "/responses")[0])["output"]
    [call] = [item for item in output if item["type"] == "function_call"]
    second = dict(call, id=call["id"] + "2", call_id=call["call_id"] + "2")
    output.append(second)


def _ignores_max_num_results(ia: Interactions) -> None:
    output = _json(_calls(ia, "POST", "/openai/v1/responses")[-1])["output"]
    [search] = [item for item in output if item["type"] == "file_search_call"]
    search["results"].append(dict(search["results"][0], score=0.5))


def _vector_store_delete_is_a_no_op(ia: Interactions) -> None:
    store = _json(_calls(ia, "POST", "/vector_stores")[0])
    _answer([i for i in _calls(ia, "GET", "/vector_stores/") if i["request"]["uri"].endswith(store["id"])][0], store)


def _deleted_vector_store_still_listed(ia: Interactions) -> None:
    store = _json(_calls(ia, "POST", "/vector_stores")[0])
    page = _json(_calls(ia, "GET", "/vector_stores?")[0])
    page["data"].insert(0, copy.deepcopy(store))


def _cancelled_job_runs_on(ia: Interactions) -> None:
    finished = _json(_calls(ia, "GET", "/responses/")[-2])  # the witness, completed
    cancelled = _json(_calls(ia, "GET", "/responses/")[-1])
    cancelled.update(status="completed", output=copy.deepcopy(finished["output"]))


def _vision_reads_only_the_header(ia: Interactions) -> None:
    body = _json(_calls(ia, "POST", "/responses")[0])
    for item in body["output"]:
        for part in item.get("content") or []:
            part["text"] = part["text"].replace(", mostly blue", "")


def _accepts_a_truncated_image(ia: Interactions) -> None:
    _answer(_calls(ia, "POST", "/responses")[0], {
        "id": "resp_truncated", "object": "response", "created_at": 1764000000, "status": "completed", "model": "gpt-4o",
        "output": [], "parallel_tool_calls": True, "tool_choice": "auto", "tools": []})


def _approved_call_without_its_request(ia: Interactions) -> None:
    output = _json(_calls(ia, "POST", "/responses")[1])["output"]
    for item in output:
        if item["type"] == "mcp_call":
            item["approval_request_id"] = None


V1_KEY = "v1-key-gpt-4o.swedencentral"  # the test id; its cassette is named by the target id (@)
#: (test node id, bug, what the failure must say)
BROKEN: list[tuple[str, Callable[[Interactions], None], str]] = [
    (f"test_responses.py::test_a_response_created_with_store_false_cannot_be_retrieved[{V1_KEY}]",
     _keeps_store_false, "still retrievable"),
    (f"test_responses.py::test_input_items_list_the_input_messages_newest_first_or_as_sent[{V1_KEY}]",
     _input_items_as_sent_by_default, "order=desc"),
    ("test_errors.py::test_a_wrong_credential_is_refused_with_401[v1-entra-gpt-4o.swedencentral]",
     _accepts_a_forged_signature, "a real token with a forged signature must be refused with HTTP 401"),
    (f"test_tools_function.py::test_parallel_tool_calls_false_makes_at_most_one_call[{V1_KEY}]",
     _ignores_parallel_tool_calls_false, "parallel_tool_calls=false: expected at most 1 function_call"),
    (f"test_tools_file_search.py::test_max_num_results_caps_the_results[{V1_KEY}]",
     _ignores_max_num_results, "max_num_results=1, but file_search returned 2"),
    (f"test_tools_file_search.py::test_vector_store_and_file_delete_cleanly[{V1_KEY}]",
     _vector_store_delete_is_a_no_op, "still retrievable"),
    (f"test_tools_file_search.py::test_vector_store_and_file_delete_cleanly[{V1_KEY}]",
     _deleted_vector_store_still_listed, "still listed"),
    (f"test_background.py::test_cancel_stops_a_background_response_and_is_idempotent[{V1_KEY}]",
     _cancelled_job_runs_on, "the job ran on"),
    (f"test_vision.py::test_an_image_data_url_is_seen[png-{V1_KEY}]",
     _vision_reads_only_the_header, "mostly blue"),
    (f"test_vision.py::test_a_truncated_image_is_refused[png-{V1_KEY}]",
     _accepts_a_truncated_image, "DID NOT RAISE"),
    (f"test_tools_mcp.py::test_mcp_approval_request_then_approved_call[{V1_KEY}]",
     _approved_call_without_its_request, "approval_request_id"),
]


def _break(cassettes: Path, node: str, bug: Callable[[Interactions], None]) -> None:
    module, name = node.split("::")
    name = name.replace(".swedencentral]", "@swedencentral]")
    source = ROOT / "cassettes" / module.removesuffix(".py") / f"{name}.yaml"
    target = cassettes / source.parent.name / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    doc = yaml.safe_load(source.read_text())
    bug(doc["interactions"])
    target.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))


def _rounds() -> list[list[tuple[str, Callable[[Interactions], None]]]]:
    """The bugs split into runs in which each test appears once (one cassette per test)."""
    rounds: list[list[tuple[str, Callable[[Interactions], None]]]] = []
    for node, bug, _ in BROKEN:
        free = next((r for r in rounds if all(n != node for n, _ in r)), None)
        if free is None:
            free = []
            rounds.append(free)
        free.append((node, bug))
    return rounds


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ET.Element]:
    """Every broken cassette replayed (a few pytest runs): bug name -> its junit testcase."""
    found: dict[str, ET.Element] = {}
    for i, bugs in enumerate(_rounds()):
        work = tmp_path_factory.mktemp(f"broken{i}")
        for node, bug in bugs:
            _break(work / "cassettes", node, bug)
        junit = work / "junit.xml"
        run = run_pytest(*[f"suites/{node}" for node, _ in bugs], "-q", f"--junitxml={junit}",
                         env=clean_env(CONFORMANCE_CASSETTES=str(work / "cassettes")), timeout=300)
        assert junit.exists(), run.stdout + run.stderr
        cases = list(ET.parse(junit).iter("testcase"))
        for node, bug in bugs:
            found[bug.__name__] = next(c for c in cases if c.get("name") == node.split("::")[1])
    return found


@pytest.mark.parametrize("node,bug,says", BROKEN, ids=[bug.__name__.strip("_") for _, bug, _ in BROKEN])
def test_a_broken_service_is_caught_as_failed(replayed, node, bug, says):
    case = replayed[bug.__name__]
    failure = case.find("failure")
    outcome = "failed" if failure is not None else ("skipped" if case.find("skipped") is not None else
                                                    "error" if case.find("error") is not None else "passed")
    assert outcome == "failed", f"{bug.__name__}: {node} {outcome}, not failed:\n{ET.tostring(case, encoding='unicode')[:2000]}"
    assert says in (failure.get("message", "") + (failure.text or "")), failure.get("message")


def test_the_cassettes_unbroken_pass(tmp_path):
    """The control: the same cassettes, copied unedited, replay green."""
    cassettes = tmp_path / "cassettes"
    nodes = sorted({node for node, _, _ in BROKEN})
    for node in nodes:
        _break(cassettes, node, lambda interactions: None)
    run = run_pytest(*[f"suites/{node}" for node in nodes], "-q",
                     env=clean_env(CONFORMANCE_CASSETTES=str(cassettes)), timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert f"{len(nodes)} passed" in run.stdout, run.stdout[-2000:]
