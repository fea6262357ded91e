"""Explaining why a request found no recorded interaction.

vcrpy's own message lists matchers; a conformance user wants one answer: which recorded
request was meant, and which field changed. The closest candidate is the one with the
same method and path, then the fewest failing matchers, then not yet played.
"""

from __future__ import annotations

from typing import Any

from vcr.matchers import method
from vcr.request import Request

from conformance.recording.matching import MATCHERS

MAX_MESSAGE_LINES = 12


def _failures(request: Request, recorded: Request) -> list[tuple[str, str]]:
    failures: list[tuple[str, str]] = []
    for name, matcher in {"method": method, **MATCHERS}.items():
        try:
            matcher(request, recorded)
        except AssertionError as error:
            failures.append((name, str(error)))
    return failures


def _label(request: Request) -> str:
    """METHOD path?query of a scrubbed request."""
    query = request.parsed_uri.query
    return f"{request.method} {request.path or '/'}" + (f"?{query}" if query else "")


def describe_mismatch(request: Request, cassette: Any) -> str:
    """A short explanation of how `request` differs from the closest recorded request.

    `cassette` is a vcrpy Cassette (uses its requests, play counts and request filter).
    """
    filtered = cassette.filter_request(request) if hasattr(cassette, "filter_request") else request
    if filtered is None:
        # Show no query: an identity request's parameters are not scrubbed.
        return f"{request.method} {request.path} is not recorded by design (identity endpoint or filtered out)."
    recorded: list[Request] = list(getattr(cassette, "requests", []))
    path = getattr(cassette, "path", getattr(cassette, "_path", "?"))
    head = f"No recorded request in {path} matches {_label(filtered)}."
    if not recorded:
        return f"{head} The cassette has no interactions (record it first)."
    play_counts = getattr(cassette, "play_counts", {})

    def rank(item: tuple[int, Request]) -> tuple[int, int, int, int]:
        index, candidate = item
        same_route = candidate.method == filtered.method and (candidate.path or "/") == (filtered.path or "/")
        return (0 if same_route else 1, len(_failures(filtered, candidate)), play_counts.get(index, 0), index)

    index, closest = min(enumerate(recorded), key=rank)
    failures = _failures(filtered, closest)
    if not failures:
        return (
            f"{head} Recorded interaction #{index} ({_label(closest)}) matches, but it was already "
            "played: the test sends this request more often than when it was recorded."
        )
    lines = [head, f"Closest recorded: #{index} {_label(closest)}"]
    for name, message in failures:
        first, *rest = message.splitlines() or [""]
        lines.append(f"  {name}: {first}")
        lines += [f"    {line}" for line in rest]
    if len(lines) > MAX_MESSAGE_LINES:
        lines = lines[:MAX_MESSAGE_LINES] + ["  …"]
    return "\n".join(lines)
