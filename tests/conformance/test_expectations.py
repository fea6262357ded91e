"""Pinned verdicts (conformance.outcome.expectations) and replay's refusal of foreign cassettes.

The pure comparison is tested on hand-made outcomes; what a user sees (the exit status, the
transition and its evidence, a subset that passes, one early message for a forgotten
`--live`) runs pytest in a subprocess on small subsets of the suite.
"""

from __future__ import annotations

import re

import shutil
from pathlib import Path

import pytest

from conformance.outcome import expectations as pins
from conformance.recording.provenance import read_provenance
from conformance.model.features import FEATURES
from conformance.pytest_plugin.pinning import BUNDLED
from conformance.recording.provenance_guard import emulator_only, foreign_cassette
from conformance.model.targets import load_targets
from conformance.outcome.verdicts import Evidence, Verdict
from live_support import ROOT, clean_env, run_pytest

V1 = "v1-key-gpt-4o@swedencentral"
DATED = "2025-04-01-preview-key-gpt-4o@swedencentral"
QUEUED = "suites/test_background.py::test_a_background_response_is_queued_then_completes[v1-key-gpt-4o.swedencentral]"


def _outcome(feature: str, target: str, verdict: Verdict, test: str = "t", **evidence: object) -> pins.Outcome:
    return pins.Outcome(feature, target, f"suites/x.py::{test}[{target}]", verdict, Evidence(**evidence))  # type: ignore[arg-type]


def _pinned(**cells: pins.Expected) -> pins.Expectations:
    return pins.Expectations(cells={tuple(k.split("|")): v for k, v in cells.items()}, sdk="3.60.0")  # type: ignore[misc]


SUPPORTED_2 = pins.Expected(Verdict.SUPPORTED, tests=2)


# ---------------------------------------------------------------------- the pure comparison


def test_a_cell_is_the_combine_of_its_tests_and_matching_cells_give_no_transition():
    expected = _pinned(**{f"tools.mcp|{V1}": SUPPORTED_2,
                          f"tools.mcp|{DATED}": pins.Expected(Verdict.UNSUPPORTED, "service", 2)})
    outcomes = [_outcome("tools.mcp", V1, Verdict.SUPPORTED, "a"), _outcome("tools.mcp", V1, Verdict.SUPPORTED, "b"),
                _outcome("tools.mcp", DATED, Verdict.SUPPORTED, "a"),
                _outcome("tools.mcp", DATED, Verdict.UNSUPPORTED, "b", by="service")]
    assert pins.compare(expected, outcomes, sdk="3.60.0") == []


def test_a_supported_cell_turning_unsupported_is_a_transition_with_its_evidence():
    expected = _pinned(**{f"responses.create|{V1}": SUPPORTED_2})
    outcomes = [_outcome("responses.create", V1, Verdict.SUPPORTED, "a"),
                _outcome("responses.create", V1, Verdict.UNSUPPORTED, "b", status=400, code="unsupported_parameter",
                         message="Unsupported parameter: 'max_output_tokens'", by="service")]
    [transition] = pins.compare(expected, outcomes, sdk="3.60.0")
    assert transition.line() == f"responses.create on {V1}: expected supported, got unsupported (by service)"
    assert transition.evidence() == "HTTP 400 unsupported_parameter; Unsupported parameter: 'max_output_tokens'"
    assert transition.actual.decisive.nodeid == f"suites/x.py::b[{V1}]"
    text = "\n".join(pins.render([transition], "expectations/emulator.toml", "pytest suites --expect-update X"))
    assert "1 verdict differs from expectations/emulator.toml" in text and "test: suites/x.py::b[" in text


def test_who_refused_is_part_of_the_verdict():
    expected = _pinned(**{f"background|{V1}": pins.Expected(Verdict.UNSUPPORTED, "service", 1)})
    outcomes = [_outcome("background", V1, Verdict.UNSUPPORTED, by="sdk", detail="openai too old")]
    assert [t.line() for t in pins.compare(expected, outcomes, sdk="3.60.0")] == [
        f"background on {V1}: expected unsupported (by service), got unsupported (by sdk)"]


def test_an_unpinned_cell_that_ran_is_a_transition_and_a_pinned_cell_that_did_not_run_is_not():
    expected = _pinned(**{f"responses.create|{DATED}": SUPPORTED_2})
    [transition] = pins.compare(expected, [_outcome("responses.create", V1, Verdict.SUPPORTED)], sdk="3.60.0")
    assert transition.expected is None and "expected not pinned, got supported" in transition.line()


