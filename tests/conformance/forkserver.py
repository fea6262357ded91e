"""Python subprocesses for the tests, forked from a pre-warmed interpreter.

About a hundred tests run what a user runs (`python -m pytest suites ...`, `python -m
emulator`, `python -m conformance.cli`) in a fresh process, and check what a user sees: exit
codes, output, files. Half of each such process's CPU was importing the same libraries again
(pytest and its plugins, openai, vcrpy, pydantic, starlette: about 0.9 s of 1.9 s for a small
suite run). This module keeps one idle interpreter per test worker with those imported, and
forks it for each command: the child is a real separate process (its own pid, environment,
working directory, stdin/stdout/stderr, exit code and signals), started from a copy of that
interpreter instead of from nothing.

What a child does not get fresh: modules imported before the fork (none of them reads the
environment at import time; `tests/conformance/test_forkserver.py` checks that the child sees the
environment, directory and ``sys.path`` it was given) and the interpreter's hash seed.
Commands it cannot run this way (another program, interpreter flags other than ``-u``) and
platforms without a safe ``fork`` go to :mod:`subprocess` unchanged; so does everything
when ``CONFORMANCE_TEST_FORKSERVER=off``.

    run([sys.executable, "-m", "pytest", ...], cwd=..., env=..., capture_output=True, text=True, timeout=60)
    Popen([sys.executable, "-m", "emulator", ...], cwd=..., env=..., stdout=log, stderr=subprocess.STDOUT)

take the arguments of :func:`subprocess.run` and :class:`subprocess.Popen` that the tests use.
"""

from __future__ import annotations

import atexit
import io
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parents[2]
SWITCH = "CONFORMANCE_TEST_FORKSERVER"
#: A file to which the server appends each child's test, command and CPU seconds (unset:
#: nothing); how docs/benchmarks.md counted what the children of a `make test` cost.
LOG_ENV = "CONFORMANCE_TEST_FORKSERVER_LOG"
#: What every child would import again: the test runner, the SDK, the recorder, the emulator's
#: server stack. Libraries only, none of which reads the environment at import. Not this
#: project's own packages: pytest rewrites the asserts of a plugin's distribution as it imports
#: them, and warns about modules imported before it could.
WARM = ("pytest", "openai", "vcr", "pydantic", "yaml", "jinja2", "rich", "jsonschema", "starlette",
        "uvicorn", "httpx2", "mcp", "PIL.Image", "pypdf", "jwt", "cryptography", "hypothesis")


# --- the client side ---------------------------------------------------------------------------

def _enabled() -> bool:
    return (os.environ.get(SWITCH, "").lower() not in ("off", "0", "no", "false")
            and sys.platform.startswith("linux") and hasattr(socket, "send_fds"))


def _forkable(args: Any, options: dict[str, Any], more: frozenset[str] | set[str] = frozenset()) -> Optional[list[str]]:
    """``args`` without the interpreter, if the server can run it with these keyword
    ``options``: ``-m MOD``, ``-c CODE`` or a script, optionally after ``-u``; None sends the
    command to :mod:`subprocess`."""
    if not _enabled() or not set(options) <= {"cwd", "env", "stdout", "stderr", "text", *more}:
        return None
    if not isinstance(args, (list, tuple)) or not args or str(args[0]) != sys.executable:
        return None
    rest = [str(a) for a in args[1:]]
    while rest and rest[0] == "-u":
        rest = rest[1:]
    if not rest or (rest[0].startswith("-") and rest[0] not in ("-m", "-c")) or (rest[0] in ("-m", "-c") and len(rest) < 2):
        return None
    return rest


