"""Errors a user can meet name the fix, in one readable message and without a traceback.

Each scenario runs pytest in a subprocess, as a user would, and reads what it prints.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from live_support import ROOT, clean_env, run_pytest

CASSETTE = "test_retrieve_returns_the_stored_response[v1-key-gpt-4o@swedencentral].yaml"
TRACEBACK_MARKERS = ("Traceback (most recent call last)", "_pytest/", "site-packages/")


def _no_traceback(output: str) -> None:
    for marker in TRACEBACK_MARKERS:
        assert marker not in output, f"{marker!r} in:\n{output}"


def test_replay_names_the_recording_command_and_shows_the_changed_field(tmp_path: Path) -> None:
    cassettes = tmp_path / "cassettes" / "test_responses"
    cassettes.mkdir(parents=True)
    recorded = (ROOT / "cassettes" / "test_responses" / CASSETTE).read_text()
    assert recorded.count("input: Tell me a joke.") == 1
    (cassettes / CASSETTE).write_text(recorded.replace("input: Tell me a joke.", "input: Tell me a riddle."))
    run = run_pytest("suites/test_responses.py", "-q", "-k", "v1-key-gpt-4o and (retrieve or create_returns)",
                     env=clean_env(CONFORMANCE_CASSETTES=str(tmp_path / "cassettes")))
    out = run.stdout
    assert run.returncode == 1, out
    # The missing cassette: which file, and the command that records it.
    assert "no cassette" in out and "test_create_returns_a_completed_response_with_text[v1-key-gpt-4o@swedencentral].yaml" in out
    assert "pytest --live --record-mode=rewrite 'suites/test_responses.py::test_create_returns_a_completed_response_with_text[v1-key-gpt-4o.swedencentral]'" in out
    # The changed request: the closest recorded one and the field that differs.
    assert "matches no recorded request" in out and "Closest recorded: #0 POST /openai/v1/responses" in out, out
    assert "input" in out and "riddle" in out and "joke" in out, out
    assert "Re-record it with: pytest --live --record-mode=rewrite 'suites/test_responses.py::test_retrieve_returns" in out
    _no_traceback(out)


def test_a_broken_targets_file_is_a_usage_error_one_line_per_problem(tmp_path: Path) -> None:
    targets = tmp_path / "broken.toml"
    targets.write_text(
        '[[resources]]\nname = "r"\nendpoint = "ftp://nope"\nregion = "x"\ncolour = "blue"\n'
        '[[resources.deployments]]\nname = "d"\nmodel = "m"\ncapabilities = ["telepathy"]\n'
        '[[matrix]]\nresource = "r"\napi = ["v2"]\nauth = ["password"]\ndeployment = ["d"]\n'
    )
    run = run_pytest("suites/test_responses.py", "-q", "--targets", str(targets), env=clean_env())
    assert run.returncode == 4, run.stdout + run.stderr  # pytest's usage-error exit code
    err = run.stderr
    _no_traceback(err + run.stdout)
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines[0] == f"ERROR: {targets}: invalid targets file", err
    problems = "\n".join(lines[1:])
    for key, hint in (("resources[0].endpoint", "https://"), ("resources[0].colour", "unknown key"),
                      ("resources[0].deployments[0].capabilities[0]", "telepathy"), ("matrix[0].api", "'v2'"),
                      ("matrix[0].auth[0]", "password")):
        assert any(key in line and hint in line for line in lines[1:]), f"{key} / {hint} not in:\n{problems}"


def test_live_azure_errors_name_the_variable_az_login_and_the_unreachable_cause(tmp_path: Path) -> None:
    resource = ('[[resources]]\nname = "{name}"\nendpoint = "{endpoint}"\nregion = "{name}"\nkey_env = "{env}"\n'
                '[[resources.deployments]]\nname = "gpt-4o"\nmodel = "gpt-4o"\n'
                '[[matrix]]\nresource = "{name}"\napi = ["v1"]\nauth = ["{auth}"]\ndeployment = ["gpt-4o"]\n'
                'features = ["responses.create"]\n')
    targets = tmp_path / "azure.toml"
    targets.write_text("".join(resource.format(**spec) for spec in (
        {"name": "nokey", "endpoint": "https://zz-nokey.openai.azure.com", "env": "CONFORMANCE_TEST_UNSET_KEY", "auth": "key"},
        {"name": "noentra", "endpoint": "https://zz-noentra.openai.azure.com", "env": "X_KEY", "auth": "entra"},
        {"name": "down", "endpoint": "https://127.0.0.1:1", "env": "CONFORMANCE_TEST_DOWN_KEY", "auth": "key"},
    )))
    home = tmp_path / "home"
    home.mkdir()
    env = clean_env(
        CONFORMANCE_TEST_DOWN_KEY="0" * 31 + "1",
        HOME=str(home),  # no az CLI token cache
        PATH=os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if not shutil.which("az", path=p)),
        AZURE_TOKEN_CREDENTIALS="dev",  # developer credentials only: no managed-identity (IMDS) probe
    )
    run = run_pytest("suites/test_responses.py", "-q", "-rA", "-k", "create_returns", "--live",
                     "--targets", str(targets), env=env, timeout=90)
    # A preflight finds all three before any test: a usage error, one line per target, no cell.
    assert run.returncode == 4, run.stdout + run.stderr
    _no_traceback(run.stdout + run.stderr)
    assert "passed" not in run.stdout and "ERROR suites/" not in run.stdout, run.stdout
    lines = run.stderr.splitlines()
    assert lines[0] == "ERROR: preflight (azure.toml): no target can be used; no test was run:", run.stderr
    by_target = {line.split(":", 1)[0].strip(): line for line in lines[1:] if line.startswith("  ")}
    assert sorted(by_target) == ["v1-entra-gpt-4o@noentra", "v1-key-gpt-4o@down", "v1-key-gpt-4o@nokey"], run.stderr
    assert "environment variable CONFORMANCE_TEST_UNSET_KEY is not set: export CONFORMANCE_TEST_UNSET_KEY=" in by_target["v1-key-gpt-4o@nokey"]
    assert "no Microsoft Entra credential" in by_target["v1-entra-gpt-4o@noentra"] and "run `az login`" in by_target["v1-entra-gpt-4o@noentra"]
    assert "cannot reach resource 'down'" in by_target["v1-key-gpt-4o@down"] and "Connection refused" in by_target["v1-key-gpt-4o@down"]


def test_an_inconsistent_targets_file_lists_every_problem(tmp_path: Path) -> None:
    from conformance.model.targets import TargetsError, load_targets

    targets = tmp_path / "inconsistent.toml"
    targets.write_text(
        '[[resources]]\nname = "r"\nendpoint = "https://r.openai.azure.com"\nregion = "x"\n'
        '[[resources.deployments]]\nname = "d"\nmodel = "m"\n'
        '[[matrix]]\nresource = "nope"\napi = ["v1"]\nauth = ["key"]\ndeployment = ["d"]\n'
        '[[matrix]]\nresource = "r"\napi = ["v1"]\nauth = ["key"]\ndeployment = ["d", "gone"]\n'
    )
    try:
        load_targets(targets)
    except TargetsError as exc:
        lines = str(exc).splitlines()
    else:
        raise AssertionError("an inconsistent file loaded")
    assert lines == [
        f"{targets}: matrix[0].resource: no resource named 'nope'; known: r",
        f"{targets}: matrix[1].deployment: resource 'r' has no deployment 'gone'; known: d",
    ]
