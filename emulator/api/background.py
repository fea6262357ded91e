"""Background mode, the handlers' side: refusals, start, resume and cancel of a background job.

The jobs themselves (queued -> in_progress -> completed over time) are
:mod:`emulator.engine.background`; the events come from the SSE module
(:mod:`emulator.api.stream`), re-opened with ``response.queued`` as background streams are.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import StreamingResponse

from emulator.api.call import Call, Reply
from emulator.engine.background import Event, Job, pending, timing_for
from emulator.engine.run import Run
from emulator.state.profile import Deployment
from emulator.state.store import Record
from emulator.wire import errors
from emulator.api import stream
from emulator.wire.request import CreateRequest


def background_events(response: dict[str, Any]) -> list[Event]:
    """The stream a background create replays: ``response.queued`` first, then the usual events."""
    body = [ev for ev in stream.events(response) if ev["type"] != "response.created"]
    queued = {"type": "response.queued", "response": pending(response, "queued")}
    out = [queued, *body]
    return [{**ev, "sequence_number": n} for n, ev in enumerate(out)]

def check_allowed(call: Call, req: CreateRequest) -> None:
    """Refusals before any work: the api flavour, and ``store=false``.

    No real body for background on a dated api-version is public (learn.microsoft.com/azure/foundry/openai/api-version-lifecycle only
    says background is a v1 feature), so it takes the shape of the service's documented
    parameter refusals: ``param`` names the parameter and ``code`` is ``unsupported_parameter``
    (as in github.com/immersive-translate/immersive-translate/issues/2694); clients can tell
    it from a broken request by those two fields, not by the wording. ``store=false``:
    learn.microsoft.com/azure/foundry/openai/how-to/responses "requires store=true"; the exact body was not verified, so it is an
    OpenAI-style 400 on ``store``.
    """
    if not call.state.profile.feature_enabled("background", call.api.name):
        raise errors.invalid_request(
            f"Unsupported parameter: 'background' is not supported in api-version {call.api.name}; "
            "it is available in the v1 API.",
            "background",
            "unsupported_parameter",
        )
    if not req.store:
        raise errors.invalid_request("Background mode requires store=true.", "store")


def start(call: Call, req: CreateRequest, run: Run, deployment: Deployment) -> Reply:
    """Store the run as a queued response, start its job, answer with the snapshot or a stream."""
    events = background_events(run.response) if req.stream else None
    override = getattr(call.state, "background_ms", None)
    job = call.state.jobs.start(run.record, events, timing_for(call.state.profile, deployment, override))
    call.store.put(run.record)
    if events is None:
        return 200, job.record.response
    return _sse(call, job, -1)


def _sse(call: Call, job: Job, after: int) -> Reply:
    assert job.events is not None
    call.meta.streaming = True
    return StreamingResponse(job.follow(after, stream.encode), media_type="text/event-stream; charset=utf-8")


def resume(call: Call, record: Record) -> Reply:
    """``GET /responses/{id}?stream=true&starting_after=N``.

    learn.microsoft.com/azure/foundry/openai/how-to/responses: resume works only if the original request set ``stream=true``; the
    wording of the refusal is not in the notes.
    """
    job = call.state.jobs.get(record.id)
    if job is None or job.events is None:
        raise errors.invalid_request(
            "This response cannot be streamed: only background responses created with stream=true "
            "can be resumed.",
            "stream",
        )
    raw = call.request.query_params.get("starting_after")
    try:
        after = -1 if raw is None else int(raw)
    except ValueError:
        raise errors.invalid_type("starting_after", "an integer", "a string") from None
    return _sse(call, job, after)


async def cancel(call: Call) -> Reply:
    """``POST /responses/{id}/cancel``: idempotent, returns the final object (learn.microsoft.com/azure/foundry/openai/how-to/responses).

    Cancelling a response that was not created with ``background=true`` is refused; the
    wording is not in the notes.
    """
    call.meta.openai_meta = True
    response_id = call.request.path_params["response_id"]
    record = call.store.get(response_id)
    if record is None:
        raise errors.response_not_found(response_id)
    call.meta.deployment = call.resource.deployment(record.deployment)
    job = call.state.jobs.get(response_id)
    if job is None:
        raise errors.invalid_request("Only responses created with background=true can be cancelled.")
    await job.cancel()
    return 200, job.record.response
