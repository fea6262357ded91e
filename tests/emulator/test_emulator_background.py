"""Background mode in the emulator: the status walk, cancel that stops the work, the gates.

A real server in a thread (not the in-process client): the background worker is an asyncio
task that must keep running between requests.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from emulator.server import Emulator

KEY = "bg-key"


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with Emulator(api_key=KEY, background_ms=300) as emu:
        yield emu.info["resources"]["aoai-swc"]["url"]


@pytest.fixture
def http(base: str) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=base, headers={"api-key": KEY}, timeout=10) as client:
        yield client


def _create(http: httpx2.Client, **body: Any) -> httpx2.Response:
    return http.post("/openai/v1/responses", json={"model": "gpt-4o", "input": "Tell me a story", **body})


def _poll(http: httpx2.Client, response_id: str, timeout: float = 5.0) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = http.get(f"/openai/v1/responses/{response_id}").json()["status"]
        if not seen or seen[-1] != status:
            seen.append(status)
        if status not in ("queued", "in_progress"):
            return seen
        time.sleep(0.02)
    raise AssertionError(f"still {seen[-1]} after {timeout}s")


def test_background_walks_queued_in_progress_completed(http):
    created = _create(http, background=True)
    assert created.status_code == 200, created.text
    body = created.json()
    assert body["status"] == "queued" and body["background"] is True
    assert body["output"] == [] and body["usage"] is None

    assert _poll(http, body["id"]) == ["queued", "in_progress", "completed"]
    final = http.get(f"/openai/v1/responses/{body['id']}").json()
    assert final["output"] and final["usage"]["total_tokens"] > 0 and final["completed_at"]


def test_cancel_stops_the_work_and_is_idempotent(http):
    body = _create(http, background=True).json()
    first = http.post(f"/openai/v1/responses/{body['id']}/cancel")
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "cancelled"
    time.sleep(0.6)  # longer than the run: a cancelled job must not complete later
    again = http.post(f"/openai/v1/responses/{body['id']}/cancel")
    assert again.json() == first.json()
    assert http.get(f"/openai/v1/responses/{body['id']}").json()["status"] == "cancelled"


def test_cancel_of_a_synchronous_response_is_refused(http):
    body = _create(http).json()
    refused = http.post(f"/openai/v1/responses/{body['id']}/cancel")
    assert refused.status_code == 400
    assert "background" in refused.json()["error"]["message"]


def test_cancel_of_an_unknown_id_is_404(http):
    assert http.post("/openai/v1/responses/resp_nope/cancel").status_code == 404


def test_background_needs_store(http):
    refused = _create(http, background=True, store=False)
    assert refused.status_code == 400
    assert refused.json()["error"]["param"] == "store"


def test_background_is_v1_only_and_the_refusal_is_documented(http):
    """The dated refusal must read as a documented refusal of `background` (conformance
    UNSUPPORTED_RULES, judged by its code and param)."""
    from conformance.outcome.verdicts import classify_refusal, judge_refusal, named_subjects

    refused = http.post(
        "/openai/responses?api-version=2025-04-01-preview",
        json={"model": "gpt-4o", "input": "hi", "background": True},
    )
    assert refused.status_code == 400
    error = refused.json()["error"]
    rule = classify_refusal(400, error.get("code"), error["message"])
    assert rule is not None, error
    assert judge_refusal(rule, named_subjects(error.get("param"), error["message"], None), "background")[0], error


def test_timing_per_deployment_and_override():
    from emulator.engine.background import timing_for
    from emulator.state.profile import Deployment, load_profile

    profile = load_profile()
    slow = Deployment(name="x", model="x", version="1", background_ms=2000)
    assert timing_for(profile, slow, None).running == 2.0
    assert timing_for(profile, slow, 10).running == 0.01
    plain = Deployment(name="y", model="y", version="1")
    assert timing_for(profile, plain, None).running == profile.background.running_ms / 1000


def _sse(text: str) -> list[dict[str, Any]]:
    import json

    return [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: ")]


def test_a_background_stream_starts_queued_and_resumes_without_gaps(http):
    with http.stream("POST", "/openai/v1/responses",
                     json={"model": "gpt-4o", "input": "Tell me a story", "background": True, "stream": True}) as r:
        assert r.status_code == 200
        full = _sse(r.read().decode())
    assert full[0]["type"] == "response.queued" and full[0]["response"]["status"] == "queued"
    assert full[-1]["type"] == "response.completed"
    assert [e["sequence_number"] for e in full] == list(range(len(full)))

    resumed = http.get(f"/openai/v1/responses/{full[0]['response']['id']}", params={"stream": "true", "starting_after": 2})
    assert _sse(resumed.text) == full[3:]


def test_a_response_created_without_stream_cannot_be_resumed(http):
    body = _create(http, background=True).json()
    refused = http.get(f"/openai/v1/responses/{body['id']}", params={"stream": "true"})
    assert refused.status_code == 400 and refused.json()["error"]["param"] == "stream"
