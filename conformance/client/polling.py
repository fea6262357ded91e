"""Polling a server-side job (a background response, a vector store file batch) until it is
finished, in bounded time, without sleeping in replay.

The seed sample (responses-background-aoai-v1.py) sleeps 2 s between retrieves. Live, the
interval is the target's ``poll_interval`` unless the reply carries an ``openai-poll-after-ms``
hint (the header the SDK's own pollers honour); in replay it is 0, because the cassette
already holds every answer in order.

Every wait here has a deadline (the target's ``poll_timeout``). The SDK's own pollers
(``upload_and_poll``, ``create_and_poll``) have none: a vector store file stuck
``in_progress`` would hang the whole run, so the suites never use them. A job still pending
at the deadline never hangs the run; what it means depends on the job:

- a background response may wait in a queue as long as the service is busy, so one still
  queued at the deadline raises :class:`StillPending`, a timeout: ``inconclusive``;
- a vector store file batch of a few kilobytes of text has no queue to wait in (the service
  indexes it in seconds), so one still ``in_progress`` at the deadline raises
  :class:`NeverFinished`, a broken promise: ``failed``, with "still in_progress after N s".
  A slow resource can raise its ``poll_timeout``.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Optional

#: learn.microsoft.com/azure/foundry/openai/how-to/responses: poll while the status is one of these.
PENDING = frozenset({"queued", "in_progress"})
POLL_AFTER_HEADER = "openai-poll-after-ms"


class StillPending(TimeoutError):
    """The job was not finished within the poll timeout (a timeout: inconclusive)."""


class NeverFinished(AssertionError):
    """A job that should finish in seconds was still pending at the poll timeout (failed)."""


class FinishedFirst(TimeoutError):
    """The response finished before the call that needed it running (e.g. a cancel) arrived:
    the feature was not exercised, so the verdict is inconclusive, not failed."""


def _hint(headers: Any) -> Optional[float]:
    raw = headers.get(POLL_AFTER_HEADER) if headers is not None else None
    try:
        return int(raw) / 1000 if raw is not None else None
    except ValueError:
        return None


def poll(
    fetch: Callable[[], Any],
    *,
    what: str,
    interval: float,
    timeout: float,
    sleep: Callable[[float], None] = time.sleep,
    on_status: Optional[Callable[[str], None]] = None,
    clock: Callable[[], float] = time.monotonic,
    late: type[Exception] = StillPending,
) -> Any:
    """Call ``fetch`` (an SDK ``with_raw_response`` call) until the parsed object's ``status``
    is no longer pending; return that object.

    ``what`` names the job in the timeout's message, ``late`` is raised at the deadline.
    ``interval`` 0 (replay) never sleeps; live, the reply's ``openai-poll-after-ms`` hint wins
    over ``interval``.
    """
    deadline = clock() + timeout
    while True:
        raw = fetch()
        obj = raw.parse()
        status = getattr(obj, "status", None)
        if on_status is not None:
            on_status(status)
        if status not in PENDING:
            return obj
        if clock() >= deadline:
            raise late(f"{what} still {status} after {timeout:.0f} s of polling")
        wait = _hint(getattr(raw, "headers", None))
        sleep(interval if wait is None or interval == 0 else wait)


def wait_until_done(
    client: Any,
    response_id: str,
    *,
    interval: float,
    timeout: float,
    sleep: Callable[[float], None] = time.sleep,
    on_status: Optional[Callable[[str], None]] = None,
) -> Any:
    """Retrieve the background response ``response_id`` until its status is terminal."""
    return poll(lambda: client.responses.with_raw_response.retrieve(response_id), what=response_id,
                interval=interval, timeout=timeout, sleep=sleep, on_status=on_status)


def wait_for_file_batch(
    stores: Any,
    vector_store_id: str,
    batch_id: str,
    *,
    interval: float,
    timeout: float,
    sleep: Callable[[float], None] = time.sleep,
) -> Any:
    """Retrieve a vector store file batch until it is no longer ``in_progress``
    (:class:`NeverFinished` at the deadline).

    ``stores`` is the SDK's vector stores resource (``client.vector_stores`` or, on old SDKs,
    ``client.beta.vector_stores``).
    """
    return poll(lambda: stores.file_batches.with_raw_response.retrieve(batch_id, vector_store_id=vector_store_id),
                what=f"file batch {batch_id} of {vector_store_id}", interval=interval, timeout=timeout, sleep=sleep,
                late=NeverFinished)
