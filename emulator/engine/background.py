"""Background mode: a create that returns ``queued`` at once and finishes in an asyncio task.

learn.microsoft.com/azure/foundry/openai/how-to/responses: ``background=true`` returns at once with ``status: queued``; clients poll
``GET /responses/{id}`` while it is ``queued`` or ``in_progress``; ``POST …/cancel`` is
idempotent and returns the final object; with ``stream=true`` the events are kept so that
``GET /responses/{id}?stream=true&starting_after=N`` resumes the stream; background
requires ``store=true``.

The model's work is the same :func:`emulator.engine.run.execute` the synchronous path uses; the
job only reveals its result over time (queued -> in_progress -> completed), so a polled,
streamed or cancelled background response is made of the same bytes as a synchronous one.
The handlers' side (refusals, start, resume, cancel) is :mod:`emulator.api.background`.
"""

from __future__ import annotations

import asyncio
import copy
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from emulator.state.profile import Deployment, Profile
from emulator.state.store import Record

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


