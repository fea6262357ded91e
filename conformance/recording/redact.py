"""Redacting secrets out of any value: strings, dataclasses and pytest's own report objects.

The scrubbing of cassettes applied to what is shown or written elsewhere (the terminal, the
report's evidence, cleanup's output), with partial matches cut too.
"""


from __future__ import annotations

import dataclasses
import re
from typing import Any

from conformance.recording.patterns import scrub_patterns
from conformance.recording.scrub import API_KEY_PLACEHOLDER, SECRET_PLACEHOLDER, TOKEN_PLACEHOLDER, Scrubber

_PLACEHOLDERS = {p.encode() for p in (API_KEY_PLACEHOLDER, TOKEN_PLACEHOLDER, SECRET_PLACEHOLDER)}
#: The shortest head or tail of a secret worth removing beside an ellipsis.
MIN_PARTIAL = 4
ELLIPSIS = "..."
#: A JWT's header and (part of) its payload, the signature cut off: still the token's claims.
_CUT_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]*")


class Redactor:
    """Text -> text without the scrubber's secrets (its hosts stay)."""

    def __init__(self, scrubber: Scrubber) -> None:
        self.scrubber = scrubber
        self._known: tuple[int, list[tuple[str, str]]] = (-1, [])

    def secrets(self) -> list[tuple[str, str]]:
        """(secret, placeholder), longest first: the scrubber's literals that are secrets."""
        # The scrubber keeps secrets and hosts in one table; the placeholder tells them apart.
        literals: dict[bytes, bytes] = self.scrubber._literals
        if self._known[0] != len(literals):  # the table only grows
            pairs = [(k.decode(), v.decode()) for k, v in literals.items() if v in _PLACEHOLDERS]
            self._known = (len(literals), sorted(pairs, key=lambda p: -len(p[0])))
        return self._known[1]

    def __call__(self, text: str) -> str:
        if not text:
            return text
        pairs = self.secrets()
        for secret, placeholder in pairs:
            if secret in text:
                text = text.replace(secret, placeholder)
        text = scrub_patterns(text.encode("utf-8", "surrogateescape")).decode("utf-8", "surrogateescape")
        text = _CUT_JWT.sub(TOKEN_PLACEHOLDER, text)
        for secret, placeholder in pairs:
            text = _cut_partials(text, secret, placeholder)
        return text


def _cut_partials(text: str, secret: str, placeholder: str) -> str:
    """`'LEAKY...ET'` -> `'<SECRET>...<SECRET>'` when LEAKY starts and ET ends `secret`; a
    text ending in the secret's head (cut to a length) loses that head."""
    head = _head_at_end(text, secret)
    if head:
        text = text[:-head] + placeholder
    if ELLIPSIS not in text:
        return text
    out, start = [], 0
    at = text.find(ELLIPSIS)
    while at != -1:
        head = _longest(lambda k: text[at - k:at] == secret[:k], min(len(secret) - 1, at - start))
        out.append(text[start:at - head] + (placeholder if head else ""))
        after = at + len(ELLIPSIS)
        tail = _longest(lambda k: text[after:after + k] == secret[-k:], min(len(secret) - 1, len(text) - after))
        out.append(ELLIPSIS + (placeholder if tail else ""))
        start = after + tail
        at = text.find(ELLIPSIS, start)
    out.append(text[start:])
    return "".join(out)


def _head_at_end(text: str, secret: str) -> int:
    """The length of the longest head of `secret` that ends `text` (0: none worth cutting)."""
    start = text.find(secret[:MIN_PARTIAL], max(0, len(text) - len(secret) + 1))
    while start != -1:
        if secret.startswith(text[start:]):
            return len(text) - start
        start = text.find(secret[:MIN_PARTIAL], start + 1)
    return 0


def _longest(matches: Any, most: int) -> int:
    for k in range(most, MIN_PARTIAL - 1, -1):
        if matches(k):
            return k
    return 0


def scrub(value: Any, redact: Redactor) -> Any:
    """`value` with every string in it redacted: pytest's repr objects are changed in place,
    strings, tuples and dicts are rebuilt (use the return value)."""
    return _scrub(value, redact, set())


def _scrub(value: Any, redact: Redactor, seen: set[int]) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, (int, float, bool, bytes, type(None))) or id(value) in seen:
        return value
    seen.add(id(value))
    if isinstance(value, list):
        value[:] = [_scrub(v, redact, seen) for v in value]
        return value
    if isinstance(value, tuple):
        items = [_scrub(v, redact, seen) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, dict):
        return {_scrub(k, redact, seen): _scrub(v, redact, seen) for k, v in value.items()}
    if hasattr(value, "__dict__") and (dataclasses.is_dataclass(value) or type(value).__module__.startswith("_pytest.")):
        for name, attr in list(vars(value).items()):
            object.__setattr__(value, name, _scrub(attr, redact, seen))
    return value


def scrub_report(report: Any, redact: Redactor) -> None:
    """A test or collection report, as the terminal and the xdist controller will see it."""
    report.longrepr = scrub(report.longrepr, redact)
    report.sections = scrub(list(report.sections), redact)
    if isinstance(getattr(report, "wasxfail", None), str):
        report.wasxfail = redact(report.wasxfail)
