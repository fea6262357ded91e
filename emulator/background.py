"""Background mode: a create that returns ``queued`` at once and finishes in an asyncio task.

azure-facts.md §4.7: ``background=true`` returns at once with ``status: queued``; clients poll
``GET /responses/{id}`` while it is ``queued`` or ``in_progress``; ``POST …/cancel`` is
idempotent and returns the final object; with ``stream=true`` the events are kept so that
``GET /responses/{id}?stream=true&starting_after=N`` resumes the stream; background
requires ``store=true``.

The model's work is the same :func:`emulator.run.execute` the synchronous path uses; the
job only reveals its result over time (queued -> in_progress -> completed), so a polled,
streamed or cancelled background response is made of the same bytes as a synchronous one.
The events come from the SSE module (:mod:`emulator.stream`), re-opened with
``response.queued`` as background streams are.
"""

from __future__ import annotations

import asyncio
import copy
import importlib
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import errors
from .profile import Deployment, Profile
from .request import CreateRequest
from .run import Run
from .store import Record

if TYPE_CHECKING:
    from .call import Call, Reply

Event = dict[str, Any]
TERMINAL = frozenset({"completed", "incomplete", "failed", "cancelled"})


@dataclass(frozen=True, slots=True)
class Timing:
    """How long a background response stays queued, then in progress (seconds)."""

    queued: float
    running: float


def timing_for(profile: Profile, deployment: Deployment, override_ms: int | None) -> Timing:
    """CLI override, else the deployment's own ``background_ms``, else the profile's."""
    spec = profile.background
    running_ms = override_ms if override_ms is not None else (deployment.background_ms or spec.running_ms)
    return Timing(queued=spec.queued_ms / 1000, running=running_ms / 1000)


def pending(response: dict[str, Any], status: str) -> dict[str, Any]:
    """The response as retrieve shows it before it is finished: nothing produced yet."""
    snap = copy.deepcopy(response)
    snap.update(status=status, completed_at=None, output=[], usage=None, content_filters=None,
                incomplete_details=None)
    return snap


def _stream_module() -> Any | None:
    """The SSE event generator, once the streaming work is present in this tree."""
    try:
        return importlib.import_module("emulator.stream")
    except ImportError:
        return None


def background_events(response: dict[str, Any]) -> list[Event] | None:
    """The stream of a background run: ``response.queued`` first (azure-facts.md §4.1), then
    the synchronous grammar without its ``response.created``, numbered from 0."""
    stream = _stream_module()
    if stream is None:
        return None
    body = [ev for ev in stream.events(response) if ev["type"] != "response.created"]
    queued = {"type": "response.queued", "response": pending(response, "queued")}
    out = [queued, *body]
    return [{**ev, "sequence_number": n} for n, ev in enumerate(out)]


@dataclass
class Job:
    """One background response: its stored record, its final run and its event log."""

    record: Record
    final: dict[str, Any]
    events: list[Event] | None
    """Every event of the stream, revealed up to ``published`` (None: not streamed)."""
    published: int = 0
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    task: asyncio.Task[None] | None = None

    @property
    def status(self) -> str:
        return str(self.record.response["status"])

    @property
    def done(self) -> bool:
        return self.status in TERMINAL

    async def _notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    async def publish(self, count: int = 1) -> None:
        if self.events is not None:
            self.published = min(self.published + count, len(self.events))
        await self._notify()

    async def work(self, timing: Timing) -> None:
        """queued -> in_progress -> completed, events spread over the running time."""
        await asyncio.sleep(timing.queued)
        self.record.response = pending(self.final, "in_progress")
        middle = (len(self.events) - 2) if self.events is not None else 0  # all but queued, terminal
        if middle > 0:
            step = timing.running / middle
            for _ in range(middle):
                await self.publish()
                await asyncio.sleep(step)
        else:
            await self._notify()
            await asyncio.sleep(timing.running)
        self.record.response = self.final
        await self.publish()

    async def cancel(self) -> None:
        """Stop the work; the response keeps what it had, with status ``cancelled``."""
        if self.done:
            return
        if self.task is not None:
            self.task.cancel()
        cancelled = pending(self.final, "cancelled")
        self.record.response = cancelled
        if self.events is not None:
            # Followers see the stream end where it was cut (no terminal event is sent).
            self.events = self.events[: self.published]
        await self._notify()

    async def follow(self, after: int, encode: Callable[[Event], bytes]) -> AsyncIterator[bytes]:
        """The events after sequence number ``after``, as they are published, until done."""
        assert self.events is not None
        index = after + 1
        while True:
            async with self.changed:
                await self.changed.wait_for(lambda: self.published > index or self.done)
            while index < self.published:
                yield encode(self.events[index])
                index += 1
            if self.done and index >= self.published:
                return


class Jobs:
    """The background responses of one emulator, by response id (the newest ``limit``)."""

    def __init__(self, limit: int = 10_000) -> None:
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self.limit = limit

    def get(self, response_id: str) -> Job | None:
        return self._jobs.get(response_id)

    def start(self, record: Record, events: list[Event] | None, timing: Timing) -> Job:
        final = record.response
        record.response = pending(final, "queued")
        job = Job(record=record, final=final, events=events, published=1 if events else 0)
        job.task = asyncio.get_running_loop().create_task(job.work(timing))
        self._jobs[record.id] = job
        while len(self._jobs) > self.limit:
            _, evicted = self._jobs.popitem(last=False)
            if evicted.task is not None:
                evicted.task.cancel()
        return job


# ----------------------------------------------------------------------- the handlers' side


def check_allowed(call: Call, req: CreateRequest) -> None:
    """Refusals before any work: the api flavour, and ``store=false``.

    No real body for background on a dated api-version is public (azure-facts.md §1.1 only
    says background is a v1 feature), so it takes the shape of the service's documented
    parameter refusals: ``param`` names the parameter and ``code`` is ``unsupported_parameter``
    (as in github.com/immersive-translate/immersive-translate/issues/2694); clients can tell
    it from a broken request by those two fields, not by the wording. ``store=false``:
    azure-facts.md §4.7 "requires store=true"; the exact body was not verified, so it is an
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
    if req.stream and _stream_module() is None:
        raise errors.streaming_not_implemented()


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
    from starlette.responses import StreamingResponse

    stream = _stream_module()
    assert stream is not None and job.events is not None
    call.meta.streaming = True
    return StreamingResponse(job.follow(after, stream.encode), media_type="text/event-stream; charset=utf-8")


def resume(call: Call, record: Record) -> Reply:
    """``GET /responses/{id}?stream=true&starting_after=N``.

    azure-facts.md §4.7: resume works only if the original request set ``stream=true``; the
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
    """``POST /responses/{id}/cancel``: idempotent, returns the final object (§4.7).

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
