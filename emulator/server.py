"""Serving: one uvicorn server, one asyncio loop, one listening socket per resource.

A request's resource is known from the local port it arrived on (``scope["server"]``), so
each resource looks like its own Azure endpoint. Use :class:`Emulator` from code — ``await
Emulator(...).serve()`` in a loop you own, or ``with Emulator(...) as emu:`` to run it in a
background thread — or ``python -m emulator`` from a shell.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import uvicorn

from emulator import __version__
from emulator.gateway.app import create_app
from emulator.state.outbound import Outbound
from emulator.state.profile import Profile
from emulator.gateway.faults import Injector, fault_settings
from emulator.gateway.process import EmulatorState, resolve_api_key
from emulator.state.store import DEFAULT_MAX_RESPONSES

_HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def url_host(host: str) -> str:
    """The host to put in URLs: wildcard binds are reached through loopback."""
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def bind_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """``count`` listening sockets: ports ``port+i``, or free ports when ``port`` is 0."""
    family = socket.getaddrinfo(host or None, 0, type=socket.SOCK_STREAM)[0][0]
    sockets: list[socket.socket] = []
    try:
        for i in range(count):
            # proto must be IPPROTO_TCP explicitly: asyncio only disables Nagle on accepted
            # sockets whose proto says TCP, and with Nagle on every keep-alive reply waits
            # ~40 ms for a delayed ACK.
            sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            wanted = port + i if port else 0
            try:
                sock.bind((host, wanted))
            except OSError as exc:
                raise OSError(exc.errno, f"cannot listen on {host}:{wanted}: {exc.strerror}") from exc
            sock.listen(1024)
            sock.setblocking(False)
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def write_ready_file(path: str | os.PathLike[str], info: dict[str, Any]) -> None:
    """Write ``info`` as JSON atomically (temp file in the same directory, then rename)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(info, fh, indent=2)
            fh.write("\n")
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class _Server(uvicorn.Server):
    """uvicorn's server, plus a started callback, minus re-raising the stop signal.

    uvicorn re-raises SIGINT/SIGTERM after a graceful shutdown (so the process dies by the
    signal); the emulator exits cleanly with status 0 instead.
    """

    def __init__(self, config: uvicorn.Config, on_started: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_started = on_started

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        originals = {sig: signal.signal(sig, self.handle_exit) for sig in _HANDLED_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in originals.items():
                signal.signal(sig, handler)

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        await super().startup(sockets=sockets)
        if self.started:
            self._on_started()

    async def main_loop(self) -> None:
        """uvicorn's loop (a tick every 0.1 s), woken at once by a stop instead of at the next
        tick: a test run that starts and stops the emulator waits for nothing."""
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 1) % 864000
            try:
                await asyncio.wait_for(self._wake.wait(), 0.1)
            except asyncio.TimeoutError:
                pass
            should_exit = await self.on_tick(counter)

    def wake(self) -> None:
        """End the main loop's wait now (safe from a signal handler or another thread)."""
        loop = getattr(self, "_loop", None)
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake.set)

    def handle_exit(self, sig: int, frame: Any) -> None:
        super().handle_exit(sig, frame)
        self.wake()


