"""A local journal of what live runs created, written the moment it is created.

The Responses API cannot list responses, so a run killed before its teardown (SIGKILL, a
crashed CI runner) would leave stored responses nobody can find. Each creation and deletion
is appended as one JSON line (default `.conformance/journal.jsonl` in the repository,
gitignored; `$CONFORMANCE_JOURNAL` elsewhere); `conformance cleanup` reads what is still
alive and deletes it.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: appends stay atomic, rewrites are unlocked
    fcntl = None  # type: ignore[assignment]

JOURNAL_ENV = "CONFORMANCE_JOURNAL"
DEFAULT_JOURNAL = Path(__file__).resolve().parents[2] / ".conformance" / "journal.jsonl"


def journal_path() -> Path:
    override = os.environ.get(JOURNAL_ENV)
    return Path(override) if override else DEFAULT_JOURNAL


@dataclass(frozen=True)
class Entry:
    """One object: which kind, its id, and where it lives (as the targets file names it)."""

    kind: str
    id: str
    resource: str
    endpoint: str
    target: str
    run: str
    at: float = 0.0

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.endpoint, self.kind, self.id)


class Journal:
    """Append-only; `alive()` folds it into the objects created and not yet deleted."""

    def __init__(self, path: Optional[Path] = None, run: Optional[str] = None) -> None:
        self.path = path or journal_path()
        self.run = run or uuid.uuid4().hex[:12]

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Exclusive access against other runs appending while the journal is rewritten."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path.with_suffix(".lock"), os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the lock

    def _append(self, op: str, entry: Entry) -> None:
        line = json.dumps({"op": op, **asdict(entry)}, separators=(",", ":")) + "\n"
        with self._locked():
            # One write per line with O_APPEND: a kill leaves at most one torn line.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
            finally:
                os.close(fd)

    def created(self, kind: str, object_id: str, *, resource: str, endpoint: str, target: str) -> Entry:
        entry = Entry(kind, object_id, resource, endpoint, target, self.run, time.time())
        self._append("created", entry)
        return entry

    def deleted(self, entry: Entry) -> None:
        self._append("deleted", entry)

    def forget(self, kind: str, object_id: str, *, endpoint: str) -> None:
        """Record a deletion seen on the wire (by a test, or a teardown)."""
        for entry in self.alive():
            if entry.key == (endpoint, kind, object_id):
                self.deleted(entry)

    def alive(self, run: Optional[str] = None) -> list[Entry]:
        """Objects created and not deleted, oldest first (only `run`'s, if given)."""
        if not self.path.exists():
            return []
        live: dict[tuple[str, str, str], Entry] = {}
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
                op = record.pop("op")
                entry = Entry(**record)
            except (ValueError, TypeError, KeyError):
                continue  # a line cut short by a kill: the rest of the journal still counts
            if op == "created":
                live[entry.key] = entry
            else:
                live.pop(entry.key, None)
        return [e for e in live.values() if run is None or e.run == run]

    def compact(self, keep: Iterable[Entry] | None = None) -> None:
        """Rewrite the journal with only `keep` (after a cleanup), or with what is alive (after
        a run), so it does not grow without end."""
        with self._locked():
            kept = self.alive() if keep is None else list(keep)
            if not kept:
                self.path.unlink(missing_ok=True)
                return
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text("".join(json.dumps({"op": "created", **asdict(e)}, separators=(",", ":")) + "\n" for e in kept))
            tmp.replace(self.path)
