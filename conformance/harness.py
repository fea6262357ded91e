"""The one module the suites import: assertions, contracts, polling, stream helpers, facts.

A suite states a scenario and its expectation; everything it needs beyond the standard
library, ``openai`` and ``pytest`` comes from here, so the suite's dependencies are one
name and the helpers every suite repeated (one user turn, the text of a stream's deltas,
the output items of one type) are written once. The wire itself is checked for every
reply and stream by the plugin (conformance.client.wiretap), and created objects are registered
from the wire (conformance.pytest_plugin.fixtures.cleanup), so a suite needs neither by hand.

An SDK too old for what a test needs is one path only: :func:`sdk_lacks` (or a feature's
``min_sdk``, checked by the plugin), giving ``unsupported (by: sdk)``, never ``skipped``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Optional

from conformance import contracts, expect
from conformance.model import features
from conformance.client.auth import OTHER_AUDIENCE_SCOPE
from conformance.client.factory import SdkCannotExpress
from conformance.checks.memory import recall_violation, recalls
from conformance.client.polling import FinishedFirst, wait_for_file_batch, wait_until_done
from conformance.model.sdk import SDK_VERSION, supports, vector_stores
from conformance.outcome.stream_errors import events_of
from conformance.client.tokens import with_bad_signature
from conformance.pytest_plugin.fixtures.facts import FILLERS, facts_for
from conformance.pytest_plugin.fixtures.images import PNG
from conformance.pytest_plugin.fixtures.pdf import HANDBOOK

__all__ = [
    "HANDBOOK",
    "FILLERS", "OTHER_AUDIENCE_SCOPE", "PNG", "SDK_VERSION", "FinishedFirst", "SdkCannotExpress",
    "contracts", "events_of", "expect", "facts_for", "features", "items", "needs_sdk", "of_type",
    "recall_violation", "recalls", "say", "sdk_lacks", "streamed", "supports", "text_of", "vector_stores",
    "wait_for_file_batch", "wait_until_done", "with_bad_signature",
]

TEXT_DELTA = "response.output_text.delta"


def _type(obj: Any) -> Any:
    return obj.get("type") if isinstance(obj, dict) else getattr(obj, "type", None)


def of_type(events: Iterable[Any], kind: str) -> list[Any]:
    """The events (SDK models or wire dicts) of one ``type``, in order."""
    return [event for event in events if _type(event) == kind]


def text_of(events: Iterable[Any], kind: str = TEXT_DELTA) -> str:
    """What a stream's ``kind`` deltas add up to (by default the output text)."""
    return "".join((e.get("delta") if isinstance(e, dict) else getattr(e, "delta", "")) or "" for e in of_type(events, kind))


def items(response: Any, kind: str) -> list[Any]:
    """The output items of one ``type`` in a response (or in its ``output`` list)."""
    output = response if isinstance(response, list) else (
        response.get("output") if isinstance(response, dict) else response.output)
    return of_type(output or [], kind)


def say(client: Any, target: Any, text: str, previous: Optional[str] = None, *, stream: bool = False,
        max_output_tokens: int = 64) -> Any:
    """One user turn (chained on ``previous``): the response, or with ``stream`` its events."""
    answer = client.responses.create(
        model=target.deployment,
        input=[{"role": "user", "content": text}],
        previous_response_id=previous,
        max_output_tokens=max_output_tokens,
        **({"stream": True} if stream else {}),
    )
    return list(answer) if stream else answer


def streamed(events: list[Any]) -> Any:
    """The response a finished stream ends with (its last event's ``response``)."""
    return events[-1].response


def sdk_lacks(what: str) -> SdkCannotExpress:
    """The installed SDK has no ``what`` (a method, a helper): raise it, the verdict is
    ``unsupported`` by sdk, the same as a feature newer than the SDK."""
    return SdkCannotExpress(f"openai {SDK_VERSION} has no {what}")


def needs_sdk(feature_id: str) -> None:
    """Stop with ``unsupported (by: sdk)`` when the SDK predates ``feature_id``'s ``min_sdk``."""
    minimum = features.get(feature_id).min_sdk
    if not supports(minimum):
        raise SdkCannotExpress(f"openai {SDK_VERSION} has no {feature_id} (needs >= {minimum})")
