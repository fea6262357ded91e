"""One pytest run of the suite: its mode, targets, emulator, cassette hygiene and results.

The plugin keeps exactly one RunState per session; fixtures ask it how to reach a target
(`connection`) so that replay, the embedded emulator and real Azure differ only here.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

import pytest

from conformance.client import auth
from conformance.recording import PLACEHOLDER_BASE, Scrubber, set_provenance, vcr_config
from conformance.client.factory import Connection, build_client
from conformance.live.embedded import EmulatorHandle, start_or_attach
from conformance.pytest_plugin.results import Results
from conformance.report.build import RunRecord, build_report
from conformance.report.model import Report
from conformance.model.sdk import SDK_VERSION
from conformance.live.journal import Journal
from conformance.model.targets import DEFAULT_TARGETS, Target
from conformance.live.tracking import Tracker

class RunState:
    def __init__(self, config: pytest.Config, live: bool, targets: list[Target], recording: bool) -> None:
        self.config = config
        self.live = live
        self.recording = recording
        self.targets = targets
        self.targets_path = Path(config.getoption("--targets") or DEFAULT_TARGETS)
        self.started = 0.0
        self._emulator: Optional[EmulatorHandle] = None
        self._sync_providers: dict[tuple[str, str], Callable[[], str]] = {}
        self._saved_env: dict[str, Optional[str]] = {}
        self.scrubber = Scrubber(secrets=[auth.FAKE_KEY, auth.FAKE_TOKEN], hosts=[])
        self.results = Results(config.rootpath, self.scrubber, live=live, recording=recording)
        #: Live runs journal what they create (replay creates nothing).
        self.tracker: Optional[Tracker] = Tracker(Journal()) if live else None
        #: Targets the preflight left out (ids), and what it told the user (conformance.live.preflight).
        self.preflight_dropped: list[str] = []
        self.preflight_text = ""

    @property
    def targets_label(self) -> str:
        return self.targets_path.name

    @property
    def source(self) -> str:
        return "live" if self.live else "replay"

    # ------------------------------------------------------------------ the emulator

    @property
    def emulator(self) -> EmulatorHandle:
        """Started (or attached) on first use, so replay runs never start it."""
        if self._emulator is None:
            handle = start_or_attach()
            self._emulator = handle
            self.scrubber.add_secret(handle.api_key)
            self.scrubber.add_secret(handle.identity.header)
            for url in handle.urls:
                self.scrubber.add_host(url)
            # azure-identity (through msal) reads these when it acquires a token; they point
            # its managed-identity path at the emulator. Restored at the end of the run.
            for name, value in (("IDENTITY_ENDPOINT", handle.identity.endpoint), ("IDENTITY_HEADER", handle.identity.header)):
                self._saved_env[name] = os.environ.get(name)
                os.environ[name] = value
        return self._emulator

    def close(self) -> None:
        for name, value in self._saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        if self._emulator is not None:
            self._emulator.stop()

    # ------------------------------------------------------------------ connections

    def endpoint(self, target: Target) -> str:
        # The endpoint's path (a Foundry project's /api/projects/<p>, a server's /v1) stays:
        # cassettes match on it.
        if not self.live:
            return PLACEHOLDER_BASE + target.endpoint_path
        if target.on_emulator:
            return self.emulator.url(target.emulator_resource) + target.endpoint_path
        self.scrubber.add_host(target.endpoint)
        return target.endpoint

    def api_key(self, target: Target) -> Optional[str]:
        if target.auth != "key":
            return None
        if not self.live:
            return auth.FAKE_KEY
        if target.on_emulator:
            return self.emulator.api_key
        if target.provider == "compatible" and not target.key_env:
            return auth.NO_KEY
        key = auth.api_key(target)
        self.scrubber.add_secret(key)
        return key

    def token_provider(self, target: Target, asynchronous: bool = False,
                       scope: Optional[str] = None) -> Optional[Callable[[], Any]]:
        """Entra tokens for `target`: for its `entra_scope`, or for `scope` (e.g. another
        audience, auth.OTHER_AUDIENCE_SCOPE). Replay hands out the fixed fake token for any scope."""
        if target.auth != "entra":
            return None
        if not self.live:
            return auth.async_fake_provider() if asynchronous else auth.fake_provider()
        identity = self.emulator.identity if target.on_emulator else None
        scope = scope or target.entra_scope
        if asynchronous:
            # azure.identity.aio credentials belong to one event loop: one per test.
            return auth.async_entra_provider(target, identity=identity, on_secret=self.scrubber.add_secret, scope=scope)
        key = (target.resource, scope)
        if key not in self._sync_providers:
            self._sync_providers[key] = auth.entra_provider(target, identity=identity,
                                                            on_secret=self.scrubber.add_secret, scope=scope)
        return self._sync_providers[key]

    def connection(self, target: Target, asynchronous: bool = False) -> Connection:
        return Connection(
            endpoint=self.endpoint(target),
            api_key=self.api_key(target),
            token_provider=self.token_provider(target, asynchronous),
            # Replay never retries: a request that matches no recording must fail at once.
            max_retries=target.max_retries if self.live else 0,
            timeout=target.timeout,
        )

    def sweep(self) -> list[str]:
        """Delete what this run created and no teardown deleted (live runs; at session end)."""
        if self.tracker is None:
            return []
        def client_for(target: Target) -> Any:
            connection = self.connection(target)
            return build_client(target, Connection(connection.endpoint, connection.api_key,
                                                   connection.token_provider, max_retries=1, timeout=15.0))

        return self.tracker.sweep(self.targets, client_for)

    # ------------------------------------------------------------------ cassettes

    def vcr_config(self) -> dict[str, Any]:
        return vcr_config(self.scrubber, replay=not self.recording)

    def begin_cassette(self, node: Any, target: Optional[Target]) -> None:
        if not self.recording or target is None:
            set_provenance(None)
            return
        against = f"emulator {self.emulator.version}" if target.on_emulator else target.provider
        set_provenance({
            "recorded_against": against,
            "recorded_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            "target": target.id,
            "sdk": f"openai {SDK_VERSION}",
        })

    # ------------------------------------------------------------------ the report

    def build_report(self) -> Report:
        """The report of this run so far: its results plus the run's own record."""
        run = RunRecord(source=self.source, targets_file=self.targets_label, started=self.started,
                        targets=list(self.targets), scrubber=self.scrubber,
                        show_hosts=bool(self.config.getoption("--show-hosts", default=False)),
                        openapi=self.config.getoption("--openapi", default=None))
        return build_report(run, self.results.items, finished=time.time())

    def write_report(self, directory: Path) -> None:
        from conformance.report import write_all  # lazily: jinja2 and the renderers cost start-up time

        write_all(self.build_report(), directory)

    def print_matrix(self, terminalreporter: Any) -> None:
        from conformance.report.table import render_matrix  # lazily: rich costs start-up time

        report = self.build_report()
        if report.rows:
            render_matrix(report, width=terminalreporter._tw.fullwidth, file=terminalreporter._tw._file)
