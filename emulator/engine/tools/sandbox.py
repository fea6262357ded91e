"""Run a code interpreter program in a bounded child process, never in the emulator itself.

The emulator's "code interpreter" really runs the Python it shows in ``code_interpreter_call``,
so the logs a client reads are what the code printed. The child is bounded so that no program
can hurt the server: ``python -I -S`` (isolated: no user site, no environment, no cwd on the
path), an empty environment, its container's own directory as cwd, ``setrlimit`` caps on CPU
seconds, address space, written file size and open files, a wall-clock timeout, and sockets
disabled before the program starts (the emulator is loopback-only; its code must not reach
anything at all).
"""

from __future__ import annotations

import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

CPU_SECONDS = 2
WALL_SECONDS = 5.0
MEMORY_BYTES = 512 * 1024 * 1024
FILE_BYTES = 4 * 1024 * 1024
OPEN_FILES = 64
LOG_CHARS = 20_000
"""Logs past this are cut (a program that prints forever must not fill the response)."""

_PRELUDE = """\
import socket, sys
def _no_network(*args, **kwargs):
    raise OSError("network access is disabled in the code interpreter sandbox")
socket.socket = socket.create_connection = socket.getaddrinfo = socket.socketpair = _no_network
del socket
_code = sys.stdin.read()
exec(compile(_code, "<code_interpreter>", "exec"), {"__name__": "__main__"})
"""


@dataclass(frozen=True)
class Outcome:
    """What one run printed (stdout then stderr) and whether it ran to the end."""

    logs: str
    exit_code: int | None
    timed_out: bool = False


def _limit() -> None:  # runs in the child, before exec
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_BYTES, FILE_BYTES))
    resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES, OPEN_FILES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _cut(text: str) -> str:
    return text if len(text) <= LOG_CHARS else text[:LOG_CHARS] + "\n[output truncated]\n"


def run_python(code: str, workdir: Path, *, wall_seconds: float = WALL_SECONDS) -> Outcome:
    """Run ``code`` with ``workdir`` as its cwd; a timeout or crash is reported in the logs."""
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-S", "-c", _PRELUDE],
            input=code.encode(), capture_output=True, cwd=workdir, env={}, timeout=wall_seconds,
            preexec_fn=_limit, check=False,
        )
    except subprocess.TimeoutExpired as exc:
        partial = (exc.stdout or b"").decode(errors="replace")
        return Outcome(_cut(partial + f"TimeoutError: execution exceeded {wall_seconds:g} seconds\n"), None, True)
    logs = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
    if done.returncode < 0:
        logs += f"Process killed by signal {-done.returncode} (a resource limit was reached)\n"
    return Outcome(_cut(logs), done.returncode)
