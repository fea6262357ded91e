"""The mutation layer: off by default, selected by name, and every mutant a real bug.

A mutant that answers everything correctly would inflate the suite's kill ratio's
denominator with nothing, so each mutant the suite does not reach by itself (``fired`` 0 in
docs/mutations.md) gets a witness here: one exchange on which the mutated emulator answers
differently from the faithful one. The other mutants are witnessed by the harness's fire
counts and kills.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jwt
import pytest
from emu_support import API_KEY, SWC, AppClient, create, text_of

from emulator.__main__ import main
from emulator.gateway.app import create_app
from emulator.mutations import FAMILIES, MUTANTS, Mutating, activate
from emulator.mutations.middleware import route_of
from emulator.gateway.process import EmulatorState

PNG = (Path(__file__).resolve().parents[2] / "conformance" / "pytest_plugin" / "fixtures" / "data" / "blue-64x48.png").read_bytes()
AUDIENCE = "https://cognitiveservices.azure.com"


@contextmanager
def emulator(mutation: str | None = None) -> Iterator[tuple[AppClient, EmulatorState]]:
    """An in-process emulator, mutated or not; the mutant's seams are undone afterwards."""
    state = EmulatorState.create(api_key=API_KEY, seed=7, identity_header="id-secret", background_ms=200)
    state.bind_ports({5001: "aoai-swc", 5002: "aoai-eus2"})
    mutant = activate(mutation, state) if mutation else None
    state.mutation = mutant
    client = AppClient(create_app(state), SWC, {"api-key": API_KEY})
    try:
        yield client, state
    finally:
        client.close()
        if mutant is not None and mutant.seams is not None:
            mutant.seams.undo()


def differs(mutation: str, probe: Callable[[AppClient, EmulatorState], Any]) -> tuple[Any, Any]:
    """The probe's observation on the faithful emulator and on the mutant (asserted different)."""
    with emulator() as (client, state):
        faithful = probe(client, state)
    with emulator(mutation) as (client, state):
        mutated = probe(client, state)
        fired = state.mutation.stats["fired"]
    assert faithful != mutated, f"{mutation} behaves like the faithful emulator: {faithful!r}"
    assert fired > 0, f"{mutation} changed the answer without counting a fire"
    return faithful, mutated


# --- wiring ---------------------------------------------------------------------------------


def test_the_default_app_has_no_mutation_layer():
    with emulator() as (client, state):
        app = client._client._transport.app  # type: ignore[attr-defined]
        assert state.mutation is None
        assert all(m.cls is not Mutating for m in app.user_middleware)


def test_a_mutation_is_selected_by_name_and_counts_its_fires():
    with emulator("usage-missing") as (client, state):
        body = create(client, input="Tell me a joke.").json()
        assert body["usage"] is None
        assert state.mutation.stats == {"name": "usage-missing", "fired": 1}


