"""Polling a background response until it is finished, in bounded time, without sleeping in replay.

The seed sample (responses-background-aoai-v1.py) sleeps 2 s between retrieves. Live, the
interval is the target's ``poll_interval`` unless the reply carries an ``openai-poll-after-ms``
hint (the header the SDK's own pollers honour); in replay it is 0, because the cassette
already holds every answer in order.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Optional

#: azure-facts.md §4.7: poll while the status is one of these.
PENDING = frozenset({"queued", "in_progress"})
POLL_AFTER_HEADER = "openai-poll-after-ms"


class StillPending(TimeoutError):
    """The response was not finished within the poll timeout (a timeout: inconclusive)."""


class FinishedFirst(TimeoutError):
    """The response finished before the call that needed it running (e.g. a cancel) arrived:
    the feature was not exercised, so the verdict is inconclusive, not failed."""


def _hint(headers: Any) -> Optional[float]:
    raw = headers.get(POLL_AFTER_HEADER) if headers is not None else None
    try:
        return int(raw) / 1000 if raw is not None else None
    except ValueError:
        return None


def wait_until_done(
    client: Any,
    response_id: str,
    *,
    interval: float,
    timeout: float,
    sleep: Callable[[float], None] = time.sleep,
    on_status: Optional[Callable[[str], None]] = None,
) -> Any:
    """Retrieve ``response_id`` until its status is terminal; return the last response."""
    deadline = time.monotonic() + timeout
    while True:
        raw = client.responses.with_raw_response.retrieve(response_id)
        response = raw.parse()
        if on_status is not None:
            on_status(response.status)
        if response.status not in PENDING:
            return response
        if time.monotonic() >= deadline:
            raise StillPending(f"{response_id} is still {response.status} after {timeout:.0f}s of polling")
        wait = _hint(raw.headers)
        sleep(interval if wait is None or interval == 0 else wait)
