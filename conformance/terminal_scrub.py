"""Secrets never reach the terminal: what pytest prints about a test is scrubbed like a cassette.

A failing live test's traceback holds the SDK's `FinalRequestOptions` (its `api-key` header)
in the `-l` locals, an assertion may quote a header, captured output may print a token.
Every report passes through here before pytest prints it or a worker sends it to the xdist
controller: the longrepr in all its forms (traceback entries, locals, arguments, the crash
line, chained exceptions, a plain message), captured output and logs, live logging and
`--log-file`, warnings, internal errors, and the verdict evidence the report files keep.

The secrets are those of the run's scrubber (conformance/run.py learns keys and tokens as it
hands them out), replaced by the same placeholders, plus the secret shapes of
conformance/cassettes/patterns.py. Hosts are left alone: an endpoint is no secret, and a
traceback is read by the person who chose it. pytest shortens long reprs to head...tail and
evidence is cut to a length, so the visible head or tail of a secret next to `...` or at the
end of a text goes too, and so does a JWT cut before its signature.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from typing import Any, Iterator, Optional

import pytest

from .cassettes.patterns import scrub_patterns
from .cassettes.scrub import API_KEY_PLACEHOLDER, SECRET_PLACEHOLDER, TOKEN_PLACEHOLDER, Scrubber

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


class TerminalScrub:
    """The hooks; registered by the plugin with the run's scrubber."""

    def __init__(self, scrubber: Scrubber, live_key_vars: list[str]) -> None:
        self.redact = Redactor(scrubber)
        # A test may meet its key before any client asked the run for it (os.environ, a
        # client of its own): known from the start.
        for name in live_key_vars:
            scrubber.add_api_key(os.environ.get(name, "").strip() or None)

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
        report = yield
        scrub_report(report, self.redact)
        return report

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_make_collect_report(self, collector: pytest.Collector) -> Iterator[Any]:
        report = yield
        scrub_report(report, self.redact)
        return report

    @pytest.hookimpl(tryfirst=True)
    def pytest_warning_recorded(self, warning_message: Any) -> None:
        message = warning_message.message
        if isinstance(message, Warning):
            text = str(message)
            clean = self.redact(text)
            if clean != text:
                message.args = (clean,)
        elif isinstance(message, str):
            warning_message.message = self.redact(message)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        """Live logging (`--log-cli-level`) and `--log-file` print records as they come."""
        plugin = session.config.pluginmanager.get_plugin("logging-plugin")
        for name in ("log_cli_handler", "log_file_handler", "caplog_handler", "report_handler"):
            handler = getattr(plugin, name, None)
            if isinstance(handler, logging.Handler):
                handler.addFilter(self._log_record)

    def _log_record(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True

    @pytest.hookimpl(tryfirst=True)
    def pytest_internalerror(self, excrepr: Any) -> Optional[bool]:
        scrub(excrepr, self.redact)
        return None
