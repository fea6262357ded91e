"""Background mode: queued, polled to a terminal status, cancelled, and a stream resumed.

Seed: responses-background-aoai-v1.py (create with background=True, then retrieve every 2 s
while the status is queued or in_progress). learn.microsoft.com/azure/foundry/openai/how-to/responses: background requires
store=true, cancel is idempotent and returns the final object, and a background stream is
resumed with GET /responses/{id}?stream=true&starting_after=N. v1 only (learn.microsoft.com/azure/foundry/openai/api-version-lifecycle): on dated
api-versions the refusal is the verdict `unsupported`.
"""

import openai
import pytest

from conformance.harness import (
    contracts,
    events_of,
    expect,
    FinishedFirst,
    needs_sdk,
    wait_until_done,
)

PROMPT = "Write me a very long story"
#: How far the first reader of a background stream gets before it leaves.
CUT_AFTER = 3


@pytest.fixture
def settle(client, target, conformance_state):
    """Poll a background response to its end: the target's interval live, no waiting in replay."""
    interval = target.poll_interval if conformance_state.live else 0.0

    def settle(response_id, seen=None):
        return wait_until_done(client, response_id, interval=interval, timeout=target.poll_timeout,
                               on_status=None if seen is None else seen.append)

    return settle


@pytest.mark.feature("background")
def test_a_background_response_is_queued_then_completes(client, target, created, settle):
    needs_sdk("background")
    response = client.responses.create(model=target.deployment, input=PROMPT, background=True, store=True)

    assert response.background is True
    assert response.status == "queued", f"a background create returns queued at once, got {response.status}"

    seen = [response.status]
    final = settle(response.id, seen)

    order = ["queued", "in_progress", "completed"]
    assert [s for s in dict.fromkeys(seen)] == [s for s in order if s in seen], f"statuses went {seen}"
    assert final.status == "completed", f"ended {final.status}: {final.error or final.incomplete_details}"
    assert final.output_text.strip()


@pytest.mark.feature("background")
def test_background_without_store_is_refused(client, target):
    needs_sdk("background")
    with pytest.raises(openai.BadRequestError) as refused:
        client.responses.create(model=target.deployment, input=PROMPT, background=True, store=False)

    expect.not_a_documented_refusal(refused.value, "background")
    expect.azure_error(refused.value, 400)


@pytest.mark.feature("background.cancel")
def test_cancel_stops_a_background_response_and_is_idempotent(client, target, created, settle):
    needs_sdk("background.cancel")
    response = client.responses.create(model=target.deployment, input=PROMPT, background=True, store=True)
    # The same job, left to run: when it has finished, the cancelled one would have too.
    witness = client.responses.create(model=target.deployment, input=PROMPT, background=True, store=True)

    cancelled = client.responses.cancel(response.id)

    assert cancelled.id == response.id
    if cancelled.status in ("completed", "incomplete"):
        raise FinishedFirst(f"{response.id} was already {cancelled.status} when the cancel arrived")
    assert cancelled.status == "cancelled", f"cancel right after create gave {cancelled.status}"
    again = client.responses.cancel(response.id)
    assert expect.wire_dict(again) == expect.wire_dict(cancelled), "a second cancel must return the same final object"
    settle(witness.id)
    contracts.stays_cancelled(client.responses.retrieve(response.id))


@pytest.mark.feature("background.stream_resume")
def test_a_background_stream_resumes_after_the_last_event_read(client, target, created):
    needs_sdk("background.stream_resume")
    stream = client.responses.create(model=target.deployment, input=PROMPT, background=True, store=True, stream=True)
    first = list(events_of(stream, stop_after=CUT_AFTER))
    stream.close()
    assert first, "the background stream sent no events"
    response_id = first[0]["response"]["id"]
    last = first[-1]["sequence_number"]

    rest = list(events_of(client.responses.retrieve(response_id, stream=True, starting_after=last)))

    assert rest, f"nothing after sequence_number {last}"
    assert rest[0]["sequence_number"] == last + 1, f"resumed at {rest[0]['sequence_number']} after {last}"
    expect.conformant_stream(first + rest)
