"""conformance diff / history / merge: transitions, exit codes, drift and the SDK axis."""

from __future__ import annotations

from conformance import cli
from conformance.report import write_all
from conformance.report.diff import diff_reports, is_regression
from conformance.report.history import history, render_history
from conformance.report.merge import merge_reports
from conformance.report.model import Shape

from sample_reports import TARGETS, grid, make_report

CELL = ("errors.auth", TARGETS[1].id)


def _write(tmp_path, name, report):
    return str(write_all(report, tmp_path / name)[0])


def test_identical_reports_print_nothing_and_exit_zero(tmp_path, capsys):
    a = _write(tmp_path, "a", make_report(grid()))
    b = _write(tmp_path, "b", make_report(grid(), finished="2026-01-02T00:00:00+00:00"))
    assert cli.main(["diff", a, b]) == 0
    assert capsys.readouterr().out == ""


def test_one_changed_cell_is_one_transition_and_a_regression_exits_non_zero(tmp_path, capsys):
    a = _write(tmp_path, "a", make_report(grid()))
    b = _write(tmp_path, "b", make_report({**grid(), CELL: "failed"}))
    assert cli.main(["diff", a, b]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"REGRESSION errors.auth on {CELL[1]}: supported -> failed"]


def test_an_improvement_is_listed_but_exits_zero(tmp_path, capsys):
    a = _write(tmp_path, "a", make_report({**grid(), CELL: "unsupported"}))
    b = _write(tmp_path, "b", make_report(grid()))
    assert cli.main(["diff", a, b]) == 0
    assert capsys.readouterr().out.startswith("CHANGE     errors.auth")


def test_regressions_come_first():
    old = make_report({**grid(), ("responses.create", TARGETS[0].id): "unsupported"})
    new = make_report({**grid(), CELL: "unsupported"})
    result = diff_reports(old, new)
    assert [t.kind for t in result.transitions] == ["regression", "change"]
    assert result.transitions[0].key[:2] == CELL


def test_what_counts_as_a_regression():
    assert is_regression("supported", "failed") and is_regression("supported", "unsupported")
    assert is_regression("unsupported", "failed") and is_regression("inconclusive", "failed")
    assert not is_regression("supported", "inconclusive") and not is_regression("supported", "skipped")
    assert not is_regression("failed", "supported") and not is_regression("failed", "failed")


def test_added_and_removed_cells_are_listed_after_verdict_changes():
    old = make_report(grid(features=("responses.create", "errors.auth")))
    new = make_report(grid(features=("responses.create", "tools.mcp")))
    kinds = [t.kind for t in diff_reports(old, new).transitions]
    assert kinds == ["added"] * 4 + ["removed"] * 4


def test_single_sdk_reports_line_up_across_an_sdk_upgrade():
    assert diff_reports(make_report(grid(), sdk="1.68.2"), make_report(grid(), sdk="2.3.0")).lines() == []


def test_wire_drift_is_reported_even_when_no_verdict_changed(tmp_path, capsys):
    before = {"responses.create": Shape(fields=["id: string", "user: null"], events=["response.created"])}
    after = {"responses.create": Shape(fields=["id: string", "output_text: string"], events=["response.created", "response.queued"])}
    a = _write(tmp_path, "a", make_report(grid(), shapes=before))
    b = _write(tmp_path, "b", make_report(grid(), shapes=after))
    assert cli.main(["diff", a, b]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "DRIFT      responses.create: + field output_text: string",
        "DRIFT      responses.create: - field user: null",
        "DRIFT      responses.create: + event response.queued",
    ]


def test_diff_markdown_is_empty_when_nothing_changed_and_names_regressions_otherwise(tmp_path, capsys):
    a = _write(tmp_path, "a", make_report(grid()))
    b = _write(tmp_path, "b", make_report({**grid(), CELL: "failed"}))
    assert cli.main(["diff", a, a, "--format", "md"]) == 0
    assert capsys.readouterr().out == ""
    assert cli.main(["diff", a, b, "--format", "md"]) == 1
    assert "**1 regression(s)**" in capsys.readouterr().out


