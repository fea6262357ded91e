"""Two settings for the project's own tests and the subprocesses they start.

The journal: whatever they run live journals into a throw-away file. `.conformance/journal.jsonl`
(or the user's $CONFORMANCE_JOURNAL) is what `conformance cleanup` acts on; a test's leftovers
there would be deleted, or reported, as the user's.

Byte code: many tests run the suite as a user would, in a fresh `python -m pytest` or
`python -m emulator`. Where PYTHONDONTWRITEBYTECODE is set (as in some sandboxes and CI
images), each of those re-compiled the project and re-rewrote the asserts of every suite
module it collected: about a third of a small session's CPU (measured: 3.6 s -> 2.5 s for
one suite module). Their children get a byte-code cache under the temp directory instead, so
the work tree stays as clean as the setting meant it to be. A PYTHONPYCACHEPREFIX of the
user's own is kept; nothing changes where byte code is written normally.

Order under xdist: the tests that run a whole pytest or emulator process (modules that use
tests/conformance/forkserver.py) take seconds each, the rest milliseconds. With `--dist
worksteal` (as `make test` runs) each worker starts on its own contiguous share of the
collection; :func:`pytest_collection_modifyitems` makes each share begin with its part of
the slow tests (in the random order pytest-randomly chose), so none of them starts last and
holds up the end of the run while the other workers idle.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from conformance.live.journal import JOURNAL_ENV

#: Set by tests/conformance/live_support.clean_env: a subprocess a test started, whose journal
#: the test chose (and reads back); only the outermost session picks a throw-away one.
CHOSEN_ENV = "CONFORMANCE_TEST_JOURNAL_CHOSEN"

if not os.environ.get(CHOSEN_ENV):
    os.environ[JOURNAL_ENV] = str(Path(tempfile.mkdtemp(prefix="conformance-tests-")) / "journal.jsonl")


def _cache_child_byte_code() -> None:
    if not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return
    del os.environ["PYTHONDONTWRITEBYTECODE"]
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    os.environ.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / f"conformance-pycache-{uid}"))


_cache_child_byte_code()


def _slow(item: pytest.Item) -> bool:
    module = getattr(item, "module", None)
    return module is not None and hasattr(module, "forkserver")


@pytest.hookimpl(trylast=True)  # after pytest-randomly's shuffle
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    workers = int(getattr(config, "workerinput", {}).get("workercount", 1))
    if workers < 2:
        return
    slow, fast = [], []
    for item in items:
        (slow if _slow(item) else fast).append(item)
    items[:] = [item for share in range(workers) for item in (*slow[share::workers], *fast[share::workers])]