class _Server:
    """The idle interpreter of this test worker, started on first use."""

    _instance: Optional[_Server] = None

    def __init__(self) -> None:
        self.directory = tempfile.mkdtemp(prefix="conformance-forkserver-")
        self.path = os.path.join(self.directory, "socket")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        self.proc = subprocess.Popen([sys.executable, __file__, self.path], cwd=ROOT, env=env,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if line.strip() != "ready":
            raise RuntimeError(f"the fork server did not start (it said {line!r})")
        atexit.register(self.close)

    @classmethod
    def get(cls) -> _Server:
        if cls._instance is None or cls._instance.proc.poll() is not None:
            cls._instance = cls()
        return cls._instance

    def spawn(self, argv: list[str], cwd: str, env: dict[str, str], fds: tuple[int, int, int],
              session: bool) -> tuple[socket.socket, int]:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        conn.connect(self.path)
        request = json.dumps({"argv": argv, "cwd": cwd, "env": env, "session": session,
                              "test": os.environ.get("PYTEST_CURRENT_TEST", "")}).encode()
        socket.send_fds(conn, [request], list(fds))
        pid = int(conn.recv(64).decode())
        return conn, pid

    def close(self) -> None:
        """At the worker's exit; the server would also leave by itself once its parent is gone."""
        if self.proc.poll() is None:
            self.proc.terminate()


def _fd(spec: Any, stack: list[Any], mode: str) -> int:
    """A file descriptor for one of the child's standard streams."""
    if spec is None or spec == subprocess.DEVNULL:
        handle = open(os.devnull, mode)
        stack.append(handle)
        return handle.fileno()
    if isinstance(spec, int):
        return spec
    return spec.fileno()


class ForkedProcess:
    """The part of :class:`subprocess.Popen` the tests use, for a forked child."""

    def __init__(self, args: list[str], argv: list[str], *, cwd: Any = None, env: Optional[dict[str, str]] = None,
                 stdin: Any = None, stdout: Any = None, stderr: Any = None, text: bool = False,
                 start_new_session: bool = False) -> None:
        self.args = args
        self.returncode: Optional[int] = None
        self.stdout: Any = None
        self.stdin = None
        self.stderr = None
        self._text = text
        self._chunks: list[bytes] = []
        opened: list[Any] = []
        read_end = None
        try:
            if stdout == subprocess.PIPE:
                read_end, write_end = os.pipe()
                out = write_end
                opened.append(write_end)
            else:
                out = _fd(stdout, opened, "wb")
            err = out if stderr == subprocess.STDOUT else _fd(stderr, opened, "wb")
            inp = _fd(stdin, opened, "rb")
            self._conn, self.pid = _Server.get().spawn(
                argv, str(cwd or os.getcwd()), dict(os.environ if env is None else env), (inp, out, err), start_new_session)
        finally:
            for handle in opened:
                os.close(handle) if isinstance(handle, int) else handle.close()
        if read_end is not None:
            self.stdout = open(read_end, "r" if text else "rb")

    def poll(self) -> Optional[int]:
        if self.returncode is None and select.select([self._conn], [], [], 0)[0]:
            self._collect()
        return self.returncode

    def wait(self, timeout: Optional[float] = None) -> int:
        if self.returncode is None:
            if not select.select([self._conn], [], [], timeout)[0]:
                raise subprocess.TimeoutExpired(self.args, timeout or 0)
            self._collect()
        assert self.returncode is not None
        return self.returncode

    def _collect(self) -> None:
        data = self._conn.recv(64).decode().strip()
        self._conn.close()
        self.returncode = int(data) if data else -signal.SIGKILL  # the server went away

    def send_signal(self, sig: int) -> None:
        if self.returncode is None:
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def communicate(self, input: Any = None, timeout: Optional[float] = None) -> tuple[Any, None]:
        """The rest of the piped output and the exit, within ``timeout`` (what was read before a
        timeout is kept for the next call, as subprocess does)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if self.stdout is not None and not self.stdout.closed:
            fd = self.stdout.fileno()
            while True:
                remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
                if not select.select([fd], [], [], remaining)[0]:
                    raise subprocess.TimeoutExpired(self.args, timeout or 0)
                data = os.read(fd, 65536)
                if not data:
                    break
                self._chunks.append(data)
            self.stdout.close()
        self.wait(None if deadline is None else max(0.0, deadline - time.monotonic()))
        if self.stdout is None:
            return None, None
        out = b"".join(self._chunks)
        return (out.decode("utf-8", "replace") if self._text else out), None

    def __enter__(self) -> ForkedProcess:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.stdout is not None:
            self.stdout.close()
        self.wait()


def Popen(args: Any, **kwargs: Any) -> Any:  # noqa: N802 - the name of what it stands in for
    """:class:`subprocess.Popen`, forked from the warm interpreter when it can be."""
    argv = _forkable(args, kwargs, {"stdin", "start_new_session"})
    if argv is None:
        return subprocess.Popen(args, **kwargs)
    return ForkedProcess(list(args), argv, **kwargs)


def run(args: Any, *, input: Optional[str | bytes] = None, capture_output: bool = False, timeout: Optional[float] = None,
        **kwargs: Any) -> subprocess.CompletedProcess[Any]:
    """:func:`subprocess.run`, forked from the warm interpreter when it can be."""
    argv = _forkable(args, kwargs)
    if argv is None:
        return subprocess.run(args, input=input, capture_output=capture_output, timeout=timeout, **kwargs)
    text = bool(kwargs.pop("text", False))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as inp:
        if input is not None:
            inp.write(input.encode() if isinstance(input, str) else input)
            inp.seek(0)
        if capture_output:
            kwargs["stdout"], kwargs["stderr"] = out, err
        proc = ForkedProcess(list(args), argv, stdin=inp, text=text, **kwargs)
        try:
            code = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise subprocess.TimeoutExpired(args, timeout or 0, _read(out, text, capture_output), _read(err, text, capture_output))
        return subprocess.CompletedProcess(args, code, _read(out, text, capture_output), _read(err, text, capture_output))


def _read(handle: Any, text: bool, captured: bool) -> Any:
    if not captured:
        return None
    handle.seek(0)
    data = handle.read()
    return data.decode("utf-8", "replace") if text else data


# --- the server side ---------------------------------------------------------------------------

def _streams(env: dict[str, str]) -> None:
    """Standard streams on the child's descriptors 0-2, buffered as a new interpreter's are."""
    unbuffered = bool(env.get("PYTHONUNBUFFERED"))
    encoding = env.get("PYTHONIOENCODING", "utf-8").split(":")[0] or "utf-8"

    def text(fd: int, mode: str, errors: str) -> io.TextIOWrapper:
        raw = io.FileIO(fd, mode, closefd=False)
        tty = raw.isatty()
        buffered: Any = raw if unbuffered and mode == "w" else (io.BufferedWriter(raw) if mode == "w" else io.BufferedReader(raw))
        return io.TextIOWrapper(buffered, encoding=encoding, errors=errors, line_buffering=tty or (fd == 2),
                                write_through=unbuffered or fd == 2)

    sys.stdin = sys.__stdin__ = text(0, "r", "strict")
    sys.stdout = sys.__stdout__ = text(1, "w", "strict")
    sys.stderr = sys.__stderr__ = text(2, "w", "backslashreplace")


def _child(request: dict[str, Any], base_path: list[str]) -> int:
    """In the forked child: become the command and run it; returns its exit code."""
    import runpy
    import types

    env: dict[str, str] = request["env"]
    argv: list[str] = request["argv"]
    if request.get("session"):
        os.setsid()  # start_new_session: its own process group, for os.killpg
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(env)
    sys.dont_write_bytecode = bool(env.get("PYTHONDONTWRITEBYTECODE"))
    sys.pycache_prefix = env.get("PYTHONPYCACHEPREFIX") or None
    _streams(env)
    extra = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    if argv[0] == "-m":
        first, sys.argv = os.getcwd(), [argv[1], *argv[2:]]
    elif argv[0] == "-c":
        first, sys.argv = "", ["-c", *argv[2:]]
    else:
        first, sys.argv = str(Path(argv[0]).resolve().parent), list(argv)
    sys.path[:] = [first, *extra, *base_path]
    try:
        if argv[0] == "-m":
            runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        elif argv[0] == "-c":
            main = types.ModuleType("__main__")
            sys.modules["__main__"] = main
            exec(compile(argv[1], "<string>", "exec"), main.__dict__)
        else:
            runpy.run_path(argv[0], run_name="__main__")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            print(exc.code, file=sys.stderr)
    except BaseException:  # noqa: BLE001 - what an interpreter does with an uncaught exception
        import traceback

        traceback.print_exc()
        code = 1
    import threading

    threading._shutdown()  # type: ignore[attr-defined]  # join non-daemon threads, as at exit
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    return code


def _quiet_already_imported() -> None:
    """pytest marks the top-level packages of every plugin's distribution for assert rewriting
    and warns about any already imported. A warm import of openai brings anyio (a plugin's
    package) in early; its submodules imported later (its pytest plugin) are still rewritten,
    but the package's own ``__init__`` cannot be, and the warning would be in every child's
    output. ``PYTEST_DONT_REWRITE`` in a module's docstring is pytest's way to say so."""
    import importlib.metadata

    from _pytest.config import _iter_rewritable_modules

    for dist in importlib.metadata.distributions():
        if not any(ep.group == "pytest11" for ep in dist.entry_points):
            continue
        for name in _iter_rewritable_modules(str(f) for f in dist.files or []):
            module = sys.modules.get(name)
            if module is not None:
                module.__doc__ = (module.__doc__ or "") + "\n\nPYTEST_DONT_REWRITE (imported before pytest ran)"


def serve(path: str) -> None:
    """Import the warm modules, then fork a child per request until the parent goes away."""
    import importlib

    for name in WARM:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    _quiet_already_imported()
    import gc

    # What the warm imports built lives as long as any child: out of the collector's sight,
    # each child's collections (pytest runs several at the end of a session) walk only what
    # the child made (measured: 0.95 s -> 0.70 s of CPU for a small suite run).
    gc.freeze()
    own = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    base_path = [p for p in sys.path if p not in own]
    parent = os.getppid()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(path)
    listener.listen(64)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the test run's to handle
    children: dict[int, socket.socket] = {}
    started: dict[int, list[str]] = {}
    print("ready", flush=True)
    while os.getppid() == parent:
        try:
            ready = select.select([listener, wake_r], [], [], 1.0)[0]
        except InterruptedError:
            ready = []
        if wake_r in ready:
            os.read(wake_r, 4096)
        if listener in ready:
            conn, _ = listener.accept()
            message, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
            request = json.loads(message)
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.default_int_handler)
                for sock in (listener, conn, *children.values()):
                    sock.close()
                os.close(wake_r)
                os.close(wake_w)
                for target, fd in zip((0, 1, 2), fds):
                    os.dup2(fd, target)
                for fd in fds:
                    if fd > 2:
                        os.close(fd)
                os._exit(_child(request, base_path))
            for fd in fds:
                os.close(fd)
            started[pid] = [request.get("test", ""), *request["argv"][:12]]
            try:
                conn.send(f"{pid}".encode())
                children[pid] = conn
            except OSError:
                conn.close()
        while children:
            try:
                pid, status, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            if LOG_ENV in os.environ:  # what each child cost (docs/benchmarks.md, section 6)
                with open(os.environ[LOG_ENV], "a", encoding="utf-8") as log:
                    log.write(json.dumps({"argv": started.pop(pid, []), "cpu": usage.ru_utime + usage.ru_stime}) + "\n")
            conn = children.pop(pid, None)
            if conn is not None:
                try:
                    conn.send(f"{os.waitstatus_to_exitcode(status)}".encode())
                except OSError:
                    pass
                conn.close()
    for pid in children:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


if __name__ == "__main__":
    sys.path.pop(0)  # this script's folder: not on a child's path
    serve(sys.argv[1])