def test_a_cell_that_ran_fewer_tests_than_pinned_fails_only_if_it_got_worse():
    expected = _pinned(**{f"tools.function|{V1}": pins.Expected(Verdict.UNSUPPORTED, "service", 3)})
    better = [_outcome("tools.function", V1, Verdict.SUPPORTED)]  # the refusing test did not run
    worse = [_outcome("tools.function", V1, Verdict.FAILED, detail="AssertionError: no call")]
    assert pins.compare(expected, better, sdk="3.60.0") == []
    assert len(pins.compare(expected, worse, sdk="3.60.0")) == 1
    # every test of the cell ran: better is a transition too
    complete = better + [_outcome("tools.function", V1, Verdict.SUPPORTED, f"t{i}") for i in (2, 3)]
    assert len(pins.compare(expected, complete, sdk="3.60.0")) == 1


def test_an_sdk_too_old_for_the_feature_or_the_file_is_accepted_but_not_a_current_one():
    expected = _pinned(**{f"tools.mcp|{V1}": SUPPORTED_2, f"responses.create|{V1}": SUPPORTED_2})
    mcp = [_outcome("tools.mcp", V1, Verdict.UNSUPPORTED, by="sdk")]
    create = [_outcome("responses.create", V1, Verdict.UNSUPPORTED, by="sdk")]
    min_sdk = {"tools.mcp": "1.80.0", "responses.create": "1.68.2"}
    # the tox SDK axis: openai 1.68.2 predates tools.mcp's min_sdk, and the file's 3.60.0
    assert pins.compare(expected, mcp, sdk="1.68.2", min_sdk=min_sdk) == []
    assert pins.compare(expected, create, sdk="1.68.2", min_sdk=min_sdk) == []
    # the SDK the file was written with has no excuse
    assert len(pins.compare(expected, create, sdk="3.60.0", min_sdk=min_sdk)) == 1
    # an old SDK excuses only `unsupported by sdk`, not a service verdict
    failing = [_outcome("tools.mcp", V1, Verdict.FAILED)]
    assert len(pins.compare(expected, failing, sdk="1.68.2", min_sdk=min_sdk)) == 1


def test_the_file_round_trips_sorted_one_line_per_cell(tmp_path):
    expected = _pinned(**{f"tools.mcp|{V1}": SUPPORTED_2, f"background|{DATED}": pins.Expected(Verdict.UNSUPPORTED, "service", 1),
                          f"background|{V1}": pins.Expected(Verdict.SKIPPED, tests=1)})
    path = tmp_path / "pins.toml"
    pins.write(path, expected, targets="targets/x.toml")
    text = path.read_text()
    cells = [line for line in text.splitlines() if line.startswith('"')]
    assert cells == [f'"{DATED}" = {{ verdict = "unsupported", by = "service", tests = 1 }}',
                     f'"{V1}" = {{ verdict = "skipped", tests = 1 }}',
                     f'"{V1}" = {{ verdict = "supported", tests = 2 }}']
    assert text.index('["background"]') < text.index('["tools.mcp"]')
    assert pins.load(path) == expected


@pytest.mark.parametrize("body, complaint", [
    ('["responses.create"]\n"t" = { verdict = "works" }\n', "verdict 'works' is not one of supported"),
    ('["responses.create"]\n"t" = { verdict = "supported", by = "service" }\n', "only for unsupported"),
    ('["responses.create"]\n"t" = { verdict = "unsupported", by = "azure" }\n', '"service" or "sdk"'),
    ('["responses.create"]\n"t" = { verdict = "supported", colour = "green" }\n', "unknown key colour"),
    ('["responses.create"]\n"t" = "supported"\n', 'expected { verdict = "supported" }'),
    ('["responses.create"\n', "not a readable expectation file"),
])
def test_a_broken_file_is_refused_naming_the_file_and_the_cell(tmp_path, body, complaint):
    path = tmp_path / "pins.toml"
    path.write_text(body)
    with pytest.raises(pins.ExpectationsError) as caught:
        pins.load(path)
    assert str(caught.value).startswith(str(path)) and complaint in str(caught.value)


def test_a_missing_file_names_the_command_that_writes_it(tmp_path):
    with pytest.raises(pins.ExpectationsError, match="pytest --expect-update"):
        pins.load(tmp_path / "absent.toml")


