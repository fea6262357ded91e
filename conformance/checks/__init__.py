"""The single home of response and stream validation (see docs/architecture.md).

    from conformance.checks import check_response, check_stream, Violation

Every check returns a list of `Violation(where, what, rule)`; an empty list means conformant.
`check_against_request` links a response to its request's parameters, and the `check_sse_*`
rules look at what only the wire shows (conformance.client.wiretap runs them on every exchange).
`RULES` maps every rule id to what it guards.
"""

from conformance.checks._base import Violation
from conformance.checks.request import check_against_request
from conformance.checks.response import RESPONSE_STATUSES, check_response
from conformance.checks.rules import RULES
from conformance.checks.stream import check_stream
from conformance.checks.timestamps import check_integer_timestamps, check_stream_timestamps
from conformance.checks.wire import check_sse_content_type, check_sse_data
from conformance.checks.content_filter import (
    check_content_filters,
    check_output_filtered,
    check_prompt_filtered,
    check_stream_content_filters,
)
from conformance.checks.surface import check_cached_tokens, check_compacted, check_compaction_item, check_logprobs, check_service_tier

__all__ = [
    "RESPONSE_STATUSES",
    "RULES",
    "Violation",
    "check_against_request",
    "check_integer_timestamps",
    "check_stream_timestamps",
    "check_content_filters",
    "check_output_filtered",
    "check_prompt_filtered",
    "check_stream_content_filters",
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