def test_a_missing_or_foreign_file_exits_two(tmp_path, capsys):
    (tmp_path / "x.json").write_text("{}")
    assert cli.main(["diff", str(tmp_path / "nope.json"), str(tmp_path / "x.json")]) == 2
    assert "no such report" in capsys.readouterr().err


def test_history_shows_when_each_cell_changed(tmp_path):
    runs = [make_report(grid(), finished="2026-01-01T00:00:00+00:00"),
            make_report({**grid(), CELL: "failed"}, finished="2026-01-03T00:00:00+00:00"),
            make_report(grid(), finished="2026-01-02T00:00:00+00:00"),
            make_report(grid(), finished="2026-01-04T00:00:00+00:00")]
    cells = history(runs)
    assert list(cells) == [(*CELL, "")]
    assert [(c.run[:10], c.verdict) for c in cells[(*CELL, "")]] == [
        ("2026-01-01", "supported"), ("2026-01-03", "failed"), ("2026-01-04", "supported")]
    assert len(history(runs, include_unchanged=True)) == len(grid())
    out = tmp_path / "h.txt"
    with out.open("w") as handle:
        render_history(cells, len(runs), file=handle)
    assert "errors.auth" in out.read_text() and "failed since 2026-01-03" in out.read_text()


def test_merge_makes_the_sdk_a_dimension_and_names_the_oldest_supporting_sdk(tmp_path, capsys):
    features = ("responses.create", "tools.mcp")  # tools.mcp needs openai >= 1.80.0
    old = make_report({k: v for k, v in grid(features=features).items() if k[0] != "tools.mcp"}, sdk="1.68.2")
    mid = make_report(grid(features=features), sdk="1.109.1")
    new = make_report(grid(features=features), sdk="2.8.0")
    paths = [_write(tmp_path, name, r) for name, r in (("new", new), ("old", old), ("mid", mid))]
    assert cli.main(["merge", *paths, "-o", str(tmp_path / "merged" / "sdk.json")]) == 0
    assert "tools.mcp: oldest SDK that supports it: 1.109.1" in capsys.readouterr().out
    merged = merge_reports([old, mid, new])
    assert merged.sdks == ["1.68.2", "1.109.1", "2.8.0"] and len(merged.runs) == 3
    support = {s.feature: s for s in merged.sdk_support}
    assert support["responses.create"].oldest_supported == "1.68.2"
    assert support["tools.mcp"].oldest_supported == "1.109.1"
    assert support["tools.mcp"].oldest_everywhere == "1.109.1"
    assert support["tools.mcp"].verdicts == {"1.68.2": "unsupported", "1.109.1": "supported", "2.8.0": "supported"}
    cell = merged.cell("tools.mcp", TARGETS[0].id, sdk="1.68.2")
    assert cell is not None and cell.verdict == "unsupported" and cell.evidence["by"] == "sdk"
    assert len(merged.rows) == 3 * 2 * len(TARGETS)
    assert (tmp_path / "merged" / "sdk.html").exists() and (tmp_path / "merged" / "sdk.md").exists()


def test_oldest_everywhere_waits_for_the_sdk_that_works_on_every_target():
    entra = ("responses.create", TARGETS[1].id)
    old = make_report({**grid(features=("responses.create",)), entra: "unsupported"}, sdk="1.68.2")
    new = make_report(grid(features=("responses.create",)), sdk="1.109.1")
    [support] = merge_reports([old, new]).sdk_support
    assert (support.oldest_supported, support.oldest_everywhere) == ("1.68.2", "1.109.1")


def test_diff_of_merged_reports_keys_cells_by_sdk():
    a = merge_reports([make_report(grid(), sdk="1.68.2"), make_report(grid(), sdk="2.8.0")])
    b = merge_reports([make_report(grid(), sdk="1.68.2"), make_report({**grid(), CELL: "failed"}, sdk="2.8.0")])
    [transition] = diff_reports(a, b).transitions
    assert transition.key == (*CELL, "2.8.0") and transition.kind == "regression"
