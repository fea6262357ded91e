"""A setup error that fails every test is said once, not once per test."""

from __future__ import annotations

import sys
from pathlib import Path

import forkserver
from live_support import clean_env

SUITE = '''
import pytest
from conformance.live.embedded import EmulatorError

@pytest.fixture(scope="session")
def attached():
    raise EmulatorError("CONFORMANCE_EMULATOR=http://127.0.0.1:9: no emulator answers there; start one")

@pytest.fixture
def crashing():
    raise RuntimeError("the fixture broke")

@pytest.mark.parametrize("n", range(6))
def test_attached(attached, n):
    pass

@pytest.mark.parametrize("n", range(6))
def test_crashing(crashing, n):
    pass

def test_skipped_in_setup(request):
    pytest.skip("not applicable")
'''


def _run(tmp_path: Path, *args: str) -> str:
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["conformance.pytest_plugin.plugin"]\n')
    (tmp_path / "test_setup.py").write_text(SUITE)
    run = forkserver.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", *args, "test_setup.py"],
                         cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stdout + run.stderr
    return run.stdout


def test_the_same_setup_error_is_shown_once_and_then_pointed_at(tmp_path: Path) -> None:
    out = _run(tmp_path)
    assert out.count("no emulator answers there") == 6, out  # the first in full, five pointers
    assert out.count("the same setup error as test_setup.py::test_attached[0]: EmulatorError") == 5, out
    # an error that names its fix has no traceback; an unexpected one keeps it, once
    assert "raise EmulatorError" not in out, out
    assert out.count('raise RuntimeError("the fixture broke")') == 1, out
    assert out.count("the same setup error as test_setup.py::test_crashing[0]: RuntimeError: the fixture broke") == 5, out
    assert "6 passed" not in out and "1 skipped" in out and "12 errors" in out, out


def test_with_x_the_setup_error_is_a_few_lines(tmp_path: Path) -> None:
    out = _run(tmp_path, "-x", "-W", "ignore")
    assert len(out.splitlines()) <= 8, out
    assert "no emulator answers there" in out
