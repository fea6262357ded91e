"""The cross-call contracts (conformance/contracts.py), the forged token and the bounded
polls: each fed the shape a broken service gives, and seen to catch it."""

from __future__ import annotations

import itertools
import urllib.error
import urllib.request

import jwt
import openai
import pytest

from conformance.client import auth
from conformance import contracts
from conformance.client.polling import NeverFinished, StillPending, poll, wait_for_file_batch
from conformance.model.sdk import http_module
from conformance.client.tokens import with_bad_signature
from conformance.outcome.verdicts import Verdict, from_exception
from conformance.model.targets import load_targets
from emulator.gateway.auth import Authenticator
from live_support import ROOT, emulator_process, first_url

httpx = http_module()


def _status_error(status: int, body: dict) -> openai.APIStatusError:
    request = httpx.Request("GET", "https://RESOURCE.openai.azure.com/openai/v1/responses/resp_1")
    response = httpx.Response(status, json=body, request=request)
    cls = {404: openai.NotFoundError, 400: openai.BadRequestError, 429: openai.RateLimitError}.get(status, openai.APIStatusError)
    return cls("refused", response=response, body=body)


def _raises(exc: Exception):
    def fetch():
        raise exc

    return fetch


# --- gone / not_listed: store=false, deleted vector stores ---------------------------------

def test_gone_accepts_azures_404():
    error = contracts.gone(_raises(_status_error(404, {"error": {"message": "Response with id 'resp_1' not found."}})), "resp_1")
    assert "resp_1" in error["message"]


def test_gone_catches_an_object_that_is_still_retrievable():
    with pytest.raises(AssertionError, match="still retrievable.*status='completed'"):
        contracts.gone(lambda: {"object": "response", "id": "resp_1", "status": "completed"}, "resp_1 (store=false)")


def test_gone_catches_a_404_not_in_azures_shape_and_another_status():
    with pytest.raises(AssertionError, match="error body"):
        contracts.gone(_raises(_status_error(404, {"detail": "nope"})), "vs_1")
    with pytest.raises(AssertionError, match="expected HTTP 404, got 400"):
        contracts.gone(_raises(_status_error(400, {"error": {"message": "bad"}})), "vs_1")


def test_gone_passes_throttling_through_as_inconclusive():
    with pytest.raises(openai.RateLimitError):
        contracts.gone(_raises(_status_error(429, {"error": {"message": "busy"}})), "vs_1")


def test_refused_catches_a_credential_the_service_accepted():
    body = {"error": {"code": "401", "message": "Unauthorized. Access token is missing, invalid, audience is incorrect."}}
    assert contracts.refused(_raises(_status_error(401, body)), 401, "a forged token")["code"] == "401"
    with pytest.raises(AssertionError, match="a forged token must be refused with HTTP 401, but it succeeded: object='response'"):
        contracts.refused(lambda: {"object": "response", "id": "resp_1", "status": "completed"}, 401, "a forged token")
    with pytest.raises(AssertionError, match="expected HTTP 401, got 400"):
        contracts.refused(_raises(_status_error(400, {"error": {"message": "bad"}})), 401, "a forged token")


def test_not_listed_catches_a_delete_that_kept_the_store():
    contracts.not_listed([{"id": "vs_2"}], "vs_1", "vector store")
    with pytest.raises(AssertionError, match="still listed"):
        contracts.not_listed([{"id": "vs_2"}, {"id": "vs_1"}], "vs_1", "vector store")


# --- input_items order ---------------------------------------------------------------------

SENT = ["one", "two", "three"]


