"""The suite's power: run live against each emulator mutant, it must turn a cell `failed`.

Each mutant (emulator/mutations) is a realistic service bug; benchmarks/mutants.py starts
`python -m emulator --mutation NAME`, runs the mutant's features over benchmarks/mutants.toml
and reads compat.json. `unsupported` or `inconclusive` cells do not count: a bug the suite
explains away is a bug it missed. A few mutants run by default; all of them with
CONFORMANCE_SLOW=1 (about 10 minutes on two cores).

KNOWN_SURVIVORS are the mutants the suite misses today (docs/mutations.md has the measured
table); each names the check that would catch it. The xfail is strict: once that check lands
and kills the mutant, the test fails until the entry is removed.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import os
import sys
from pathlib import Path

import forkserver
import pytest

from conformance.model.features import FEATURES
from emulator.mutations import MUTANTS

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("mutants_harness", ROOT / "benchmarks" / "mutants.py")
assert _spec is not None and _spec.loader is not None
harness = importlib.util.module_from_spec(_spec)
sys.modules["mutants_harness"] = harness
_spec.loader.exec_module(harness)
harness.spawn = forkserver.Popen

SLOW = bool(os.environ.get("CONFORMANCE_SLOW"))
#: Run by default: cheap features, one per family of check (stream grammar, error shape, auth).
FAST = ("stream-no-created", "error-body-unwrapped", "jwt-anything-goes")
TIMEOUT = 120.0


def _item(n: int, check: str) -> str:
    return f"survives today: needs {check} (issue 11 item {n})"


KNOWN_SURVIVORS: dict[str, str] = {
}

#: The bugs the issue lists by name, and the mutant that plays each.
ISSUE_BUGS = {
    "SSE with a non-text/event-stream content type": "sse-content-type-json",
    "a streamed terminal response with usage: null": "stream-usage-null",
    "a data: [DONE] frame": "sse-done-frame",
    "an error event after response.completed": "error-after-completed",
    "max_output_tokens not enforced": "max-output-tokens-ignored",
    "timestamps in milliseconds": "timestamps-milliseconds",
    "store=false responses still retrievable": "store-false-retrievable",
    "history that keeps only the last two turns": "history-last-two-turns",
    "input_items in the wrong order": "input-items-wrong-order",
    "an Entra JWT whose signature is not verified": "jwt-signature-unverified",
    "parallel_tool_calls=false ignored": "parallel-tool-calls-false-ignored",
    "reasoning_tokens always 0": "reasoning-tokens-zero",
    "max_num_results ignored": "max-num-results-ignored",
    "vector store DELETE a no-op": "vector-store-delete-noop",
    "cancel that says cancelled while the job completes": "cancel-reports-but-completes",
    "a truncated image (only the header is read)": "truncated-image-accepted",
    "approval_request_id null on the approved call": "approval-request-id-null",
    "a persistent 500 where a 404 is due": "persistent-500-for-404",
    "vector store files stuck in_progress": "vector-store-files-stuck",
    "a refusal of a parameter every test sends": "refuse-max-output-tokens",
}


def test_every_bug_the_issue_names_has_a_mutant():
    missing = {bug: name for bug, name in ISSUE_BUGS.items() if name not in MUTANTS}
    assert not missing


def test_every_mutant_names_registered_features():
    for name, cls in MUTANTS.items():
        for feature in cls.features:
            assert fnmatch.filter(FEATURES, feature), f"{name}: unknown feature {feature!r}"


def test_known_survivors_are_mutants():
    assert set(KNOWN_SURVIVORS) <= set(MUTANTS)


# --- classification ------------------------------------------------------------------------


def _report(*rows: tuple[str, str, str]) -> dict:
    return {"rows": [{"feature": f, "target": t, "verdict": v, "evidence": {"message": "m"}} for f, t, v in rows]}


BASE = _report(("responses.create", "a", "supported"), ("tools.code_interpreter", "a", "unsupported"))


@pytest.mark.parametrize(("rows", "outcome"), [
    ([("responses.create", "a", "failed"), ("tools.code_interpreter", "a", "unsupported")], "KILLED"),
    ([("responses.create", "a", "unsupported"), ("tools.code_interpreter", "a", "unsupported")], "HIDDEN"),
    ([("responses.create", "a", "inconclusive"), ("tools.code_interpreter", "a", "unsupported")], "HIDDEN"),
    ([("responses.create", "a", "supported"), ("tools.code_interpreter", "a", "unsupported")], "SURVIVED"),
])
def test_only_a_failed_cell_is_a_kill(rows, outcome):
    assert harness.classify("m", _report(*rows), BASE).outcome == outcome


def test_no_report_is_an_error_not_a_kill():
    assert harness.classify("m", None, BASE).outcome == "ERROR"


def test_the_document_states_the_kill_ratio():
    results = [harness.Outcome("stream-no-created", "KILLED", 3), harness.Outcome("sse-done-frame", "SURVIVED", 2)]
    text = harness.render(results, elapsed=10, jobs=2)
    assert "**Kill ratio: 1/2 (50%)**" in text
    assert "| `sse-done-frame` | streaming |" in text and "**SURVIVED**" in text


# --- the power test itself --------------------------------------------------------------------


def _params() -> list:
    names = list(MUTANTS) if SLOW else list(FAST)
    marks = lambda n: [pytest.mark.xfail(reason=KNOWN_SURVIVORS[n], strict=True)] if n in KNOWN_SURVIVORS else []  # noqa: E731
    return [pytest.param(n, marks=marks(n), id=n) for n in names]


@pytest.fixture(scope="module")
def baseline() -> dict:
    """The unmutated verdicts of every feature the selected mutants touch (none may fail)."""
    names = list(MUTANTS) if SLOW else list(FAST)
    return harness.baseline_run((f for n in names for f in MUTANTS[n].features), TIMEOUT)


@pytest.mark.parametrize("name", _params())
def test_the_suite_kills_the_mutant(name, baseline):
    result = harness.run_one(name, MUTANTS[name].features, baseline, TIMEOUT)
    assert result.outcome == "KILLED", f"{name} ({MUTANTS[name].description}): {result.outcome}, fired {result.fired}; " + \
        "; ".join(result.evidence[:3])


# --- docs/mutations.md ---------------------------------------------------------------------


def _documented() -> dict[str, tuple[str, str]]:
    """mutant -> (outcome, fired) from the generated table."""
    rows = {}
    for line in (ROOT / "docs" / "mutations.md").read_text().splitlines():
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cols) == 7 and cols[0].startswith("`"):
            rows[cols[0].strip("`")] = (cols[4].strip("*"), cols[5])
    return rows


def test_the_document_covers_exactly_the_catalogue():
    assert set(_documented()) == set(MUTANTS), "re-run `python benchmarks/mutants.py --docs docs/mutations.md`"


def test_known_survivors_match_the_measured_run():
    measured = {name for name, (outcome, _) in _documented().items() if outcome != "KILLED"}
    assert measured == set(KNOWN_SURVIVORS)


def test_every_mutant_the_suite_misses_or_never_reaches_has_a_witness():
    """A surviving mutant might be equivalent to the faithful emulator (no bug at all): each one
    gets a witness in tests/emulator/test_emulator_mutations.py, an exchange it answers
    differently. A killed mutant is its own witness."""
    witnesses = (ROOT / "tests" / "emulator" / "test_emulator_mutations.py").read_text()
    unproven = [name for name, (outcome, fired) in _documented().items() if outcome != "KILLED" or fired in ("0", "?")]
    assert [name for name in unproven if f'"{name}"' not in witnesses] == []