def test_update_writes_what_ran_keeps_what_did_not_and_drops_what_no_longer_exists():
    old = _pinned(**{f"responses.create|{V1}": SUPPORTED_2, f"responses.create|{DATED}": SUPPORTED_2,
                     f"gone.feature|{V1}": SUPPORTED_2, f"responses.create|v9-key-x@nowhere": SUPPORTED_2})
    new = pins.updated(old, [_outcome("responses.create", V1, Verdict.FAILED)], "3.61.0",
                       features=["responses.create"], targets=[V1, DATED])
    assert new.sdk == "3.61.0"
    assert new.cells == {("responses.create", V1): pins.Expected(Verdict.FAILED, tests=1),
                         ("responses.create", DATED): SUPPORTED_2}


def test_the_bundled_file_pins_every_cell_of_the_default_targets_and_nothing_else():
    targets = load_targets()
    cells = {(f, t.id) for f in FEATURES for t in targets if t.runs(f)}
    assert set(pins.load(BUNDLED).cells) == cells


# ---------------------------------------------------------------------- whole runs


def _repin(text: str, feature: str, target: str, spec: str) -> str:
    """The expectation file `text` with one cell's line replaced (a tampered copy)."""
    head, rest = text.split(f'["{feature}"]\n', 1)
    section, tail = rest.split("\n\n", 1)
    lines = section.splitlines()
    [index] = [i for i, line in enumerate(lines) if line.startswith(f'"{target}" = ')]
    lines[index] = f'"{target}" = {{ {spec} }}'
    return head + f'["{feature}"]\n' + "\n".join(lines) + "\n\n" + tail


def test_a_changed_verdict_fails_the_run_with_the_transition_and_its_evidence(tmp_path):
    # The emulator runs background on v1; pin it as refused and the (xdist) run must object.
    assert pins.load(BUNDLED).cells[("background", V1)] == SUPPORTED_2
    pinned = tmp_path / "tampered.toml"
    pinned.write_text(_repin(BUNDLED.read_text(), "background", V1, 'verdict = "unsupported", by = "service", tests = 2'))
    run = run_pytest("suites/test_background.py", "-q", "-n", "2", "-k", "v1-key-gpt-4o", "--expect", str(pinned), env=clean_env())
    out = run.stdout
    assert run.returncode == 1, out + run.stderr
    assert "pinned verdicts changed" in out and "1 verdict differs from" in out, out
    assert f"background on {V1}: expected unsupported (by service), got supported" in out, out
    assert "evidence: HTTP 200" in out and f"test: {QUEUED}" in out, out
    assert "--expect-update" in out


def test_a_replay_of_the_default_targets_compares_with_the_bundled_file_and_passes():
    run = run_pytest("suites/test_background.py", "-q", "-k", "v1-key-gpt-4o", env=clean_env())
    assert run.returncode == 0, run.stdout + run.stderr
    assert "every verdict that ran matches expectations/emulator.toml" in run.stdout, run.stdout
    off = run_pytest(QUEUED, "-q", "--expect", "none", env=clean_env())  # one test is enough to compare
    assert off.returncode == 0 and "expectations/emulator.toml" not in off.stdout, off.stdout


def test_a_subset_passes_whatever_is_pinned_for_the_cells_and_tests_it_did_not_run(tmp_path):
    # a cell the subset does not run, pinned differently; and the subset's own cell pinned
    # `failed` with 2 tests, of which the subset runs one (so it can only look better)
    text = _repin(BUNDLED.read_text(), "responses.create", V1, 'verdict = "unsupported", by = "service", tests = 1')
    text = _repin(text, "background", V1, 'verdict = "failed", tests = 2')
    pinned = tmp_path / "pins.toml"
    pinned.write_text(text)
    assert pins.load(pinned).cells[("background", V1)].verdict is Verdict.FAILED
    run = run_pytest(QUEUED, "-q", "--expect", str(pinned), env=clean_env())
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"every verdict that ran matches {pinned}" in run.stdout, run.stdout


def test_expect_update_writes_the_cells_that_ran_and_the_next_run_matches_them(tmp_path):
    pinned = tmp_path / "mine.toml"
    run = run_pytest("suites/test_tools_web_search.py", "-q", "--expect-update", str(pinned), env=clean_env())
    assert run.returncode == 0, run.stdout + run.stderr
    written = pins.load(pinned)
    bundled = pins.load(BUNDLED).cells
    assert written.cells and all(bundled[key] == cell for key, cell in written.cells.items())
    marked = set(re.findall(r'feature\("([^"]+)"\)', (ROOT / "suites" / "test_tools_web_search.py").read_text()))
    assert marked and {f for f, _ in written.cells} == marked
    again = run_pytest("suites/test_tools_web_search.py", "-q", "--expect", str(pinned), env=clean_env())
    assert again.returncode == 0 and f"matches {pinned}" in again.stdout, again.stdout


# ---------------------------------------------------------------------- foreign cassettes


