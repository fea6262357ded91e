"""The suite stays honest when the service misbehaves: faults are inconclusive, not failures."""

from __future__ import annotations

import openai
import pytest

from conformance import expect
from conformance.client.polling import StillPending, wait_until_done
from conformance.model.sdk import http_module
from conformance.outcome.stream_errors import StreamErrorEvent, events_of
from conformance.model.targets import load_targets
from conformance.outcome.verdicts import Verdict, from_exception

httpx = http_module()


def _throttled() -> openai.RateLimitError:
    request = httpx.Request("POST", "https://RESOURCE.openai.azure.com/openai/v1/responses")
    headers = {"retry-after": "1", "retry-after-ms": "50", "x-ratelimit-remaining-requests": "0",
               "apim-request-id": "r1", "content-type": "application/json", "x-secret-ish": "no"}
    response = httpx.Response(429, json={"error": {"code": "429", "message": "busy"}}, request=request, headers=headers)
    return openai.RateLimitError("busy", response=response, body={"error": {"code": "429", "message": "busy"}})


def test_a_throttled_call_keeps_its_status_and_rate_limit_headers_as_evidence():
    verdict, evidence = from_exception(_throttled())
    assert verdict is Verdict.INCONCLUSIVE and evidence.status == 429
    assert evidence.headers == {"retry-after": "1", "retry-after-ms": "50", "x-ratelimit-remaining-requests": "0",
                                "apim-request-id": "r1"}


@pytest.mark.parametrize("code", ["server_error", "rate_limit_exceeded"])
def test_a_transient_stream_error_event_is_inconclusive(code):
    verdict, evidence = from_exception(StreamErrorEvent({"type": "error", "code": code, "message": "m", "sequence_number": 4}))
    assert verdict is Verdict.INCONCLUSIVE and evidence.code == code and "4" in evidence.detail


def test_any_other_stream_error_event_is_a_failure():
    verdict, _ = from_exception(StreamErrorEvent({"type": "error", "code": "invalid_prompt", "message": "m"}))
    assert verdict is Verdict.FAILED


def test_a_connection_dropped_mid_stream_is_inconclusive():
    assert from_exception(httpx.RemoteProtocolError("peer closed connection"))[0] is Verdict.INCONCLUSIVE


def test_a_poll_that_never_finishes_is_inconclusive():
    assert from_exception(StillPending("still queued"))[0] is Verdict.INCONCLUSIVE


def test_events_of_raises_on_an_error_event_and_can_stop_part_way():
    events = [{"type": "response.queued", "sequence_number": 0}, {"type": "response.in_progress", "sequence_number": 1},
              {"type": "error", "code": "server_error", "message": "x", "sequence_number": 2}]
    assert [e["sequence_number"] for e in events_of(events, stop_after=1)] == [0, 1]
    with pytest.raises(StreamErrorEvent):
        list(events_of(events))


def test_expected_error_checks_pass_throttling_through():
    with pytest.raises(openai.RateLimitError):
        expect.azure_error(_throttled(), 404)


class _Raw:
    def __init__(self, status: str, hint: str | None) -> None:
        self._status, self.headers = status, ({"openai-poll-after-ms": hint} if hint else {})

    def parse(self):
        return type("R", (), {"status": self._status})()


class _Client:
    def __init__(self, statuses, hint=None):
        self._statuses, self._hint = list(statuses), hint
        outer = self

        class _WithRaw:
            def retrieve(self, response_id):
                return _Raw(outer._statuses.pop(0), outer._hint)

        self.responses = type("Responses", (), {"with_raw_response": _WithRaw()})()


def test_polling_honours_the_hint_live_and_never_sleeps_in_replay():
    slept: list[float] = []
    done = wait_until_done(_Client(["queued", "in_progress", "completed"], hint="250"), "r", interval=1.0, timeout=60, sleep=slept.append)
    assert done.status == "completed" and slept == [0.25, 0.25]
    slept.clear()
    wait_until_done(_Client(["queued", "completed"], hint="250"), "r", interval=0, timeout=60, sleep=slept.append)
    assert slept == [0]


def test_polling_is_bounded():
    with pytest.raises(StillPending):
        wait_until_done(_Client(["queued"] * 5), "r", interval=0, timeout=0, sleep=lambda s: None)


def test_retries_and_timeouts_are_set_per_resource(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text(
        '[[resources]]\nname="r"\nendpoint="https://r.openai.azure.com"\nregion="x"\nmax_retries=5\ntimeout=7.5\n'
        'poll_interval=2\npoll_timeout=90\n[[resources.deployments]]\nname="d"\nmodel="m"\n'
        '[[matrix]]\nresource="r"\napi=["v1"]\nauth=["key"]\ndeployment=["d"]\n'
    )
    (target,) = load_targets(path)
    assert (target.max_retries, target.timeout, target.poll_interval, target.poll_timeout) == (5, 7.5, 2.0, 90.0)


def test_the_wiretap_reports_error_events_split_across_chunks():
    from conformance.client.wiretap import errors_only, tap_sse

    body = (b'event: response.created\ndata: {"type":"response.created","sequence_number":0}\n\n'
            b'event: error\ndata: {"type":"error","code":"server_error","message":"m","sequence_number":1}\n\n')
    seen: list[dict] = []
    response = httpx.Response(200, headers={"content-type": "text/event-stream"}, stream=httpx.ByteStream(b""))
    response.stream = type("S", (httpx.SyncByteStream,), {"__iter__": lambda self: iter([body[:70], body[70:]])})()
    tap_sse(response, errors_only(seen.append))
    assert b"".join(response.iter_raw()) == body
    assert [e["code"] for e in seen] == ["server_error"]


def test_a_response_that_finished_before_its_cancel_is_inconclusive():
    from conformance.client.polling import FinishedFirst

    assert from_exception(FinishedFirst("already completed"))[0] is Verdict.INCONCLUSIVE