def test_cli_lists_mutations_and_refuses_an_unknown_one(capsys):
    assert main(["--list-mutations"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == len(MUTANTS) and listed[0].split()[0] in MUTANTS
    assert main(["--mutation", "no-such-bug"]) == 2
    err = capsys.readouterr().err
    assert "unknown mutation 'no-such-bug'" in err and "--list-mutations" in err


def test_the_catalogue_is_broad_and_well_formed():
    assert len(MUTANTS) >= 40
    for family in FAMILIES:
        assert sum(c.family == family for c in MUTANTS.values()) >= 2, family
    for name, cls in MUTANTS.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", name), name
        assert cls.description and "\n" not in cls.description and len(cls.description) <= 120, name
        assert cls.features, f"{name} declares no feature for the harness to run"


def test_routes_are_named_with_their_ids():
    assert route_of("GET", "/openai/v1/responses/resp_1/input_items") == (True, "GET /responses/{id}/input_items", ["resp_1"])
    assert route_of("GET", "/openai/vector_stores/vs_1/file_batches/b_2") == (
        False, "GET /vector_stores/{id}/file_batches/{id}", ["vs_1", "b_2"])
    assert route_of("GET", "/emulator/info") is None


def test_a_renamed_seam_fails_loudly_instead_of_silently_doing_nothing():
    from emulator.mutations.base import Mutant, Seams

    seams = Seams(None, Mutant.__new__(Mutant))
    with pytest.raises(AttributeError):
        seams.patch(object(), "no_such_function", lambda: None)


# --- witnesses for the mutants the suite does not reach by itself ---------------------------


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def _post_entra(client: AppClient, token: str) -> int:
    # AppClient sends the api-key header by default; replace the credential with the token only.
    client._client.headers.pop("api-key", None)  # type: ignore[attr-defined]
    return client.post("/openai/v1/responses", json={"model": "gpt-4o", "input": "hi"}, headers=_bearer(token)).status_code


@pytest.mark.parametrize(("mutation", "forge"), [
    ("jwt-signature-unverified", lambda st: jwt.encode(jwt.decode(st.auth.mint(AUDIENCE)[0], options={"verify_signature": False}),
                                                       b"another-secret-of-32-bytes-length!", algorithm="HS256")),
    ("jwt-audience-unchecked", lambda st: st.auth.mint("https://management.azure.com")[0]),
    ("jwt-anything-goes", lambda st: st.auth.mint("https://elsewhere.example", lifetime=-60)[0]),
])
def test_lax_token_checks_accept_a_token_the_emulator_refuses(mutation, forge):
    faithful, mutated = differs(mutation, lambda client, st: _post_entra(client, forge(st)))
    assert (faithful, mutated) == (401, 200)


def test_a_v1_api_key_sent_as_a_bearer_token_is_refused_by_the_mutant():
    faithful, mutated = differs("bearer-key-refused", lambda client, st: _post_entra(client, API_KEY))
    assert (faithful, mutated) == (200, 401)


def _chain(client: AppClient, state: EmulatorState) -> str:
    previous = None
    for text in ("The code word is QUOKKA-7. Reply with OK.", "Tell me about tea.", "Tell me about rain.",
                 "What was the code word?"):
        body = create(client, input=text, previous_response_id=previous, max_output_tokens=64).json()
        previous = body["id"]
    return text_of(body)


def test_history_cut_to_two_turns_forgets_the_first_turn():
    faithful, mutated = differs("history-last-two-turns", _chain)
    assert "QUOKKA-7" in faithful and "QUOKKA-7" not in mutated


def test_input_items_in_the_wrong_order():
    def probe(client: AppClient, state: EmulatorState) -> list[str]:
        body = create(client, input=[{"role": "user", "content": t} for t in ("one", "two", "three")]).json()
        items = client.get(f"/openai/v1/responses/{body['id']}/input_items").json()["data"]
        return [item["content"][0]["text"] for item in items]

    faithful, mutated = differs("input-items-wrong-order", probe)
    assert faithful == ["three", "two", "one"]


def test_parallel_tool_calls_false_ignored():
    tools = [{"type": "function", "name": n, "parameters": {"type": "object", "properties": {}}} for n in ("weather", "time")]

    def probe(client: AppClient, state: EmulatorState) -> tuple[int, Any]:
        body = create(client, input="The weather and the time, please.", tools=tools, parallel_tool_calls=False).json()
        return sum(i["type"] == "function_call" for i in body["output"]), body["parallel_tool_calls"]

    faithful, mutated = differs("parallel-tool-calls-false-ignored", probe)
    assert faithful == (1, False) and mutated == (2, False)


def test_a_truncated_image_is_accepted_when_only_the_header_is_read():
    url = "data:image/png;base64," + base64.b64encode(PNG[: len(PNG) // 2]).decode()

    def probe(client: AppClient, state: EmulatorState) -> int:
        content = [{"type": "input_text", "text": "Describe it."}, {"type": "input_image", "image_url": url}]
        return create(client, input=[{"role": "user", "content": content}]).status_code

    assert differs("truncated-image-accepted", probe) == (400, 200)


def test_max_output_tokens_not_enforced():
    def probe(client: AppClient, state: EmulatorState) -> tuple[str, Any]:
        body = create(client, input="Tell me a joke.", max_output_tokens=16).json()
        return body["status"], body["max_output_tokens"]

    assert differs("max-output-tokens-ignored", probe) == (("incomplete", 16), ("completed", 16))


def test_store_false_still_retrievable():
    def probe(client: AppClient, state: EmulatorState) -> tuple[Any, int]:
        body = create(client, input="Tell me a joke.", store=False).json()
        return body["store"], client.get(f"/openai/v1/responses/{body['id']}").status_code

    assert differs("store-false-retrievable", probe) == ((False, 404), (False, 200))


def test_cancel_that_lets_the_job_complete():
    def probe(client: AppClient, state: EmulatorState) -> tuple[str, str]:
        body = create(client, input="Write a long story.", background=True).json()
        said = client.post(f"/openai/v1/responses/{body['id']}/cancel").json()["status"]
        client._loop.run_until_complete(asyncio.sleep(0.6))  # type: ignore[attr-defined]  # past the job's end
        return said, client.get(f"/openai/v1/responses/{body['id']}").json()["status"]

    assert differs("cancel-reports-but-completes", probe) == (("cancelled", "cancelled"), ("cancelled", "completed"))


def _upload(client: AppClient, text: bytes, name: str = "doc.txt") -> str:
    reply = client.post("/openai/v1/files", data={"purpose": "assistants"}, files={"file": (name, text, "text/plain")})
    return str(reply.json()["id"])


def _store(client: AppClient, *texts: bytes) -> tuple[str, list[str]]:
    ids = [_upload(client, t, f"doc{i}.txt") for i, t in enumerate(texts)]
    store = client.post("/openai/v1/vector_stores", json={"name": "w", "file_ids": ids}).json()
    return str(store["id"]), ids


@pytest.mark.parametrize(("mutation", "path"), [
    ("vector-store-delete-noop", lambda sid, fids: f"/openai/v1/vector_stores/{sid}"),
    ("file-delete-noop", lambda sid, fids: f"/openai/v1/files/{fids[0]}"),
])
def test_a_delete_that_keeps_the_object(mutation, path):
    def probe(client: AppClient, state: EmulatorState) -> tuple[bool, int]:
        url = path(*_store(client, b"Our values are integrity and kindness."))
        deleted = client.delete(url).json()["deleted"]
        return deleted, client.get(url).status_code

    assert differs(mutation, probe) == ((True, 404), (True, 200))


def test_max_num_results_ignored():
    def probe(client: AppClient, state: EmulatorState) -> int:
        sid, _ = _store(client, b"Values: integrity.", b"Values: kindness.", b"Values: courage.")
        body = create(client, input="What are the values?", include=["file_search_call.results"],
                      tools=[{"type": "file_search", "vector_store_ids": [sid], "max_num_results": 1}]).json()
        return len(next(i for i in body["output"] if i["type"] == "file_search_call")["results"])

    assert differs("max-num-results-ignored", probe) == (1, 3)


def test_file_batches_stuck_in_progress():
    def probe(client: AppClient, state: EmulatorState) -> str:
        sid, _ = _store(client)
        batch = client.post(f"/openai/v1/vector_stores/{sid}/file_batches",
                            json={"file_ids": [_upload(client, b"Values: integrity.")]}).json()
        return str(client.get(f"/openai/v1/vector_stores/{sid}/file_batches/{batch['id']}").json()["status"])

    assert differs("vector-store-files-stuck", probe) == ("completed", "in_progress")


def test_persistent_500_where_a_404_is_due():
    probe = lambda client, state: client.get("/openai/v1/responses/resp_" + "0" * 48).status_code  # noqa: E731
    assert differs("persistent-500-for-404", probe) == (404, 500)


def test_refusing_max_output_tokens():
    def probe(client: AppClient, state: EmulatorState) -> tuple[int, Any]:
        reply = create(client, input="Hello", max_output_tokens=16)
        return reply.status_code, (reply.json().get("error") or {}).get("code")

    assert differs("refuse-max-output-tokens", probe) == ((200, None), (400, "unsupported_parameter"))


def test_a_mutant_whose_seam_is_gone_refuses_to_start(monkeypatch):
    from emulator.state import store
    monkeypatch.delattr(store.Record, "history")
    with pytest.raises(ValueError, match="cannot hook the emulator"):
        activate("history-last-two-turns", EmulatorState.create(api_key=API_KEY))


def test_sse_frames_split_across_chunks_are_rewritten_whole():
    from asgi_driver import Raw, call

    from emulator.mutations.base import Mutant

    class Upper(Mutant):
        name, family, description, features = "upper", "streaming", "test only", ("responses.stream",)

        def event(self, ex, event):
            return [{**event, "delta": str(event.get("delta", "")).upper()}]

    async def app(scope, receive, send):
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/event-stream")]})
        for chunk in (b'event: d\ndata: {"type":"d","delta":"ab"}\n\nevent: d\nda', b'ta: {"type":"d","delta":"cd"}\n', b"\n"):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    mutant = Upper()
    reply = asyncio.run(call(Mutating(app, mutant), Raw("POST", "/openai/v1/responses", body=b"{}")))
    assert reply.body.count(b"\n\n") == 2 and b'"AB"' in reply.body and b'"CD"' in reply.body
    assert mutant.stats["fired"] == 2


# --- witnesses for the survivors the suite reaches but does not see ---------------------------


def _stream(client: AppClient, **body: Any) -> tuple[str, list[Any]]:
    """(content type, data lines) of a streamed create."""
    reply = create(client, input="Write a poem about the sea.", max_output_tokens=32, stream=True, **body)
    lines = [line[len("data: "):] for line in reply.text.split("\n") if line.startswith("data: ")]
    return reply.headers["content-type"].split(";")[0], [json.loads(x) if x.startswith("{") else x for x in lines]


@pytest.mark.parametrize(("mutation", "observe"), [
    ("sse-content-type-json", lambda ctype, events: ctype),
    ("stream-usage-null", lambda ctype, events: events[-1]["response"]["usage"] is None),
    ("sse-done-frame", lambda ctype, events: events[-1] == "[DONE]"),
    ("error-after-completed", lambda ctype, events: [e["type"] for e in events[-2:]]),
])
def test_stream_bugs_show_on_the_wire(mutation, observe):
    differs(mutation, lambda client, state: observe(*_stream(client)))


def test_timestamps_in_milliseconds():
    probe = lambda client, state: create(client, input="Hi").json()["created_at"] > 10**11  # noqa: E731
    assert differs("timestamps-milliseconds", probe) == (False, True)


def test_reasoning_tokens_always_zero():
    def probe(client: AppClient, state: EmulatorState) -> int:
        body = create(client, model="o4-mini", input="How many r's in strawberry?", reasoning={"effort": "high"}).json()
        return int(body["usage"]["output_tokens_details"]["reasoning_tokens"])

    faithful, mutated = differs("reasoning-tokens-zero", probe)
    assert faithful > 0 and mutated == 0


def test_a_generated_image_cut_in_half_does_not_decode():
    import io

    from PIL import Image

    def probe(client: AppClient, state: EmulatorState) -> str:
        body = client.post("/openai/v1/responses", headers={"x-ms-oai-image-generation-deployment": "gpt-image-1"},
                           json={"model": "gpt-4o", "input": "A cat.", "tools": [{"type": "image_generation"}]}).json()
        result = next(i for i in body["output"] if i["type"] == "image_generation_call")["result"]
        try:
            Image.open(io.BytesIO(base64.b64decode(result))).load()
        except OSError as exc:
            return type(exc).__name__
        return "decodes"

    assert differs("image-result-truncated", probe)[0] == "decodes"


@pytest.fixture(scope="module")
def mcp_server() -> Iterator[Any]:
    from conformance.pytest_plugin.fixtures.mcp_server import LocalMcpServer

    server = LocalMcpServer()
    server.start()
    yield server
    server.stop()


def test_the_approved_mcp_call_loses_its_approval_request_id(mcp_server):
    from conformance.pytest_plugin.fixtures.mcp_server import TOKEN

    tool = {"type": "mcp", "server_label": "t", "server_url": mcp_server.url, "require_approval": "always",
            "headers": {"Authorization": f"Bearer {TOKEN}"}}

    def probe(client: AppClient, state: EmulatorState) -> bool:
        first = create(client, input="Use the add tool to add 2 and 3.", tools=[tool]).json()
        request = next(i for i in first["output"] if i["type"] == "mcp_approval_request")
        second = create(client, previous_response_id=first["id"], tools=[tool],
                        input=[{"type": "mcp_approval_response", "approve": True, "approval_request_id": request["id"]}]).json()
        call = next(i for i in second["output"] if i["type"] == "mcp_call")
        return call["approval_request_id"] == request["id"]

    assert differs("approval-request-id-null", probe) == (True, False)
