"""Per-deployment request and token counters for plausible ``x-ratelimit-*`` headers.

Azure reports limits per deployment and per minute (real recorded Azure traffic, docs/sources.md).
The emulator only counts; it never refuses (fault injection will add 429s later).
"""

from __future__ import annotations

import time


class RateCounter:
    """Requests and tokens used per key in the current one-minute window."""

    def __init__(self) -> None:
        self._windows: dict[str, list[int]] = {}

    def consume(self, key: str, tokens: int, *, now: float | None = None) -> tuple[int, int]:
        """Count one request of ``tokens`` tokens; return (requests, tokens) used this minute."""
        minute = int((time.time() if now is None else now) // 60)
        window = self._windows.get(key)
        if window is None or window[0] != minute:
            window = [minute, 0, 0]
            self._windows[key] = window
        window[1] += 1
        window[2] += tokens
        return window[1], window[2]