def _items(texts):
    return [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": t}]} for t in texts]


def test_input_items_order_desc_is_newest_first_and_asc_as_sent():
    contracts.input_items_in_order(_items(["three", "two", "one"]), SENT, "desc")
    contracts.input_items_in_order(_items(SENT), SENT, "asc")


@pytest.mark.parametrize("order,listed", [
    ("desc", SENT),  # asc served as the default
    ("asc", ["three", "two", "one"]),  # order ignored
    ("desc", ["three", "one", "two"]),  # shuffled
    ("desc", ["three", "two"]),  # one dropped
])  # fmt: skip
def test_input_items_in_the_wrong_order_are_caught(order, listed):
    with pytest.raises(AssertionError, match=f"order={order}"):
        contracts.input_items_in_order(_items(listed), SENT, order)


# --- at_most: parallel_tool_calls=false ----------------------------------------------------

def test_at_most_catches_parallel_calls_when_they_were_turned_off():
    calls = [{"type": "function_call", "name": "get_weather"}, {"type": "function_call", "name": "get_time"}]
    assert len(contracts.at_most([*calls[:1], {"type": "message"}], "function_call", 1, "parallel_tool_calls=false")) == 1
    with pytest.raises(AssertionError, match="parallel_tool_calls=false.*got 2"):
        contracts.at_most(calls, "function_call", 1, "parallel_tool_calls=false")


# --- results_capped: max_num_results -------------------------------------------------------

def test_results_capped_catches_max_num_results_ignored_and_missing_results():
    contracts.results_capped([{"file_id": "f1"}], 1)
    with pytest.raises(AssertionError, match="max_num_results=1.*returned 2"):
        contracts.results_capped([{"file_id": "f1"}, {"file_id": "f2"}], 1)
    with pytest.raises(AssertionError, match="none came"):
        contracts.results_capped(None, 1)


# --- stays_cancelled -----------------------------------------------------------------------

def test_stays_cancelled_catches_a_job_that_ran_on():
    contracts.stays_cancelled({"status": "cancelled", "output": []})
    with pytest.raises(AssertionError, match="'completed'"):
        contracts.stays_cancelled({"status": "completed", "output": []})
    produced = [{"type": "message", "content": [{"type": "output_text", "text": "Once upon a time"}]}]
    with pytest.raises(AssertionError, match="still produced output text"):
        contracts.stays_cancelled({"status": "cancelled", "output": produced})


# --- names_colour: vision that reads only the header --------------------------------------

def test_names_colour_accepts_the_dominant_colour_in_any_case():
    contracts.names_colour("Blue.", "blue")
    contracts.names_colour("I see a 64x48 PNG image, mostly blue.", "blue")
    contracts.names_colour("Gray", "grey")


@pytest.mark.parametrize("answer", [
    "I see a 64x48 PNG image.",  # only the header was read
    "Red.",  # a guess
    "Blue and yellow and red.",  # every colour at once
])  # fmt: skip
def test_names_colour_catches_an_answer_that_did_not_look_at_the_pixels(answer):
    with pytest.raises(AssertionError, match="mostly blue"):
        contracts.names_colour(answer, "blue")


# --- approval_linked -----------------------------------------------------------------------

def test_approval_linked_catches_a_null_or_wrong_approval_request_id():
    contracts.approval_linked({"type": "mcp_call", "approval_request_id": "mcpr_1"}, "mcpr_1")
    for broken in ({"type": "mcp_call", "approval_request_id": None}, {"type": "mcp_call"},
                   {"type": "mcp_call", "approval_request_id": "mcpr_2"}):
        with pytest.raises(AssertionError, match="mcpr_1"):
            contracts.approval_linked(broken, "mcpr_1")


# --- tokens: a JWT with a spoiled signature -------------------------------------------------

def test_a_forged_token_keeps_the_claims_and_fails_verification():
    auth = Authenticator("k" * 32)
    genuine, _ = auth.mint("https://cognitiveservices.azure.com/.default")
    forged = with_bad_signature(genuine)

    assert forged != genuine and forged.split(".")[:2] == genuine.split(".")[:2]
    assert jwt.decode(forged, options={"verify_signature": False}) == jwt.decode(genuine, options={"verify_signature": False})
    assert auth.token_valid(genuine) and not auth.token_valid(forged)


def test_the_replay_placeholder_forges_to_a_jwt_shape():
    forged = with_bad_signature("replay-entra-token")
    assert forged.count(".") == 2 and with_bad_signature("replay-entra-token") == forged


def _status(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as refused:
        return refused.code


def test_the_other_audience_token_is_genuine_and_refused_only_for_its_audience(tmp_path, monkeypatch):
    # errors.auth's token for another audience: minted through the suite's own credential path
    # (azure-identity, managed identity) by the same issuer, reported for scrubbing, and refused
    # by a service that checks `aud` while the target's own token is served.
    with emulator_process(tmp_path) as info:
        monkeypatch.setenv("IDENTITY_ENDPOINT", info["identity_endpoint"])
        monkeypatch.setenv("IDENTITY_HEADER", info["identity_header"])
        identity = auth.EmulatorIdentity(info["identity_endpoint"], info["identity_header"])
        target = next(t for t in load_targets(ROOT / "targets" / "emulator.toml") if t.auth == "entra" and t.is_v1)
        secrets: list[str] = []
        other = auth.entra_provider(target, identity=identity, on_secret=secrets.append,
                                    scope=auth.OTHER_AUDIENCE_SCOPE)()
        own = auth.entra_provider(target, identity=identity)()
        models = first_url(info) + "/openai/v1/models"
        assert _status(models, own) == 200 and _status(models, other) == 401
    claims, own_claims = (jwt.decode(t, options={"verify_signature": False}) for t in (other, own))
    assert claims["aud"] == "https://management.azure.com" != own_claims["aud"]
    assert claims["iss"] == own_claims["iss"] and secrets == [other]


# --- polling: a deadline, never a hang -----------------------------------------------------

class _Raw:
    def __init__(self, status: str) -> None:
        self._status, self.headers = status, {}

    def parse(self):
        return type("Batch", (), {"status": self._status})()


class _Stores:
    """A vector stores API whose file batch never leaves in_progress (or finishes after n)."""

    def __init__(self, statuses):
        outer, self.asked = self, []

        class _WithRaw:
            def retrieve(self, batch_id, *, vector_store_id):
                outer.asked.append((batch_id, vector_store_id))
                return _Raw(next(statuses))

        self.file_batches = type("FileBatches", (), {"with_raw_response": _WithRaw()})()


def test_a_file_batch_is_polled_until_it_is_processed():
    stores = _Stores(iter(["in_progress", "in_progress", "completed"]))
    batch = wait_for_file_batch(stores, "vs_1", "vsfb_1", interval=0, timeout=60, sleep=lambda s: None)
    assert batch.status == "completed" and stores.asked == [("vsfb_1", "vs_1")] * 3


def test_a_file_batch_stuck_in_progress_gives_a_failed_verdict_not_a_hang():
    stores = _Stores(itertools.repeat("in_progress"))
    with pytest.raises(NeverFinished) as stuck:
        wait_for_file_batch(stores, "vs_1", "vsfb_1", interval=0, timeout=0.05, sleep=lambda s: None)
    assert str(stuck.value) == "file batch vsfb_1 of vs_1 still in_progress after 0 s of polling"
    verdict, evidence = from_exception(stuck.value)
    assert verdict is Verdict.FAILED and "still in_progress after" in evidence.detail


def test_poll_measures_its_deadline_on_the_clock_it_is_given():
    ticks = iter(range(0, 1000, 10))  # every call 10 s later
    slept: list[float] = []
    with pytest.raises(StillPending, match="still queued after 30 s"):
        poll(lambda: _Raw("queued"), what="job", interval=2.0, timeout=30, sleep=slept.append, clock=lambda: next(ticks))
    assert slept == [2.0, 2.0]  # polled at 10, 20 and 30 s; gave up at the deadline


def _png_b64(size=(64, 48)) -> str:
    import base64
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def test_whole_image_decodes_every_pixel():
    image = contracts.whole_image(_png_b64())
    assert image.format == "PNG" and image.size == (64, 48)


def test_whole_image_catches_an_image_cut_after_half_its_data():
    import base64

    data = base64.b64decode(_png_b64())
    half = base64.b64encode(data[: len(data) // 2]).decode()
    with pytest.raises(AssertionError, match="does not decode whole"):
        contracts.whole_image(half)
    with pytest.raises(AssertionError, match="not base64"):
        contracts.whole_image("not base64!")


# --- states_fact: a service that did not read the document ---------------------------------


def test_states_fact_accepts_the_fact_in_any_case():
    contracts.states_fact("The badge is Violet.", "violet", "handbook.pdf")


def test_states_fact_catches_an_answer_made_without_the_document():
    with pytest.raises(AssertionError, match="handbook.pdf says '31'"):
        contracts.states_fact("I could not find anything about vacation days.", "31", "handbook.pdf")
