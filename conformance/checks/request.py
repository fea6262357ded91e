"""`check_against_request`: does a response honour what its request asked for?

A response can be well formed and still ignore its request: `max_output_tokens` is the one
limit every suite sends (to keep live runs cheap), so a service that does not enforce it
would go unnoticed by `check_response`. The wire tap (conformance.client.wiretap) sees both halves
of each exchange and runs this on every response it can pair with its create request.
"""

from __future__ import annotations

from typing import Any, Mapping

from conformance.checks._base import Violation, is_int, join
from conformance.checks.tools import check_tool_rules

__all__ = ["check_against_request"]

_RULE = "request.max_output_tokens"


def check_against_request(request: Mapping[str, Any], body: Any, *, where: str = "") -> list[Violation]:
    """The rules linking a create request's parameters to its (final or snapshot) response.

    max_output_tokens "includes visible output tokens and reasoning tokens" (OpenAI API
    reference, responses.create), so `usage.output_tokens` may not exceed it; a response
    that stops at the limit is `incomplete` with reason `max_output_tokens`, never `completed`
    past it. The echoed `max_output_tokens` is the request's.
    """
    if not isinstance(body, dict):
        return []
    found: list[Violation] = check_tool_rules(request, body, where)
    limit = request.get("max_output_tokens")
    if not is_int(limit):
        return found
    echoed = body.get("max_output_tokens", limit)
    if echoed != limit:
        what = f"the response echoes max_output_tokens {echoed!r}, the request sent {limit}"
        found.append(Violation(join(where, "max_output_tokens"), what, _RULE))
    usage = body.get("usage")
    spent = usage.get("output_tokens") if isinstance(usage, dict) else None
    if is_int(spent) and spent > limit:
        what = f"output_tokens {spent} exceeds the request's max_output_tokens {limit} (status {body.get('status')!r})"
        found.append(Violation(join(where, "usage.output_tokens"), what, _RULE))
    return found
