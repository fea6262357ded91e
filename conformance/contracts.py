"""Contracts that span calls or hinge on one request parameter: what a service must keep,
forget, order, cap or link. Each check is an assertion with a message that names the broken
promise, so a suite states the scenario and one line of expectation.

They read what came over the wire (``expect.wire_dict``), so a field the installed SDK does not
model (e.g. ``approval_request_id`` on old SDKs) is still checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from conformance import expect
#: Colour words a vision answer is scanned for (dominant-colour questions). British and
#: American spellings of grey both count as grey.
COLOURS = ("red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "black", "white", "grey")
_COLOUR_RE = re.compile(r"\b(" + "|".join(COLOURS) + r"|gray)\b", re.IGNORECASE)


def refused(call: Callable[[], Any], status: int, what: str) -> dict[str, Any]:
    """``call()`` must be refused with HTTP ``status`` in Azure's error shape; returns the
    error object. ``what`` says what should have been refused, for the failure message.

    A 5xx on every try is a failure (``expect.refusal``); a 429 is re-raised by
    ``expect.azure_error`` (inconclusive).
    """
    return expect.azure_error(expect.refusal(call, status, what=what), status)


def gone(fetch: Callable[[], Any], what: str) -> dict[str, Any]:
    """``fetch()`` must be refused with Azure's 404: a deleted object, or a response created
    with ``store=false``. Returns the error object."""
    try:
        refused = expect.refusal(fetch, 404, what=what)
    except expect.NotRefused as kept:
        raise AssertionError(f"{what} must be gone (404), but it is still retrievable: {expect.summary(kept.answer)}") from None
    return expect.azure_error(refused, 404)


def not_listed(listed: Iterable[Any], object_id: str, what: str) -> None:
    """A deleted object must not appear in its list any more."""
    ids = [expect.wire_dict(o).get("id") for o in listed]
    assert object_id not in ids, f"{what} {object_id} was deleted but is still listed: {ids}"


def _message_texts(item: dict[str, Any]) -> list[str]:
    content = item.get("content")
    if isinstance(content, str):
        return [content]
    if not isinstance(content, list):
        return []
    return [p.get("text") for p in content if isinstance(p, dict) and p.get("type") == "input_text"]


def input_items_in_order(items: Iterable[Any], sent: Sequence[str], order: str) -> None:
    """The message items of an ``input_items`` page must be exactly the ``sent`` texts, in the
    documented order: ``desc`` (the default, newest first) or ``asc`` (as sent)."""
    assert order in ("asc", "desc"), order
    seen = [" ".join(_message_texts(item)) for item in map(expect.wire_dict, items) if item.get("type") == "message"]
    wanted = list(sent) if order == "asc" else list(reversed(sent))
    assert seen == wanted, (
        f"input_items with order={order} must list the messages {'as sent' if order == 'asc' else 'newest first'}: "
        f"expected {wanted}, got {seen}"
    )


def at_most(output: Iterable[Any], kind: str, limit: int, because: str) -> list[dict[str, Any]]:
    """At most ``limit`` output items of type ``kind`` (e.g. one ``function_call`` when
    ``parallel_tool_calls`` is false); returns them."""
    found = [item for item in map(expect.wire_dict, output) if item.get("type") == kind]
    assert len(found) <= limit, f"{because}: expected at most {limit} {kind} item(s), got {len(found)}: {[i.get('name') for i in found]}"
    return found


def results_capped(results: Sequence[Any] | None, limit: int) -> None:
    """``max_num_results`` caps what file_search returns (with its results included)."""
    assert results, "include=['file_search_call.results'] asks for the results, none came"
    assert len(results) <= limit, f"max_num_results={limit}, but file_search returned {len(results)} results"


def stays_cancelled(response: Any) -> None:
    """A cancelled background response, retrieved after it would have finished, must still be
    ``cancelled`` and must not have produced its answer."""
    body = expect.wire_dict(response)
    assert body.get("status") == "cancelled", f"a cancelled response later reads as {body.get('status')!r}: the job ran on"
    texts = [part.get("text") for item in body.get("output") or [] if isinstance(item, dict) and item.get("type") == "message"
             for part in item.get("content") or [] if isinstance(part, dict) and part.get("type") == "output_text"]
    assert not any(texts), f"a cancelled response still produced output text: {texts}"


def names_colour(text: str, colour: str) -> None:
    """The answer to "what is the dominant colour" names ``colour`` and no other colour: only
    a service that decoded the pixels (not just the header) can say it."""
    named = {("grey" if m.lower() == "gray" else m.lower()) for m in _COLOUR_RE.findall(text)}
    assert colour in named, f"the image is mostly {colour}, but the answer does not say so: {text!r}"
    assert named == {colour}, f"the image is mostly {colour}, but the answer also names {sorted(named - {colour})}: {text!r}"


def approval_linked(call: Any, approval_request_id: str) -> None:
    """The ``mcp_call`` made after an approval carries the id of the request it answers."""
    body = expect.wire_dict(call)
    got = body.get("approval_request_id")
    assert got == approval_request_id, f"the approved mcp_call must carry approval_request_id={approval_request_id!r}, got {got!r}"


def whole_image(b64: str, what: str = "the generated image") -> Any:
    """``b64`` decoded into a Pillow image, every pixel read: an image cut short (a header
    and half its data) opens fine but fails here, with what is missing."""
    import base64
    import binascii
    import io

    from PIL import Image

    try:
        data = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise AssertionError(f"{what} is not base64: {exc}") from None
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, SyntaxError, ValueError) as exc:  # Pillow: truncated or broken data
        raise AssertionError(f"{what} does not decode whole ({len(data)} bytes): {exc}") from None
    return image


def states_fact(text: str, fact: str, source: str) -> None:
    """The answer states ``fact``, which only ``source`` holds (a made-up handbook's detail):
    a service that did not read the document cannot know it."""
    assert fact.lower() in text.lower(), f"{source} says {fact!r}, but the answer does not: {text!r}"