MY_AZURE = '''
[[resources]]
name = "my-aoai"
endpoint = "https://my-aoai.openai.azure.com"
region = "swedencentral"
  [[resources.deployments]]
  name = "gpt-4o"
  model = "gpt-4o"
[[matrix]]
resource = "my-aoai"
api = [{apis}]
auth = ["key"]
deployment = ["gpt-4o"]
'''


def _my_azure(tmp_path: Path, *apis: str) -> Path:
    path = tmp_path / "my-azure.toml"
    path.write_text(MY_AZURE.format(apis=", ".join(f'"{a}"' for a in apis)))
    return path


def test_replaying_emulator_cassettes_for_a_real_endpoint_stops_at_once_and_says_add_live(tmp_path):
    targets = _my_azure(tmp_path, "v1", "2025-04-01-preview")  # the same ids as the emulator cassettes
    assert {t.id for t in load_targets(targets)} == {V1, DATED}
    run = run_pytest("suites/test_responses.py", "-q", "--targets", str(targets), env=clean_env())
    out = run.stdout + run.stderr
    assert run.returncode == 4, out  # a usage error: no test ran, nothing is `failed`
    assert "recorded against the emulator" in out and f"{V1} (resource 'my-aoai')" in out and DATED in out, out
    assert out.count("Add --live") == 1 and f"pytest --live --targets {targets}" in out, out
    assert "passed" not in out and "Traceback" not in out, out


def test_a_test_whose_cassette_came_from_the_emulator_fails_at_setup_when_others_came_from_the_service(tmp_path):
    cassettes = tmp_path / "cassettes"
    shutil.copytree(ROOT / "cassettes" / "test_responses", cassettes / "test_responses")
    ours = cassettes / "test_responses" / f"test_create_returns_a_completed_response_with_text[{V1}].yaml"
    ours.write_text(ours.read_text().replace("recorded_against: emulator 0.1.0", "recorded_against: azure", 1))
    assert read_provenance(ours)["recorded_against"] == "azure"  # type: ignore[index]
    targets = _my_azure(tmp_path, "v1")
    run = run_pytest("suites/test_responses.py", "-q", "-k", "test_create_returns or retrieve_returns", "--targets", str(targets),
                     env=clean_env(CONFORMANCE_CASSETTES=str(cassettes)))
    out = run.stdout
    assert run.returncode == 1, out + run.stderr
    assert "1 passed" in out and "1 error" in out, out  # the one recorded from the service replays
    assert f"test_retrieve_returns_the_stored_response[{V1}].yaml was recorded against the emulator" in out, out
    assert "Add --live" in out and "Traceback" not in out, out


def test_the_guard_reads_the_provenance_of_each_cassette(tmp_path):
    emulator_targets = load_targets()
    real = load_targets(_my_azure(tmp_path, "v1"))
    module = tmp_path / "cassettes" / "test_x"
    module.mkdir(parents=True)
    cassette = module / f"test_y[{V1}].yaml"
    cassette.write_text("provenance:\n  recorded_against: emulator 0.1.0\nversion: 1\ninteractions: []\n")
    assert foreign_cassette(cassette, "c.yaml", real[0], "t.toml") is not None
    assert foreign_cassette(cassette, "c.yaml", next(t for t in emulator_targets if t.id == V1), "t.toml") is None
    assert [(t.id, n) for t, n in emulator_only(real, tmp_path / "cassettes")] == [(V1, 1)]
    cassette.write_text("provenance:\n  recorded_against: azure\nversion: 1\ninteractions: []\n")
    assert foreign_cassette(cassette, "c.yaml", real[0], "t.toml") is None
    assert emulator_only(real, tmp_path / "cassettes") == []


def test_conformance_run_passes_the_expectation_file_on_to_pytest(monkeypatch, tmp_path):
    import pytest as pytest_module

    from conformance import cli

    seen: list[list[str]] = []
    monkeypatch.setattr(pytest_module, "main", lambda argv: seen.append(list(argv)) or 0)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["run", "--expect", "mine.toml"]) == 0
    assert cli.main(["run", "--expect-update", "mine.toml"]) == 0
    assert cli.main(["run", "--expect", "none"]) == 0
    mine = str(tmp_path / "mine.toml")
    assert seen[0][seen[0].index("--expect") + 1] == mine and "--live" in seen[0]
    assert seen[1][seen[1].index("--expect-update") + 1] == mine
    assert seen[2][seen[2].index("--expect") + 1] == "none"
    with pytest.raises(SystemExit):
        cli.main(["run", "--expect", "a.toml", "--expect-update", "b.toml"])
