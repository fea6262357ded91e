"""The pieces of cleanup: what counts as created or deleted on the wire, the journal's
folding (even after a kill mid-line), and listing-based cleanup that touches only
suite-named files and vector stores."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx2 as httpx
import openai

from conformance.live.cleanup import Outcome, _clean_resource
from conformance.live.created import api_path, created_by, deleted_by
from conformance.live.journal import Journal


def test_exchanges_that_create_and_delete() -> None:
    assert api_path("/openai/v1/responses/resp_1") == "/responses/resp_1"
    assert api_path("/openai/responses") == "/responses"
    assert api_path("/emulator/info") is None
    kind, rid = created_by("POST", "/responses", 200, {"id": "resp_1", "object": "response"}) or (None, None)
    assert kind is not None and kind.name == "response" and rid == "resp_1"
    assert created_by("POST", "/responses", 200, {"id": "resp_2", "store": False}) is None
    assert created_by("POST", "/responses", 400, {"error": {}}) is None
    made = created_by("POST", "/vector_stores", 200, {"id": "vs_1"})
    assert made is not None and made[0].name == "vector_store"
    gone = deleted_by("DELETE", "/files/file_1", 404)
    assert gone is not None and gone[0].name == "file" and gone[1] == "file_1"
    assert deleted_by("DELETE", "/responses/resp_1", 500) is None


def test_the_journal_folds_and_survives_a_torn_line(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    run = Journal(path, run="r1")
    a = run.created("response", "resp_a", resource="r", endpoint="https://x", target="t")
    run.created("response", "resp_b", resource="r", endpoint="https://x", target="t")
    Journal(path, run="r2").created("response", "resp_c", resource="r", endpoint="https://x", target="t")
    run.forget("response", "resp_b", endpoint="https://x")
    with path.open("a") as f:
        f.write('{"op":"created","kind":"resp')  # killed mid-write
    assert [e.id for e in run.alive()] == ["resp_a", "resp_c"]
    assert [e.id for e in run.alive(run="r1")] == ["resp_a"]
    run.compact([a])
    assert [e.id for e in Journal(path).alive()] == ["resp_a"]
    run.compact([])
    assert not path.exists()


class _Fake:
    """Just enough of an SDK client: files and vector stores that can be listed and deleted."""

    def __init__(self) -> None:
        self.file_names = {"file_1": "conformance-test_upload.jsonl", "file_2": "mine.jsonl"}
        self.store_names = {"vs_1": "conformance-docs", "vs_2": None, "vs_3": "docs"}
        self.files = SimpleNamespace(list=lambda: [SimpleNamespace(id=i, filename=n) for i, n in self.file_names.items()],
                                     delete=lambda i: self.file_names.pop(i))
        self.vector_stores = SimpleNamespace(list=lambda: [SimpleNamespace(id=i, name=n) for i, n in self.store_names.items()],
                                             delete=lambda i: self.store_names.pop(i))
        self.responses = SimpleNamespace(delete=self._missing)
        self.models = SimpleNamespace(list=lambda: [])  # cleanup's reachability probe

    def with_options(self, **_: Any) -> Any:
        return self

    def _missing(self, response_id: str) -> Any:
        request = httpx.Request("DELETE", f"https://x/responses/{response_id}")
        raise openai.NotFoundError("gone", response=httpx.Response(404, request=request), body=None)

    def get(self, path: str, cast_to: Any) -> Any:
        return {"metadata": {"conformance_suite": "responses-conformance"}}


def test_listing_cleanup_deletes_only_suite_named_objects() -> None:
    fake, outcome = _Fake(), Outcome()
    journal = Journal(Path("/nonexistent/j.jsonl"), run="r")
    entry = SimpleNamespace(kind="response", id="resp_old", endpoint="https://x")
    _clean_resource(fake, "res", [entry], outcome, dry_run=False)  # type: ignore[list-item]
    assert fake.file_names == {"file_2": "mine.jsonl"}
    assert fake.store_names == {"vs_2": None, "vs_3": "docs"}
    assert sorted(outcome.deleted) == ["file file_1 on res", "vector_store vs_1 on res"]
    assert outcome.gone == ["response resp_old on res"] and not outcome.failed
    assert journal.alive() == []


# --- ids registered the moment they are on the wire ------------------------------------------

def _target() -> Any:
    from conformance.model.targets import load_targets

    return next(t for t in load_targets("targets/emulator.toml") if t.is_v1 and t.auth == "key")


def _sse(*events: dict[str, Any]) -> bytes:
    import json

    return b"".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n".encode() for e in events)


class _Breaks(httpx.SyncByteStream):
    """A stream body that sends its first frames, then the connection drops."""

    def __init__(self, first: bytes) -> None:
        self.first = first

    def __iter__(self) -> Any:
        yield self.first
        raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")


def test_a_stream_that_breaks_after_its_first_event_is_journaled(tmp_path: Path) -> None:
    from conformance.live.tracking import Tracker
    from conformance.client.wiretap import created_ids, tap_sse

    target, tracker = _target(), Tracker(Journal(tmp_path / "j.jsonl", run="r"))
    created = {"type": "response.created", "sequence_number": 0,
               "response": {"id": "resp_s", "object": "response", "status": "in_progress"}}
    path = "/openai/v1/responses"
    reply = httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=_Breaks(_sse(created)),
                           request=httpx.Request("POST", f"http://127.0.0.1{path}"))
    tap_sse(reply, created_ids(lambda response: tracker.observe_stream(target, "POST", path, response)))
    try:
        for _ in reply.iter_bytes():
            assert [e.id for e in tracker.journal.alive()] == ["resp_s"]  # before the test sees any byte
    except httpx.RemoteProtocolError:
        pass
    assert [e.id for e in tracker.journal.alive()] == ["resp_s"]


def test_stream_events_journal_each_created_response_once(tmp_path: Path) -> None:
    from conformance.live.tracking import Tracker
    from conformance.client.wiretap import created_ids

    target, tracker = _target(), Tracker(Journal(tmp_path / "j.jsonl", run="r"))

    def feed(method: str, path: str, *events: dict[str, Any]) -> None:
        watch = created_ids(lambda response: tracker.observe_stream(target, method, path, response))
        for event in events:
            watch(event)

    def event(kind: str, rid: str, **response: Any) -> dict[str, Any]:
        return {"type": kind, "response": {"id": rid, **response}}

    feed("POST", "/openai/v1/responses", event("response.created", "resp_1"), event("response.in_progress", "resp_1"),
         event("response.completed", "resp_1"))
    feed("POST", "/openai/v1/responses", event("response.queued", "resp_bg"), event("response.created", "resp_bg"))
    feed("POST", "/openai/v1/responses", event("response.created", "resp_off", store=False))  # nothing stored
    feed("GET", "/openai/v1/responses/resp_x", event("response.created", "resp_x"))  # a resumed stream: not a create
    feed("POST", "/openai/v1/responses", event("response.output_text.delta", "resp_y"))  # not a creation event
    assert [e.id for e in tracker.journal.alive()] == ["resp_1", "resp_bg"]
    assert len((tmp_path / "j.jsonl").read_text().splitlines()) == 2  # journaled once each
    tracker.observe(target, "DELETE", "/openai/v1/responses/resp_1", 200, None)
    assert [e.id for e in tracker.journal.alive()] == ["resp_bg"]


def test_the_sweep_retries_a_delete_the_service_refused(tmp_path: Path) -> None:
    from conformance.live.tracking import Tracker

    target, tracker = _target(), Tracker(Journal(tmp_path / "j.jsonl", run="r"))
    tracker.observe(target, "POST", "/openai/v1/responses", 200, {"id": "resp_1"})
    tracker.observe(target, "POST", "/openai/v1/files", 200, {"id": "file_1"})
    refusals = {"resp_1": 2, "file_1": 5}
    deleted: list[str] = []

    def delete(object_id: str) -> None:
        if refusals[object_id]:
            refusals[object_id] -= 1
            raise openai.APIConnectionError(request=httpx.Request("DELETE", "http://127.0.0.1"))
        deleted.append(object_id)

    client = SimpleNamespace(responses=SimpleNamespace(delete=delete), files=SimpleNamespace(delete=delete), close=lambda: None)
    problems = tracker.sweep([target], lambda t: client)
    assert deleted == ["resp_1"]  # a third round got it
    assert len(problems) == 1 and "file_1" in problems[0]  # refused every round: reported, still journaled
    assert [e.id for e in tracker.journal.alive()] == ["file_1"]


def test_cleanup_never_prints_the_credential_a_service_echoed(tmp_path: Path, monkeypatch: Any) -> None:
    import io

    import conformance.live.cleanup as cleanup_module

    key, target = "leaky0123456789abcdef0123", _target()
    journal = Journal(tmp_path / "j.jsonl", run="r")
    journal.created("response", "resp_1", resource=target.resource, endpoint=target.endpoint, target=target.id)
    reply = httpx.Response(403, request=httpx.Request("GET", "http://127.0.0.1/openai/v1/responses/resp_1"))

    class _Refusing:
        files = vector_stores = models = SimpleNamespace(list=lambda: [])

        def with_options(self, **_: Any) -> Any:
            return self

        def get(self, *args: Any, **kwargs: Any) -> Any:
            raise openai.PermissionDeniedError(f"key {key} is not allowed here", response=reply, body=None)

        def __enter__(self) -> Any:
            return self

        def __exit__(self, *exc: Any) -> None:
            return None

    def client(target: Any, secrets: Any) -> Any:
        secrets.add_secret(key)
        return _Refusing()

    monkeypatch.setattr(cleanup_module, "_client", client)
    out = io.StringIO()
    outcome = cleanup_module.cleanup([target], journal, out=out)
    assert len(outcome.failed) == 1 and key in outcome.failed[0]  # the message did carry it
    assert key not in out.getvalue() and "key <SECRET> is not allowed" in out.getvalue(), out.getvalue()


def test_a_tests_registry_fills_itself_from_the_wire() -> None:
    from conformance.pytest_plugin.fixtures.cleanup import Created

    registry = Created()
    registry.saw("POST", "/openai/v1/responses", 200, {"id": "resp_1", "object": "response", "store": True})
    registry.saw("POST", "/openai/v1/responses", 200, {"id": "resp_1", "object": "response"})  # a stream's later event
    registry.saw("POST", "/openai/responses", 200, {"id": "resp_2", "store": False})  # not stored: nothing to delete
    registry.saw("POST", "/openai/v1/files", 200, {"id": "file_1"})
    registry.saw("POST", "/openai/v1/vector_stores", 200, {"id": "vs_1"})
    registry.saw("POST", "/openai/v1/vector_stores/vs_1/file_batches", 200, {"id": "vsfb_1"})  # part of the store
    registry.saw("POST", "/openai/v1/responses", 400, {"error": {"message": "no"}})
    registry.saw("GET", "/openai/v1/responses/resp_1", 200, {"id": "resp_1"})
    registry.saw("POST", "/elsewhere/responses", 200, {"id": "resp_3"})
    assert registry.objects == [("response", "resp_1"), ("file", "file_1"), ("vector_store", "vs_1")]
