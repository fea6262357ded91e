"""A content-addressed cache of parsed cassettes, so replay does not re-parse YAML.

Building Python objects from YAML costs about 8 ms a cassette even with libyaml, most of
the floor of a replayed test. The cache maps the SHA-1 of a cassette's text to its parsed
form in `marshal` format (plain data only, no code): an edited or re-recorded cassette has
new text, hence a new key, so an entry can never be stale. Set CONFORMANCE_CASSETTE_CACHE=off
to bypass it, or to a directory to move it (default: .conformance/cassette-cache).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

ENV = "CONFORMANCE_CASSETTE_CACHE"
DEFAULT_DIR = Path(__file__).resolve().parents[2] / ".conformance" / "cassette-cache"


def _directory() -> Optional[Path]:
    setting = os.environ.get(ENV, "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    return Path(setting) if setting else DEFAULT_DIR


def cached(text: str, parse: Callable[[str], Any]) -> Any:
    """`parse(text)`, from the cache when this exact text was parsed before."""
    directory = _directory()
    if directory is None:
        return parse(text)
    path = directory / f"{hashlib.sha1(text.encode('utf-8')).hexdigest()}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    value = parse(text)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(marshal.dumps(value))
        os.replace(temp, path)
    except (OSError, ValueError):
        pass  # a read-only checkout still replays, only slower
    return value
