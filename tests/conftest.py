"""The project's own tests: whatever they run live journals into a throw-away file.

`.conformance/journal.jsonl` (or the user's $CONFORMANCE_JOURNAL) is what `conformance
cleanup` acts on; a test's leftovers there would be deleted, or reported, as the user's.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from conformance.live.journal import JOURNAL_ENV

#: Set by tests/conformance/live_support.clean_env: a subprocess a test started, whose journal
#: the test chose (and reads back); only the outermost session picks a throw-away one.
CHOSEN_ENV = "CONFORMANCE_TEST_JOURNAL_CHOSEN"

if not os.environ.get(CHOSEN_ENV):
    os.environ[JOURNAL_ENV] = str(Path(tempfile.mkdtemp(prefix="conformance-tests-")) / "journal.jsonl")
