"""The emulator's tools: function arguments, gates, image bytes, files, vector stores, search."""

from __future__ import annotations

import base64
import io
import json

import jsonschema
from emu_support import DATED, create, error_of, text_of
from PIL import Image

from emulator.state.bm25 import Chunk, Index, chunk_text
from emulator.engine.tools.schema_values import arguments_for

WEATHER = {
    "type": "function", "name": "get_weather", "strict": True,
    "parameters": {"type": "object", "properties": {"latitude": {"type": "number"}, "longitude": {"type": "number"}},
                   "required": ["latitude", "longitude"], "additionalProperties": False},
}


def test_arguments_validate_and_take_values_from_the_text():
    schema = {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"},
                                               "text": {"type": "string"}, "unit": {"enum": ["c", "f"]}}}
    args = json.loads(arguments_for(schema, 'Add 2 and 3, then say "hi there".'))
    jsonschema.validate(args, schema)
    assert args == {"a": 2, "b": 3, "text": "hi there", "unit": "c"}
    assert arguments_for(schema, "same") == arguments_for(schema, "same")


def test_a_forced_function_call_has_no_message_and_the_output_is_answered(client):
    first = create(client, input="Weather in London?", tools=[WEATHER], tool_choice="required").json()
    assert [i["type"] for i in first["output"]] == ["function_call"]
    call = first["output"][0]
    assert call["call_id"].startswith("call_") and call["id"].startswith("fc_")
    jsonschema.validate(json.loads(call["arguments"]), WEATHER["parameters"])
    second = create(client, previous_response_id=first["id"], tools=[WEATHER],
                    input=[{"type": "function_call_output", "call_id": call["call_id"], "output": "21.5"}]).json()
    assert "21.5" in text_of(second)


def test_an_output_for_a_call_the_conversation_never_made_is_a_400_naming_it(client):
    first = create(client, input="Weather in London?", tools=[WEATHER], tool_choice="required").json()
    stray = {"type": "function_call_output", "call_id": "call_never_made", "output": "1"}
    for body in ({"input": [stray]}, {"previous_response_id": first["id"], "input": [stray]}):
        reply = create(client, tools=[WEATHER], **body)
        assert reply.status_code == 400
        assert error_of(reply)["param"] == "input" and "call_never_made" in error_of(reply)["message"]
    call = first["output"][0]  # stateless: the call itself sent back with its output
    answered = create(client, tools=[WEATHER], input=[call, {**stray, "call_id": call["call_id"]}])
    assert answered.status_code == 200


def test_tool_choice_none_answers_in_text(client):
    body = create(client, input="Weather in London?", tools=[WEATHER], tool_choice="none").json()
    assert [i["type"] for i in body["output"]] == ["message"]


def test_v1_only_tools_are_refused_on_dated_versions(client):
    for tool in ({"type": "mcp", "server_label": "x", "server_url": "http://127.0.0.1:9/mcp"}, {"type": "image_generation"},
                 {"type": "web_search"}):
        resp = create(client, v1=False, input="hi", tools=[tool])
        assert resp.status_code == 400
        error = error_of(resp)
        assert error["code"] == "unsupported_value" and DATED in error["message"] and error["param"] == "tools[0].type"


def test_code_interpreter_depends_on_the_region(client, state):
    from emu_support import EUS2, API_KEY, AppClient
    from emulator.gateway.app import create_app

    tool = {"type": "code_interpreter", "container": {"type": "auto"}}
    refused = create(client, input="compute 6 * 7", tools=[tool])
    assert refused.status_code == 400 and "swedencentral" in error_of(refused)["message"]
    eus2 = AppClient(create_app(state), EUS2, {"api-key": API_KEY})
    try:
        body = create(eus2, model="gpt-4.1", input="compute 6 * 7", tools=[tool], include=["code_interpreter_call.outputs"]).json()
    finally:
        eus2.close()
    call = next(i for i in body["output"] if i["type"] == "code_interpreter_call")
    assert call["outputs"][0]["logs"].strip() == "42" and "42" in text_of(body)


