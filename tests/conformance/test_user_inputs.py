"""What a user types or reads: strict numbers in targets files, help for every argument,
evidence that cites only public sources and only cassettes the run used, the right Entra hint."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from conformance import cli
from conformance.client.auth import _credential_hint
from conformance.model.targets import TargetsError, load_targets
from conformance.outcome.verdicts import UNSUPPORTED_RULES
from live_support import ROOT, clean_env, run_pytest

RESOURCE = ('[[resources]]\nname = "r"\nendpoint = "https://x.openai.azure.com"\nregion = "x"\n{extra}\n'
            '[[resources.deployments]]\nname = "d"\nmodel = "m"\n'
            '[[matrix]]\nresource = "r"\napi = ["v1"]\nauth = ["key"]\ndeployment = ["d"]\n')


@pytest.mark.parametrize("extra,key", [('max_retries = "3"', "max_retries"), ('timeout = "30"', "timeout"),
                                       ('poll_interval = "0.5"', "poll_interval")])
def test_a_number_written_as_a_string_is_refused_naming_the_key(tmp_path: Path, extra: str, key: str) -> None:
    (tmp_path / "t.toml").write_text(RESOURCE.format(extra=extra))
    with pytest.raises(TargetsError) as caught:
        load_targets(tmp_path / "t.toml")
    assert f"resources[0].{key} (resource 'r'): Input should be a valid" in str(caught.value)
    assert f"(got {extra.split(' = ')[1].strip(chr(34))!r})" in str(caught.value), str(caught.value)


def test_numbers_as_numbers_still_load(tmp_path: Path) -> None:
    (tmp_path / "t.toml").write_text(RESOURCE.format(extra="max_retries = 3\ntimeout = 30\npoll_interval = 0.5"))
    [target] = load_targets(tmp_path / "t.toml")
    assert (target.max_retries, target.timeout, target.poll_interval) == (3, 30, 0.5)


@pytest.mark.parametrize("command", ["report", "diff", "history", "merge", "run", "scan", "cleanup"])
def test_every_argument_of_every_command_has_help(command: str) -> None:
    parser = cli.parser()
    sub = next(a for a in parser._subparsers._group_actions if hasattr(a, "choices")).choices[command]  # type: ignore[union-attr]
    missing = [a.dest for a in sub._actions if a.dest != "help" and not a.help]
    assert missing == [], f"{command}: no help for {missing}"


def _strings(path: Path) -> list[str]:
    """The string constants of a module, docstrings left out (those are for readers of the code)."""
    tree = ast.parse(path.read_text())
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_message_the_suite_or_emulator_prints_cites_a_document_outside_the_repository() -> None:
    offending = [(str(path.relative_to(ROOT)), text) for folder in ("conformance", "emulator")
                 for path in sorted((ROOT / folder).rglob("*.py")) for text in _strings(path)
                 if any(word in text for word in ("azure-facts", "azure-wire-facts", "§"))]
    assert offending == []
    assert all(rule.source.startswith("https://") for rule in UNSUPPORTED_RULES)


def _cassettes(tmp_path: Path, *args: str) -> list[list[str]]:
    report = tmp_path / "r"
    run = run_pytest("suites/test_responses.py", "-q", "-k", "retrieve_returns and v1-key-gpt-4o", "--report-dir",
                     str(report), *args, env=clean_env())
    assert run.returncode == 0, run.stdout + run.stderr
    return [row["evidence"].get("cassettes", []) for row in json.loads((report / "compat.json").read_text())["rows"]]


def test_a_live_run_lists_no_cassette_it_did_not_read_or_write(tmp_path: Path) -> None:
    assert _cassettes(tmp_path / "live", "--live") == [[]]
    [[replayed]] = _cassettes(tmp_path / "replay")
    assert replayed.startswith("cassettes/test_responses/test_retrieve_returns_the_stored_response[")


def test_the_entra_hint_names_the_service_principal_when_one_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_AUTHORITY_HOST"):
        monkeypatch.delenv(name, raising=False)
    assert "az login" in str(_credential_hint(Exception("DefaultAzureCredential failed")))
    monkeypatch.setenv("AZURE_CLIENT_ID", "11111111-2222-3333-4444-555555555555")
    monkeypatch.setenv("AZURE_TENANT_ID", "contoso.onmicrosoft.com")
    monkeypatch.setenv("AZURE_CLIENT_SECRET", "not-a-real-secret")
    hint = str(_credential_hint(Exception("EnvironmentCredential: <urlopen error [Errno 111] Connection refused>")))
    assert "az login" not in hint and "service principal" in hint and "https://login.microsoftonline.com is reachable" in hint
    assert "Connection refused" in hint and "not-a-real-secret" not in hint


def test_the_citation_check_sees_a_message_but_not_a_docstring(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('"""azure-facts §6.1 (a docstring)."""\n\ndef f():\n    """azure-facts §1."""\n'
                      '    raise ValueError("transient (azure-facts §6.1)")\n')
    assert _strings(module) == ["transient (azure-facts §6.1)"]
