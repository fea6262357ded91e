"""The single home of response and stream validation (see DESIGN.md, Conventions).

    from conformance.checks import check_response, check_stream, Violation

Every check returns a list of `Violation(where, what, rule)`; an empty list means conformant.
`check_against_request` links a response to its request's parameters, and the `check_sse_*`
rules look at what only the wire shows (conformance.wiretap runs them on every exchange).
`RULES` maps every rule id to what it guards.
"""

from ._base import Violation
from .request import check_against_request
from .response import RESPONSE_STATUSES, check_response
from .rules import RULES
from .stream import check_stream
from .surface import check_cached_tokens, check_compacted, check_compaction_item, check_logprobs, check_service_tier
from .wire import check_sse_content_type, check_sse_data

__all__ = [
    "RESPONSE_STATUSES",
    "RULES",
    "Violation",
    "check_against_request",
    "check_cached_tokens",
    "check_compacted",
    "check_compaction_item",
    "check_logprobs",
    "check_service_tier",
    "check_response",
    "check_sse_content_type",
    "check_sse_data",
    "check_stream",
]
