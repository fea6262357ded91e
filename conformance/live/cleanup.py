"""`conformance cleanup`: delete what crashed live runs left behind, and only that.

Two sources, because the APIs differ: stored responses cannot be listed, so the journal
(journal.py) names them, and each is checked for the suite's metadata tag before it is
deleted; files and vector stores can be listed, and those whose name carries the suite's
prefix are deleted. Everything else on the resource is left alone.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Optional, TextIO

import openai

from conformance.client import auth
from conformance.recording.scrub import Scrubber
from conformance.client.factory import Connection, build_client
from conformance.live.created import KINDS
from conformance.live.embedded import ATTACH_ENV, EmulatorError, attach
from conformance.live.journal import Entry, Journal
from conformance.live.preflight import connect_failure
from conformance.model.targets import Target
from conformance.outcome.verdicts import exception_chain
from conformance.recording.redact import Redactor


@dataclass
class Outcome:
    deleted: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    left_alone: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    kept: list[Entry] = field(default_factory=list)


def _pick(targets: list[Target]) -> Target:
    """The simplest target to reach a resource with: key before Entra, v1 before dated."""
    return sorted(targets, key=lambda t: (t.auth != "key", not t.is_v1))[0]


def _client(target: Target, secrets: Scrubber) -> Any:
    """A sync client for a resource; raises CredentialError / EmulatorError with the fix.
    The credentials it uses go to `secrets`, so no message printed here shows them."""
    if target.on_emulator:
        url = os.environ.get(ATTACH_ENV)
        if not url:
            raise EmulatorError("not attached")
        handle = attach(url)
        endpoint = handle.url(target.emulator_resource) + target.endpoint_path
        key = handle.api_key
        provider = None
        secrets.add_secret(key)
    else:
        endpoint = target.endpoint
        key = auth.key_for(target) if target.auth == "key" else None
        secrets.add_secret(key)
        provider = auth.entra_provider(target, identity=None, on_secret=secrets.add_secret) if target.auth == "entra" else None
    # A few retries: cleanup often runs right after a run a throttled or failing service broke.
    return build_client(target, Connection(endpoint, key, provider, max_retries=4, timeout=15.0))


def _label(kind: str, object_id: str, resource: str) -> str:
    return f"{kind} {object_id} on {resource}"


#: Seconds the reachability probe waits (a resource that accepts connections gets the retries).
PROBE_TIMEOUT = 10.0


def _probe(client: Any) -> None:
    """Raise at once when the resource refuses connections (refused, unknown host, TLS): the
    SDK's retries (about 6 s with ``max_retries=4``) cannot help there. Anything else, a
    timeout or an error status included, is left to the retried calls that follow."""
    try:
        client.with_options(max_retries=0, timeout=PROBE_TIMEOUT).models.list()
    except openai.APIConnectionError as exc:
        if any(connect_failure(link) for link in exception_chain(exc)):
            raise
    except openai.APIError:
        pass


def _clean_resource(client: Any, resource: str, entries: list[Entry], outcome: Outcome, dry_run: bool) -> None:
    _probe(client)
    for entry in entries:
        kind, label = KINDS[entry.kind], _label(entry.kind, entry.id, resource)
        try:
            if not kind.is_ours(client, entry.id):
                outcome.left_alone.append(label + " (no suite tag)")
                continue
            if dry_run:
                outcome.deleted.append(label)
                outcome.kept.append(entry)
                continue
            kind.delete(client, entry.id)
            outcome.deleted.append(label)
        except openai.NotFoundError:
            outcome.gone.append(label)
        except openai.APIConnectionError:
            raise  # the resource is unreachable: one line for it, not one per object
        except openai.APIError as exc:
            outcome.failed.append(f"{label}: {exc}")
            outcome.kept.append(entry)
    for kind in KINDS.values():
        if kind.list_tagged is None:
            continue
        try:
            ids = list(kind.list_tagged(client))
        except openai.NotFoundError:
            continue  # the service (or emulator) has no such collection
        except openai.APIStatusError as exc:
            outcome.failed.append(f"{resource}: cannot list {kind.name}s: {exc}")
            continue
        for object_id in ids:
            label = _label(kind.name, object_id, resource)
            try:
                if not dry_run:
                    kind.delete(client, object_id)
                outcome.deleted.append(label)
            except openai.NotFoundError:
                outcome.gone.append(label)
            except openai.APIConnectionError:
                raise
            except openai.APIError as exc:
                outcome.failed.append(f"{label}: {exc}")


def _unreachable(exc: openai.APIConnectionError) -> str:
    """Why a resource could not be reached, in one line (the cause, not the SDK's traceback)."""
    cause = exc.__cause__
    while cause is not None and cause.__cause__ is not None:
        cause = cause.__cause__
    detail = f"{type(cause).__name__}: {cause}" if cause is not None and str(cause) else str(exc)
    return f"cannot reach it ({detail.splitlines()[0] if detail else 'connection error'})"


def cleanup(targets: list[Target], journal: Journal, *, dry_run: bool = False, out: TextIO = sys.stdout) -> Outcome:
    """Delete the suite's leftovers on every resource of `targets`; compacts the journal."""
    outcome = Outcome()
    secrets = Scrubber()
    by_resource: dict[tuple[str, str], list[Target]] = defaultdict(list)
    for target in targets:
        by_resource[(target.resource, target.endpoint)].append(target)
    alive = journal.alive()
    known_endpoints = {endpoint for _, endpoint in by_resource}
    outcome.kept.extend(e for e in alive if e.endpoint not in known_endpoints)
    for (resource, endpoint), group in by_resource.items():
        entries = [e for e in alive if e.endpoint == endpoint]
        try:
            client = _client(_pick(group), secrets)
        except EmulatorError as exc:
            if str(exc) == "not attached":
                # An embedded emulator's objects died with its process.
                outcome.gone.extend(_label(e.kind, e.id, resource) + " (emulator gone)" for e in entries)
            else:
                outcome.failed.append(f"{resource}: {exc}")
                outcome.kept.extend(entries)
            continue
        except auth.CredentialError as exc:
            outcome.failed.append(f"{resource}: {exc}")
            outcome.kept.extend(entries)
            continue
        before = (len(outcome.deleted), len(outcome.gone))
        with client:
            try:
                _clean_resource(client, resource, entries, outcome, dry_run)
            except auth.CredentialError as exc:  # an Entra token is asked for on the first call
                outcome.failed.append(f"{resource}: {exc}")
                outcome.kept.extend(entries)
            except openai.APIConnectionError as exc:
                outcome.failed.append(f"{resource} ({endpoint}): {_unreachable(exc)}; its objects stay journaled for a later cleanup")
                handled = {*outcome.deleted[before[0]:], *outcome.gone[before[1]:]}
                outcome.kept.extend(e for e in entries if _label(e.kind, e.id, resource) not in handled and e not in outcome.kept)
    if not dry_run:
        journal.compact(outcome.kept)
    redact = Redactor(secrets)  # a service's error message may echo the credential
    for label in outcome.deleted:
        print(f"{'would delete' if dry_run else 'deleted'} {label}", file=out)
    for label in outcome.left_alone:
        print(f"left alone {label}", file=out)
    for problem in outcome.failed:
        print(redact(f"FAILED {problem}"), file=out)
    print(f"conformance cleanup: {len(outcome.deleted)} {'to delete' if dry_run else 'deleted'}, "
          f"{len(outcome.gone)} already gone, {len(outcome.left_alone)} left alone, {len(outcome.failed)} failed",
          file=out)
    return outcome


def main(targets_file: Optional[str], dry_run: bool) -> int:
    from conformance.model.targets import TargetsError, load_targets

    try:
        targets = load_targets(targets_file)
    except TargetsError as exc:
        print(f"conformance cleanup: {exc}", file=sys.stderr)
        return 2
    outcome = cleanup(targets, Journal(), dry_run=dry_run)
    return 1 if outcome.failed else 0