def test_image_generation_needs_the_header_and_returns_a_real_image(client):
    tool = {"type": "image_generation", "size": "1024x1536"}
    missing = create(client, input="draw a cat", tools=[tool])
    assert missing.status_code == 400 and "x-ms-oai-image-generation-deployment" in error_of(missing)["message"]
    resp = client.post("/openai/v1/responses", json={"model": "gpt-4o", "input": "draw a cat", "tools": [tool]},
                       headers={"x-ms-oai-image-generation-deployment": "gpt-image-1"})
    call = next(i for i in resp.json()["output"] if i["type"] == "image_generation_call")
    image = Image.open(io.BytesIO(base64.b64decode(call["result"])))
    assert image.format == "PNG" and image.size == (1024, 1536)
    bad = client.post("/openai/v1/responses", json={"model": "gpt-4o", "input": "draw", "tools": [tool]},
                      headers={"x-ms-oai-image-generation-deployment": "gpt-4o"})
    assert bad.status_code == 400


def test_bm25_ranks_the_matching_chunk_first():
    index = Index()
    index.add(Chunk("f1", "a.txt", 0, "Our values are integrity and kindness."))
    index.add(Chunk("f2", "b.txt", 0, "The cafeteria serves soup on Monday."))
    hits = index.search("what are the values", 5)
    assert hits[0][0].file_id == "f1" and hits[0][1] == 1.0
    assert chunk_text("a b c d e", 2, 1) == ["a b", "b c", "c d", "d e"]


def test_files_vector_stores_and_file_search_round_trip(client):
    upload = client.post("/openai/v1/files", data={"purpose": "assistants"},
                         files={"file": ("values.txt", b"Our company values are integrity and kindness.", "text/plain")})
    assert upload.status_code == 200, upload.text
    file_id = upload.json()["id"]
    assert file_id.startswith("assistant-") and len(file_id) == len("assistant-") + 22
    assert "openai-version" in upload.headers
    store = client.post("/openai/v1/vector_stores", json={"name": "values"}).json()
    assert store["id"].startswith("vs_") and len(store["id"]) == 27
    batch = client.post(f"/openai/v1/vector_stores/{store['id']}/file_batches", json={"file_ids": [file_id]}).json()
    assert batch["status"] == "in_progress"
    polled = client.get(f"/openai/v1/vector_stores/{store['id']}/file_batches/{batch['id']}").json()
    assert polled["status"] == "completed" and polled["file_counts"]["completed"] == 1
    body = create(client, input="What are the company values?", include=["file_search_call.results"],
                  tools=[{"type": "file_search", "vector_store_ids": [store["id"]], "max_num_results": 3}]).json()
    search = next(i for i in body["output"] if i["type"] == "file_search_call")
    assert search["results"][0]["file_id"] == file_id
    message = next(i for i in body["output"] if i["type"] == "message")
    assert message["content"][0]["annotations"][0] == {
        "type": "file_citation", "file_id": file_id, "filename": "values.txt", "index": len(message["content"][0]["text"])}
    assert client.delete(f"/openai/v1/vector_stores/{store['id']}").json()["deleted"] is True
    assert client.delete(f"/openai/v1/files/{file_id}").json()["deleted"] is True
    assert client.get(f"/openai/v1/files/{file_id}").status_code == 404


def test_an_unreachable_mcp_server_is_a_424(client):
    tool = {"type": "mcp", "server_label": "gone", "server_url": "http://127.0.0.1:9/mcp", "require_approval": "never"}
    resp = create(client, input="hi", tools=[tool])
    assert resp.status_code == 424 and "'gone'" in error_of(resp)["message"]


def test_tool_items_stream_with_their_events(client):
    from test_emulator_stream import sse_events

    from conformance.checks import check_stream

    cases = {
        "function": ({"input": "Weather in London?", "tools": [WEATHER], "tool_choice": "required"},
                     "response.function_call_arguments.done"),
        "web_search": ({"input": "search the web for kittens", "tools": [{"type": "web_search"}]},
                       "response.web_search_call.completed"),
    }
    for name, (body, expected) in cases.items():
        events = sse_events(create(client, stream=True, **body))
        assert check_stream(events) == [], name
        assert expected in [e["type"] for e in events], name
    deltas = "".join(e["delta"] for e in events if e["type"] == "response.output_text.delta")
    assert deltas == events[-1]["response"]["output"][-1]["content"][0]["text"]


def test_the_image_tool_does_not_stream(client):
    resp = client.post("/openai/v1/responses", json={"model": "gpt-4o", "input": "draw", "stream": True,
                                                     "tools": [{"type": "image_generation"}]},
                       headers={"x-ms-oai-image-generation-deployment": "gpt-image-1"})
    assert resp.status_code == 400 and error_of(resp)["param"] == "stream"
