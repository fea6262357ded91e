"""Selecting tests the pytest way: `-k` on a target's test id, `--lf` / `--ff` after a failure."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conformance.pytest_plugin.plugin import cassette_name
from conformance.model.targets import load_targets
import forkserver
from live_support import ROOT, clean_env

MODULE = "suites/test_responses.py"
RETRIEVE = "test_retrieve_returns_the_stored_response"


def _pytest(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return forkserver.run([sys.executable, "-m", "pytest", MODULE, "-q", "-o", f"cache_dir={tmp_path / 'cache'}",
                           "--expect", "none", *args], cwd=ROOT, env=clean_env(**env), capture_output=True, text=True,
                          timeout=120)


def _ran(out: str) -> list[str]:
    return [line.split(" ", 1)[1].split(" - ")[0] for line in out.splitlines() if line.startswith(("PASSED ", "FAILED ", "ERROR "))]


def test_every_target_test_id_is_accepted_by_k_and_selects_that_target_only(tmp_path: Path) -> None:
    run = _pytest(tmp_path, "-k", "v1-key-gpt-4o.swedencentral and retrieve_returns", "-rA")
    assert run.returncode == 0, run.stdout + run.stderr
    assert _ran(run.stdout) == [f"{MODULE}::{RETRIEVE}[v1-key-gpt-4o.swedencentral]"], run.stdout


def test_test_ids_have_only_characters_k_accepts_and_cassettes_keep_the_target_id() -> None:
    import re

    for target in load_targets(ROOT / "targets" / "emulator.toml"):
        assert re.fullmatch(r"[\w:+\-.\[\]\\/]+", target.test_id), target.test_id
        assert "@" in target.id  # the report's name is unchanged

        class Item:  # what cassette_name reads of a pytest item
            name = f"{RETRIEVE}[{target.test_id}]"
            callspec = type("C", (), {"params": {"target": target}})()

        assert cassette_name(Item()) == f"{RETRIEVE}[{target.id}]"


def test_last_failed_reruns_only_the_failure(tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes"
    shutil.copytree(ROOT / "cassettes" / "test_responses", cassettes / "test_responses")
    (cassettes / "test_responses" / f"{RETRIEVE}[v1-key-gpt-4o@swedencentral].yaml").unlink()
    first = _pytest(tmp_path, "-k", "v1-key-gpt-4o and (retrieve or create_returns)", CONFORMANCE_CASSETTES=str(cassettes))
    assert first.returncode == 1 and "1 error" in first.stdout, first.stdout
    again = _pytest(tmp_path, "--lf", "-rA", CONFORMANCE_CASSETTES=str(cassettes))
    assert _ran(again.stdout) == [f"{MODULE}::{RETRIEVE}[v1-key-gpt-4o.swedencentral]"], again.stdout
    first_failed = _pytest(tmp_path, "--ff", "-rA", "-x", "-k", "v1-key-gpt-4o", CONFORMANCE_CASSETTES=str(cassettes))
    assert _ran(first_failed.stdout)[:1] == [f"{MODULE}::{RETRIEVE}[v1-key-gpt-4o.swedencentral]"], first_failed.stdout


def test_the_cache_lives_in_the_gitignored_state_directory() -> None:
    import tomllib

    ini = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert ini["cache_dir"] == ".conformance/pytest-cache" and "cacheprovider" not in ini.get("addopts", "")
    assert "/.conformance/" in (ROOT / ".gitignore").read_text().split()
