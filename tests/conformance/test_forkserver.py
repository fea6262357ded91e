"""The fork server behaves as `subprocess` does for the commands the tests run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import forkserver
import pytest

pytestmark = pytest.mark.skipif(not forkserver._enabled(), reason="the fork server needs Linux (elsewhere the tests use subprocess)")

PROBE = ("import json, os, sys; print(json.dumps({'cwd': os.getcwd(), 'env': os.environ.get('PROBE'),"
         " 'argv': sys.argv, 'path0': sys.path[0], 'extra': os.environ.get('PYTHONPATH', '').split(os.pathsep)[0] in sys.path}))")


def _env(**extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k != "PROBE"}, **extra}


def test_the_child_gets_its_own_directory_environment_arguments_and_path(tmp_path: Path):
    done = forkserver.run([sys.executable, "-c", PROBE, "a", "b"], cwd=tmp_path,
                          env=_env(PROBE="yes", PYTHONPATH=str(tmp_path)), capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (f'{{"cwd": "{tmp_path}", "env": "yes", "argv": ["-c", "a", "b"], "path0": "", "extra": true}}')
    assert "PROBE" not in os.environ  # the parent is untouched


def test_a_module_runs_as_main_with_the_directory_first_on_its_path(tmp_path: Path):
    (tmp_path / "probe_mod.py").write_text(PROBE)
    done = forkserver.run([sys.executable, "-m", "probe_mod", "x"], cwd=tmp_path, env=_env(), capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert f'"path0": "{tmp_path}"' in done.stdout and '"argv": ["' in done.stdout and '"x"]' in done.stdout


def test_exit_codes_stderr_and_stdin_are_the_childs():
    code = "import sys; data = sys.stdin.read(); print(data.upper()); print('oops', file=sys.stderr); sys.exit(3)"
    done = forkserver.run([sys.executable, "-c", code], input="hello", env=_env(), capture_output=True, text=True, timeout=30)
    assert (done.returncode, done.stdout, done.stderr) == (3, "HELLO\n", "oops\n")


def test_an_uncaught_exception_prints_a_traceback_and_exits_1():
    done = forkserver.run([sys.executable, "-c", "raise ValueError('boom')"], env=_env(), capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 1 and "ValueError: boom" in done.stderr and "Traceback" in done.stderr


def test_a_timeout_kills_the_child():
    with pytest.raises(subprocess.TimeoutExpired):
        forkserver.run([sys.executable, "-c", "import time; time.sleep(60)"], env=_env(), capture_output=True, timeout=0.5)


def test_popen_pipes_output_and_terminate_ends_it_by_signal():
    proc = forkserver.Popen([sys.executable, "-u", "-c", "print('up', flush=True); import time; time.sleep(60)"],
                            env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert isinstance(proc, forkserver.ForkedProcess)
    assert proc.stdout.readline() == "up\n"
    assert proc.poll() is None
    proc.terminate()
    assert proc.wait(timeout=10) == -signal.SIGTERM
    proc.stdout.close()


def test_what_it_cannot_fork_goes_to_subprocess():
    plain = forkserver.Popen([sys.executable, "-I", "-c", "pass"])
    assert isinstance(plain, subprocess.Popen) and plain.wait(timeout=30) == 0
    assert forkserver.run(["true"]).returncode == 0
