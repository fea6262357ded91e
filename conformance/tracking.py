"""Live-run bookkeeping: every object the suite's clients create is journaled as it is
created, and whatever a test's teardown missed is deleted when the session ends.

Observes the wire (a response hook on each client) rather than trusting each test to
register what it makes, so a forgotten `created.response(...)` still gets cleaned up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from . import created
from .journal import Entry, Journal
from .targets import Target

log = logging.getLogger("conformance.cleanup")


class Tracker:
    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def observe(self, target: Target, method: str, url_path: str, status: int, body: Any) -> None:
        """Journal a creation or a deletion seen on the wire."""
        path = created.api_path(url_path)
        if path is None:
            return
        made = created.created_by(method, path, status, body)
        if made is not None:
            kind, object_id = made
            self.journal.created(kind.name, object_id, resource=target.resource, endpoint=target.endpoint, target=target.id)
            return
        gone = created.deleted_by(method, path, status)
        if gone is not None:
            kind, object_id = gone
            self.journal.forget(kind.name, object_id, endpoint=target.endpoint)

    def sweep(self, targets: list[Target], client_for: Callable[[Target], Any]) -> list[str]:
        """Delete what this run created and nobody deleted; returns problems (never raises)."""
        by_id = {t.id: t for t in targets}
        problems: list[str] = []
        clients: dict[str, Any] = {}
        for entry in self.journal.alive(run=self.journal.run):
            target = by_id.get(entry.target)
            if target is None:
                continue
            try:
                client = clients.get(target.id) or clients.setdefault(target.id, client_for(target))
                created.delete_quietly(created.KINDS[entry.kind], client, entry.id)
                self.journal.deleted(entry)
            except Exception as exc:  # a sweep must not turn a finished run into a crash
                problems.append(f"{entry.kind} {entry.id} on {entry.target}: {type(exc).__name__}: {exc}")
        for client in clients.values():
            client.close()
        if not problems:
            self.journal.compact()
        return problems


def describe(entry: Entry) -> str:
    return f"{entry.kind} {entry.id} ({entry.target})"
