"""Live-run bookkeeping: every object the suite's clients create is journaled as it is
created, and whatever a test's teardown missed is deleted when the session ends.

Observes the wire (a response hook on each client) rather than trusting each test to
register what it makes, so a forgotten `created.response(...)` still gets cleaned up. An id
is journaled the moment it is on the wire: a create's reply body, or a stream's
`response.created` / `response.queued` event (conformance/client/wiretap.py), so a stream that
breaks, a flow that fails half-way or a killed run still leaves a record of every object.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from conformance.live import created
from conformance.live.journal import Entry, Journal
from conformance.model.targets import Target

log = logging.getLogger("conformance.live.cleanup")


class Tracker:
    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self._seen: set[tuple[str, str, str]] = set()
        """(endpoint, kind, id) journaled by this run: a stream's later events repeat its id."""

    def observe(self, target: Target, method: str, url_path: str, status: int, body: Any) -> None:
        """Journal a creation or a deletion seen on the wire."""
        path = created.api_path(url_path)
        if path is None:
            return
        made = created.created_by(method, path, status, body)
        if made is not None:
            kind, object_id = made
            self._journal(target, kind.name, object_id)
            return
        gone = created.deleted_by(method, path, status)
        if gone is not None:
            kind, object_id = gone
            self.journal.forget(kind.name, object_id, endpoint=target.endpoint)
            self._seen.discard((target.endpoint, kind.name, object_id))

    def observe_stream(self, target: Target, method: str, url_path: str, response: dict[str, Any]) -> None:
        """Journal the response a create's stream announced (its first event, before any output)."""
        path = created.api_path(url_path)
        if path is None:
            return
        made = created.created_by(method, path, 200, response)
        if made is not None:
            self._journal(target, made[0].name, made[1])

    def _journal(self, target: Target, kind: str, object_id: str) -> None:
        key = (target.endpoint, kind, object_id)
        if key in self._seen:
            return
        self._seen.add(key)
        self.journal.created(kind, object_id, resource=target.resource, endpoint=target.endpoint, target=target.id)

    def sweep(self, targets: list[Target], client_for: Callable[[Target], Any], rounds: int = 3) -> list[str]:
        """Delete what this run created and nobody deleted; returns problems (never raises).

        A delete that fails (a throttled or failing service, after the client's retries) gets
        another round, so one bad moment of the service does not leave the object behind.
        """
        by_id = {t.id: t for t in targets}
        clients: dict[str, Any] = {}
        pending = [e for e in self.journal.alive(run=self.journal.run) if e.target in by_id]
        problems: list[str] = []
        for _ in range(rounds):
            if not pending:
                break
            failed, problems = [], []
            for entry in pending:
                target = by_id[entry.target]
                try:
                    client = clients.get(target.id) or clients.setdefault(target.id, client_for(target))
                    created.delete_quietly(created.KINDS[entry.kind], client, entry.id)
                    self.journal.deleted(entry)
                except Exception as exc:  # a sweep must not turn a finished run into a crash
                    failed.append(entry)
                    problems.append(f"{entry.kind} {entry.id} on {entry.target}: {type(exc).__name__}: {exc}")
            pending = failed
        for client in clients.values():
            client.close()
        if not problems:
            self.journal.compact()
        return problems


def describe(entry: Entry) -> str:
    return f"{entry.kind} {entry.id} ({entry.target})"