class Emulator:
    """A configured emulator; call :meth:`serve` (async) or use it as a context manager."""

    def __init__(
        self,
        *,
        profile: Profile | str | os.PathLike[str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        seed: int = 0,
        max_responses: int = DEFAULT_MAX_RESPONSES,
        retention_seconds: float = 0.0,
        max_body_bytes: int | None = None,
        ready_file: str | os.PathLike[str] | None = None,
        log_level: str = "warning",
        access_log: bool = False,
        background_ms: int | None = None,
        faults: float | None = None,
        fault_seed: int | None = None,
        mutation: str | None = None,
        outbound: Iterable[str] = (),
    ) -> None:
        key, self.api_key_generated = resolve_api_key(api_key)
        self.state = EmulatorState.create(
            profile if isinstance(profile, Profile) or profile is None else str(profile),
            api_key=key,
            seed=seed,
            max_responses=max_responses,
            retention_seconds=retention_seconds,
            background_ms=background_ms,
        )
        if max_body_bytes is not None:
            self.state.max_body_bytes = max_body_bytes
        self.state.outbound = Outbound.parse(outbound)  # BadRoute (a ValueError) names the bad one
        if faults is not None or fault_seed is not None:
            self.state.faults = Injector(fault_settings(self.state.profile.faults, faults, fault_seed))
        self.host = host
        self.port = port
        self.ready_file = ready_file
        self.log_level = log_level
        self.access_log = access_log
        if mutation is not None:
            from emulator.mutations import activate

            self.state.mutation = activate(mutation, self.state)
        self.app = create_app(self.state)
        self.info: dict[str, Any] = {}
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._thread_error: BaseException | None = None

    @property
    def api_key(self) -> str:
        return self.state.auth.api_key

    def _describe(self, sockets: list[socket.socket]) -> dict[str, Any]:
        host = url_host(self.host)
        resources: dict[str, Any] = {}
        ports: dict[int, str] = {}
        for resource, sock in zip(self.state.profile.resources, sockets):
            port = sock.getsockname()[1]
            ports[port] = resource.name
            resources[resource.name] = {"url": f"http://{host}:{port}", "region": resource.region}
        self.state.bind_ports(ports)
        first = next(iter(resources.values()))["url"]
        return {
            "resources": resources,
            "identity_endpoint": f"{first}/msi/token",
            "identity_header": self.state.identity_header,
            "api_key": self.api_key,
            "version": __version__,
            # Live counters (a Counter is a dict): /emulator/info shows the faults injected so far.
            "faults": self.state.faults.counts,
            # The mutant serving this process (a live dict: how often its bug fired), if any.
            **({"mutation": self.state.mutation.stats} if self.state.mutation is not None else {}),
        }

    async def serve(self, on_ready: Callable[[dict[str, Any]], None] | None = None) -> None:
        """Listen on one port per resource until :meth:`stop` (or SIGINT/SIGTERM)."""
        sockets = bind_sockets(self.host, self.port, len(self.state.profile.resources))
        info = self._describe(sockets)
        self.state.info.clear()
        self.state.info.update(info)
        self.info = info

        def started() -> None:
            if self.ready_file is not None:
                write_ready_file(self.ready_file, info)
            if on_ready is not None:
                on_ready(info)

        config = uvicorn.Config(
            self.app,
            lifespan="off",
            ws="websockets-sansio",  # WebSocket mode on /openai/v1/responses (emulator/websocket.py)
            log_config=None,
            log_level=self.log_level,
            access_log=self.access_log,
            server_header=False,
            timeout_graceful_shutdown=5,
        )
        self._server = _Server(config, started)
        try:
            await self._server.serve(sockets=sockets)
        finally:
            for sock in sockets:
                sock.close()

    def stop(self) -> None:
        """Ask a running server to shut down (safe from any thread)."""
        if self._server is not None:
            self._server.should_exit = True
            self._server.wake()

    # --- background thread ----------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> dict[str, Any]:
        """Serve in a daemon thread; return the info document once listening."""
        ready = threading.Event()

        def run() -> None:
            try:
                asyncio.run(self.serve(on_ready=lambda _info: ready.set()))
            except BaseException as exc:  # reported by start()
                self._thread_error = exc
            finally:
                ready.set()

        self._thread = threading.Thread(target=run, name="emulator", daemon=True)
        self._thread.start()
        if not ready.wait(timeout) or self._thread_error is not None or not self.info:
            self.stop()
            raise RuntimeError(f"emulator did not start: {self._thread_error!r}")
        return self.info

    def join(self, timeout: float = 10.0) -> None:
        """Stop the background thread and wait for it."""
        self.stop()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def __enter__(self) -> Emulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.join()


async def serve(**kwargs: Any) -> None:
    """Run an emulator until stopped; keyword arguments as :class:`Emulator`."""
    on_ready = kwargs.pop("on_ready", None)
    await Emulator(**kwargs).serve(on_ready=on_ready)
