"""`conformance run` and `pytest --feature` when nothing can run: say why, leave no stale report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conformance.model.features import pattern_problem
from conformance.model.targets import TargetsError, load_targets
import forkserver
from live_support import ROOT, clean_env, run_pytest


def _conformance(*args: str) -> subprocess.CompletedProcess[str]:
    return forkserver.run([sys.executable, "-m", "conformance.cli", *args], cwd=ROOT, env=clean_env(),
                          capture_output=True, text=True, timeout=120)


def test_a_run_that_writes_nothing_removes_the_earlier_report_and_does_not_name_it(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("compat.json", "compat.md", "compat.html"):
        (reports / name).write_text("from an earlier run")
    bad = tmp_path / "bad.toml"
    bad.write_text("bad = \n")
    run = _conformance("run", "--targets", str(bad), "--report-dir", str(reports))
    assert run.returncode == 4, run.stdout + run.stderr
    assert "report:" not in run.stdout, run.stdout
    assert "no report written" in run.stderr and "removed the earlier run's" in run.stderr, run.stderr
    assert not list(reports.iterdir())


def test_an_unknown_feature_is_a_usage_error_naming_it_and_the_closest_id(tmp_path: Path) -> None:
    run = run_pytest("suites/test_responses.py", "-q", "--feature", "responses.creat", "--feature", "tool.*",
                     env=clean_env())
    assert run.returncode == 4, run.stdout + run.stderr
    assert "'responses.creat' matches no known feature; did you mean 'responses.create'?" in run.stderr, run.stderr
    assert "'tool.*' matches no known feature; did you mean 'tools.*'?" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("pattern", ["responses.create", "tools.*", "*", "background*"])
def test_globs_that_select_a_feature_pass(pattern: str) -> None:
    assert pattern_problem(pattern) is None


def test_a_glob_far_from_every_id_still_says_where_the_ids_are() -> None:
    assert "conformance/model/features.py" in (pattern_problem("zzzzzz") or "")


def test_a_matrix_features_glob_that_matches_nothing_names_the_block(tmp_path: Path) -> None:
    targets = tmp_path / "t.toml"
    targets.write_text(
        '[[resources]]\nname = "r"\nendpoint = "emulator://aoai-swc"\nregion = "swedencentral"\n'
        '[[resources.deployments]]\nname = "gpt-4o"\nmodel = "gpt-4o"\n'
        '[[matrix]]\nresource = "r"\napi = ["v1"]\nauth = ["key"]\ndeployment = ["gpt-4o"]\nfeatures = ["tools.fuction"]\n'
    )
    with pytest.raises(TargetsError) as caught:
        load_targets(targets)
    assert "matrix[0].features: feature 'tools.fuction' matches no known feature; did you mean 'tools.function'?" in str(caught.value)
