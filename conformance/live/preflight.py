"""Preflight: one cheap request per way of reaching a target, before any test of a live run.

A setup mistake (no key variable, a dead or silent endpoint, a base URL that is not an Azure
OpenAI resource, an api-version the service does not serve, no Entra credential, a dead
CONFORMANCE_EMULATOR) would otherwise reach every test and be recorded as the service's
`failed` or `inconclusive` cells: a nightly would open a regression issue for a typo, and an
unreachable target would cost minutes of timeouts. So a live run first lists the models of
each distinct (endpoint, api, auth) with a short timeout and no retries, and the targets whose
probe shows a *setup* problem are left out of the run with one message that names the fix.

Only setup problems drop a target. What the service decides (429, 5xx, an SDK too old to
express the request) is left to the tests, which give their own verdicts. So a v1 key target
refused with 401 gets one more probe with the same key in the `api-key` header: if that one
is served, the key is right and the service refuses the documented `Authorization: Bearer
<key>` form (the v1 API accepts both; learn.microsoft.com, "Azure OpenAI in Azure AI Foundry
Models v1 API"). That is the service's fault, so the target stays in the run (its tests fail)
and the preflight only notes it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, Optional

import openai

from conformance.client.auth import CredentialError
from conformance.client.factory import Connection, SdkCannotExpress, build_client
from conformance.live.embedded import EmulatorError, UnknownResource
from conformance.model.targets import Target
from conformance.outcome.verdicts import exception_chain as _chain


#: Seconds for connect and for each read: a silent endpoint costs this once, not minutes a test.
TIMEOUT = 5.0
#: Probes run side by side, so several silent endpoints still cost one TIMEOUT.
PARALLEL = 8

Connect = Callable[[Target], Connection]
#: How the xdist controller tells its workers which targets it left out (see conformance.pytest_plugin.preflight).
WORKERINPUT = "conformance_preflight_dropped"


@dataclass(frozen=True)
class Problem:
    """One setup problem and the targets it keeps out of the run."""

    targets: tuple[str, ...]
    message: str

    def line(self) -> str:
        ids = ", ".join(self.targets) if len(self.targets) <= 3 else (
            f"{len(self.targets)} targets ({', '.join(self.targets[:3])}, ...)")
        return f"{ids}: {self.message}"


@dataclass(frozen=True)
class Finding:
    """What one probe found: a setup problem (the target is dropped), or a note (it is kept)."""

    message: str
    keep: bool = False


@dataclass(frozen=True)
class Outcome:
    usable: list[Target]
    problems: list[Problem]
    #: Kept targets the probe saw misbehave in a way the tests will report (one line each).
    notes: list[Problem] = field(default_factory=list)

    @property
    def dropped(self) -> list[str]:
        return [target for problem in self.problems for target in problem.targets]

    def text(self, where: str, kept: int) -> str:
        """The message block a user reads: one line per problem, each naming the fix."""
        head = (f"preflight ({where}): no target can be used; no test was run:" if not kept else
                f"preflight ({where}): {len(self.dropped)} of {len(self.dropped) + kept} targets cannot "
                "be used and are left out of this run (they get no cells, not `failed`):")
        return "\n".join([head, *(f"  {problem.line()}" for problem in self.problems)])

    def notes_text(self, where: str) -> str:
        """One line per note, for targets that stay in the run."""
        return "\n".join(f"preflight ({where}): {note.line()}" for note in self.notes)


def probe_key(target: Target) -> tuple[str, str, str, str, str]:
    """Targets that share this reach the service the same way: one probe serves them all."""
    return (target.endpoint, target.api_label, target.auth, target.key_env, target.entra_scope)


def check(targets: list[Target], connect: Connect, timeout: float = TIMEOUT) -> Outcome:
    """Probe each distinct way of reaching `targets`; keep those without a setup problem."""
    groups: dict[tuple[str, ...], list[Target]] = defaultdict(list)
    for target in targets:
        groups[probe_key(target)].append(target)
    # Connections are resolved in order (this may start or attach the emulator once); only
    # the requests run side by side.
    resolved: list[tuple[Target, Optional[Connection], Optional[Finding]]] = []
    emulator_problem: Optional[str] = None
    for members in groups.values():
        first = members[0]
        if first.on_emulator and emulator_problem is not None:
            resolved.append((first, None, Finding(emulator_problem)))
            continue
        try:
            connection = connect(first)
            # A resource's own `timeout`, when shorter, bounds its probe too: a user who allows
            # 2 s a request does not wait 5 s to hear the endpoint is silent.
            resolved.append((first, replace(connection, max_retries=0, timeout=min(timeout, connection.timeout)), None))
        except (CredentialError, EmulatorError) as exc:
            resolved.append((first, None, Finding(str(exc))))
            if first.on_emulator and not isinstance(exc, UnknownResource):
                emulator_problem = str(exc)  # a dead emulator: do not wait for it once per group
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        verdicts = list(pool.map(lambda item: item[2] or _probe(item[0], item[1], item[1].timeout), resolved))
    by_message: dict[str, list[str]] = defaultdict(list)
    noted: dict[str, list[str]] = defaultdict(list)
    usable: list[Target] = []
    for members, finding in zip(groups.values(), verdicts):
        if finding is None or finding.keep:
            usable.extend(members)
        if finding is not None:
            (noted if finding.keep else by_message)[finding.message].extend(t.id for t in members)
    problems = [Problem(tuple(ids), message) for message, ids in by_message.items()]
    notes = [Problem(tuple(ids), message) for message, ids in noted.items()]
    return Outcome([t for t in targets if t in usable], problems, notes)


def _probe(target: Target, connection: Optional[Connection], timeout: float) -> Optional[Finding]:
    """None when `target` is reachable, a kept note when the service is at fault, else the
    setup problem with the message that names the fix."""
    found = _setup_problem(target, connection, timeout)
    return Finding(found) if isinstance(found, str) else found


def _setup_problem(target: Target, connection: Optional[Connection], timeout: float) -> "Optional[str | Finding]":
    assert connection is not None
    where = f"resource {target.resource!r}"
    try:
        if connection.token_provider is not None:
            connection.token_provider()  # no Entra credential: say so before any request
        _list_models(target, connection)
        return None
    except CredentialError as exc:
        return str(exc)
    except SdkCannotExpress:
        return None  # the tests say `unsupported` by sdk: a verdict, not a setup problem
    except openai.APITimeoutError:
        return (f"{where} did not answer within {timeout:g} s (it may accept connections and never reply): "
                "check its `endpoint` in the targets file, your proxy, and the resource's network rules")
    except openai.APIConnectionError as exc:
        if not any(connect_failure(link) for link in _chain(exc)):
            return None  # connected, then dropped: the service's hiccup, for the tests to judge
        return (f"cannot reach {where} ({_root_cause(exc)}): check its `endpoint` in the targets file "
                f"(e.g. {_EXAMPLE_ENDPOINT[target.kind]}) and that this machine can reach it")
    except openai.AuthenticationError as exc:
        if target.auth == "key" and target.provider == "azure" and target.is_v1 and _key_header_is_served(target, connection):
            return Finding(f"{where} refused `Authorization: Bearer <key>` (401{_said(exc)}) but serves the same key "
                           "in the `api-key` header: the key is right and the service breaks the v1 API, which "
                           "accepts both forms; the target stays in the run and its tests will fail", keep=True)
        fix = _credential_fix(target)
        return f"{where} refused the credentials (401{_said(exc)}): {fix}"
    except openai.PermissionDeniedError as exc:
        return (f"{where} denied access (403{_said(exc)}): check the resource's network rules (firewall, "
                "private endpoint) and, for Entra ID, your role assignment")
    except openai.NotFoundError as exc:
        if target.kind == "compatible":
            # Many Responses servers (mocks, gateways) list no models: it answered, so it is
            # reachable; whether it serves /responses is for the tests to say.
            return Finding(f"{where} serves no models list (404{_said(exc)}); its tests give the verdicts", keep=True)
        return _not_found(target, connection, exc)
    except openai.BadRequestError as exc:
        if "api version" in _said(exc).lower() or "api-version" in _said(exc).lower():
            return _version_not_served(target, f"400{_said(exc)}")
        return None
    except openai.APIStatusError:
        return None  # 429, 5xx: the service's state, which the tests report as inconclusive
    except Exception:  # noqa: BLE001 - whatever else, the tests (not the preflight) give the verdict
        return None


_EXAMPLE_ENDPOINT = {
    "resource": "https://<resource>.openai.azure.com",
    "project": "https://<account>.services.ai.azure.com/api/projects/<project>",
    "openai": "https://api.openai.com/v1, the default when `endpoint` is left out",
    "compatible": "http://127.0.0.1:8000/v1, the server's base URL with its version prefix",
}


def _credential_fix(target: Target) -> str:
    """What to check after a 401, for each kind of target."""
    if target.kind == "openai":
        return f"check that {target.key_env} holds an OpenAI API key (platform.openai.com, API keys)"
    if target.kind == "compatible":
        return ("set the resource's `key_env` to the variable holding the server's key" if not target.key_env
                else f"check that {target.key_env} holds the server's key")
    if target.auth == "key":
        return f"check that {target.key_env} holds a key of this resource (portal: Keys and Endpoint)"
    role = "'Azure AI User' role on the project" if target.kind == "project" else "'Cognitive Services OpenAI User' role on the resource"
    return f"check that your identity has the {role} and that entra_scope ({target.entra_scope}) is right"


def _key_header_is_served(target: Target, connection: Connection) -> bool:
    """Whether the models list answers with the key in the `api-key` header (AzureOpenAI's form)."""
    try:
        _list_models(target, connection, headers={"api-key": connection.api_key or ""})
        return True
    except Exception:  # noqa: BLE001 - anything but an answer leaves the 401 as it was: a setup problem
        return False


def _list_models(target: Target, connection: Connection, headers: Optional[dict[str, str]] = None) -> Any:
    client = build_client(target, connection, default_headers=headers)
    try:
        return client.models.list()
    finally:
        client.close()


def _not_found(target: Target, connection: Connection, exc: openai.NotFoundError) -> str:
    """404 on the base path: a wrong endpoint, or (dated) an api-version the service lacks.

    A dated path 404s for both (Azure's gateway matches path and version together), so the
    v1 path of the same endpoint tells them apart: if it answers, the endpoint is right.
    """
    where = f"resource {target.resource!r}"
    if not target.is_v1:
        try:
            _list_models(replace(target, api="v1", api_version_query=None), connection)
            answers = True
        except openai.APIStatusError as again:
            answers = not isinstance(again, openai.NotFoundError)
        except Exception:
            answers = False
        if answers:
            return _version_not_served(target, f"404{_said(exc)} on /openai/models, while /openai/v1/models answers")
    if target.kind == "openai":
        return (f"{where}: its `endpoint` serves no OpenAI API (404{_said(exc)} on the models list): leave "
                "`endpoint` out for https://api.openai.com/v1")
    what = "project" if target.kind == "project" else "resource"
    return (f"{where}: its `endpoint` serves no Azure OpenAI API (404{_said(exc)} on the models list): use "
            f"the {what}'s base URL as the portal shows it, e.g. {_EXAMPLE_ENDPOINT[target.kind]}")


def _version_not_served(target: Target, seen: str) -> str:
    api = f"v1?api-version={target.api_version_query}" if target.api_version_query else target.api
    return (f"resource {target.resource!r} does not serve api {api!r} ({seen}): use one it "
            "serves in the matrix `api` list: 'v1', or a dated version such as '2025-04-01-preview'")


def _said(exc: openai.APIStatusError) -> str:
    body = exc.body if isinstance(exc.body, dict) else {}
    error = body.get("error", body) if isinstance(body, dict) else {}
    message = error.get("message") if isinstance(error, dict) else None
    return f": {str(message)[:200]}" if message else ""


def connect_failure(exc: BaseException) -> bool:
    """httpx's (or httpx2's) ConnectError: refused, unknown host, TLS handshake; not a later drop."""
    return any(c.__name__ == "ConnectError" and c.__module__.startswith("httpx") for c in type(exc).__mro__)


def _root_cause(exc: BaseException) -> str:
    last = _chain(exc)[-1]
    text = str(last).strip() or type(last).__name__
    return text.splitlines()[0][:200]
