"""A setup error is said once: the first test shows it, the others point at that test.

A broken setup (a dead CONFORMANCE_EMULATOR, a missing credential, a session fixture that
cannot start) fails every test the same way; pytest would print the same traceback once per
test (dozens of screens). Errors whose message already names the fix (the suite's own setup
errors) are shown without a traceback at all.
"""

from __future__ import annotations

from typing import Optional

import pytest

from conformance.client.auth import CredentialError
from conformance.live.embedded import EmulatorError
from conformance.model.targets import TargetsError

#: Errors raised with a message that names the fix: their traceback only hides it.
EXPLAINED = (CredentialError, EmulatorError, TargetsError)
OUTCOMES = (pytest.skip.Exception, pytest.fail.Exception, pytest.xfail.Exception, pytest.exit.Exception)
SEEN = pytest.StashKey[dict[tuple[str, str], str]]()


def _key(exc: BaseException) -> tuple[str, str]:
    return (type(exc).__qualname__, str(exc))


def setup_report(item: pytest.Item, call: pytest.CallInfo[None]) -> Optional[pytest.TestReport]:
    """A short report for a setup error seen before (or one that explains itself), else None."""
    excinfo = call.excinfo
    if call.when != "setup" or excinfo is None or isinstance(excinfo.value, OUTCOMES):
        return None  # pytest's own outcomes (a skip, a pytest.fail naming one test) are not setup errors
    seen = item.config.stash.setdefault(SEEN, {})
    key = _key(excinfo.value)
    first = seen.setdefault(key, item.nodeid)
    message = f"{type(excinfo.value).__name__}: {excinfo.value}"
    if first != item.nodeid:
        message = f"the same setup error as {first}: {message.splitlines()[0] if message else ''}"
    elif not isinstance(excinfo.value, EXPLAINED):
        return None  # the first of a kind: pytest's full report
    path, line, _ = item.location
    return pytest.TestReport(
        item.nodeid, item.location, {name: 1 for name in item.keywords}, "failed",
        f"{path}:{(line or 0) + 1}: {message}", call.when, [], call.duration, call.start, call.stop,
        item.user_properties,
    )
