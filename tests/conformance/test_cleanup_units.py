"""The pieces of cleanup: what counts as created or deleted on the wire, the journal's
folding (even after a kill mid-line), and listing-based cleanup that touches only
suite-named files and vector stores."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx2 as httpx
import openai

from conformance.cleanup import Outcome, _clean_resource
from conformance.created import api_path, created_by, deleted_by
from conformance.journal import Journal


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
