"""Secrets never reach the terminal: what pytest prints about a test is scrubbed like a cassette.

A failing live test's traceback holds the SDK's `FinalRequestOptions` (its `api-key` header)
in the `-l` locals, an assertion may quote a header, captured output may print a token.
Every report passes through here before pytest prints it or a worker sends it to the xdist
controller: the longrepr in all its forms (traceback entries, locals, arguments, the crash
line, chained exceptions, a plain message), captured output and logs, live logging and
`--log-file`, warnings, internal errors, and the verdict evidence the report files keep.

The secrets are those of the run's scrubber (conformance/pytest_plugin/session.py learns keys and tokens as it
hands them out), replaced by the same placeholders, plus the secret shapes of
conformance/recording/patterns.py. Hosts are left alone: an endpoint is no secret, and a
traceback is read by the person who chose it. pytest shortens long reprs to head...tail and
evidence is cut to a length, so the visible head or tail of a secret next to `...` or at the
end of a text goes too, and so does a JWT cut before its signature.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Iterator, Optional

import pytest

from conformance.recording.redact import Redactor, scrub, scrub_report
from conformance.recording.scrub import Scrubber


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
