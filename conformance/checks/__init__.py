"""The single home of response and stream validation (see DESIGN.md, Conventions).

    from conformance.checks import check_response, check_stream, Violation

Both checks return a list of `Violation(where, what, rule)`; an empty list means conformant.
`RULES` maps every rule id to what it guards.
"""

from ._base import Violation
from .response import RESPONSE_STATUSES, check_response
from .rules import RULES
from .stream import check_stream

__all__ = ["RESPONSE_STATUSES", "RULES", "Violation", "check_response", "check_stream"]
