"""The embedded emulator: started as a real server process on loopback, or attached to one.

A subprocess, not a thread: the emulator is a real HTTP server, and nothing it does (such as
its own outgoing calls to an MCP server) can leak into the suite's cassettes.
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from conformance.client.auth import EmulatorIdentity

#: Set to a running emulator's URL (e.g. http://127.0.0.1:8080) to use it instead of starting one.
ATTACH_ENV = "CONFORMANCE_EMULATOR"
#: Extra command-line arguments for the embedded emulator (e.g. "--faults 0.2 --fault-seed 7").
ARGS_ENV = "CONFORMANCE_EMULATOR_ARGS"
START_TIMEOUT = 30.0


class EmulatorError(Exception):
    """The emulator could not be started or reached; the message says what to do."""


class UnknownResource(EmulatorError):
    """An emulator:// endpoint names a resource the running emulator does not serve."""


@dataclass
class EmulatorHandle:
    info: dict[str, Any]
    process: Optional[subprocess.Popen[bytes]] = None
    log_path: Optional[Path] = None

    @property
    def api_key(self) -> str:
        return str(self.info["api_key"])

    @property
    def version(self) -> str:
        return str(self.info.get("version", "?"))

    @property
    def identity(self) -> EmulatorIdentity:
        return EmulatorIdentity(self.info["identity_endpoint"], self.info["identity_header"])

    def url(self, resource: str) -> str:
        resources = self.info["resources"]
        if resource not in resources:
            raise UnknownResource(
                f"the emulator serves no resource named {resource!r} (it has: {', '.join(sorted(resources))}); "
                "an emulator:// endpoint must name a resource of the emulator's profile"
            )
        return str(resources[resource]["url"]).rstrip("/")

    @property
    def urls(self) -> list[str]:
        return [str(r["url"]).rstrip("/") for r in self.info["resources"].values()]

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


#: Seconds to wait for an attached emulator's info: a dead or silent URL is a setup error, fast.
ATTACH_TIMEOUT = 5.0


def attach(url: str) -> EmulatorHandle:
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/emulator/info", timeout=ATTACH_TIMEOUT) as reply:
            return EmulatorHandle(info=json.loads(reply.read()))
    except (OSError, ValueError) as exc:
        # URLError wraps the socket's reason; a non-emulator server answers 404 or non-JSON.
        reason = getattr(exc, "reason", None) or exc
        raise EmulatorError(
            f"{ATTACH_ENV}={url}: no emulator answers there ({reason}); start one with "
            "`python -m emulator --port 8080`, or unset the variable to let the suite start its own"
        ) from None


def start(extra_args: tuple[str, ...] = ()) -> EmulatorHandle:
    """Start `python -m emulator` on free loopback ports and wait until it is ready."""
    workdir = Path(tempfile.mkdtemp(prefix="conformance-emulator-"))
    ready = workdir / "ready.json"
    log_path = workdir / "emulator.log"
    command = [
        sys.executable, "-m", "emulator",
        "--port", "0",
        "--api-key", secrets.token_hex(16),
        "--ready-file", str(ready),
        *extra_args,
    ]
    env = {k: v for k, v in os.environ.items() if k not in ("IDENTITY_ENDPOINT", "IDENTITY_HEADER")}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if ready.exists():
            return EmulatorHandle(info=json.loads(ready.read_text()), process=process, log_path=log_path)
        if process.poll() is not None:
            break
        time.sleep(0.02)
    process.kill()
    tail = log_path.read_text(errors="replace")[-2000:]
    raise EmulatorError(f"the embedded emulator did not start (command: {' '.join(command[:3])} ...):\n{tail}")


def start_or_attach() -> EmulatorHandle:
    url = os.environ.get(ATTACH_ENV)
    return attach(url) if url else start(tuple(shlex.split(os.environ.get(ARGS_ENV, ""))))
