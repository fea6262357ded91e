"""Suites import only the harness: what a suite depends on is one module, not the package's insides."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SUITES = Path(__file__).resolve().parents[2] / "suites"
ALLOWED = "conformance.harness"
#: Our own packages: anything from them but the harness is an import a suite must not make.
OURS = ("conformance", "fixtures", "emulator")


def foreign_imports(source: str) -> list[str]:
    """Every import of one of our packages other than the harness, as `line: module`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module] if node.module != "conformance" else [f"conformance.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        found += [f"{node.lineno}: {m}" for m in modules if m.split(".")[0] in OURS and m != ALLOWED]
    return found


@pytest.mark.parametrize("path", sorted(SUITES.glob("*.py")), ids=lambda p: p.name)
def test_a_suite_imports_nothing_of_ours_but_the_harness(path):
    assert foreign_imports(path.read_text(encoding="utf-8")) == [], f"{path.name} must import only {ALLOWED}"


@pytest.mark.parametrize("source", [
    "from conformance import expect",
    "from conformance.client.polling import wait_until_done",
    "import conformance.model.sdk",
    "from conformance.pytest_plugin.fixtures.facts import FILLERS",
    "def f():\n    from emulator.state.profile import FaultSpec",
])
def test_the_rule_catches_an_import_around_the_harness(source):
    assert foreign_imports(source)


def test_the_rule_lets_the_harness_and_the_rest_through():
    assert foreign_imports("from conformance.harness import expect\nimport openai\nimport json\nfrom pydantic import BaseModel") == []
