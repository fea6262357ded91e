"""compat.json: its schema, what a real run writes into it, and the Markdown summary's limits."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import forkserver
import pytest

from conformance.report import load_report, write_all
from conformance.report.markdown import LIMIT, render_markdown
from conformance.report.model import Row
from conformance.report.schema import SCHEMA_PATH, SchemaError, dumps, generate, validate

from sample_reports import TARGETS, grid, make_report

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT.parent / "shared" / "spec" / "azure-v1-v1-generated.json"


def test_the_committed_schema_is_generated_from_the_model():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == dumps(generate()), "run: python -m conformance.report.schema"


def test_write_all_validates_and_round_trips(tmp_path):
    report = make_report(grid())
    paths = write_all(report, tmp_path)
    assert [p.name for p in paths] == ["compat.json", "compat.md", "compat.html"]
    validate(json.loads(paths[0].read_text()))
    assert load_report(paths[0]) == report


def test_a_schema_1_report_is_upgraded_on_load(tmp_path):
    document = make_report(grid()).model_dump(mode="json")
    document["schema_version"] = 1
    for row in document["rows"]:
        del row["sdk"]
    for key in ("runs", "shapes", "sdk_support"):
        del document[key]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(document))
    assert load_report(old) == make_report(grid())


def test_a_report_that_breaks_the_schema_is_refused():
    document = make_report(grid()).model_dump(mode="json")
    document["rows"][0]["verdict"] = "mostly"
    with pytest.raises(SchemaError, match="rows/0/verdict"):
        validate(document)


@pytest.fixture(scope="module")
def replayed(tmp_path_factory) -> Path:
    """A real (replayed) run of one suite, the way `conformance run` writes it."""
    out = tmp_path_factory.mktemp("report")
    # One target of the default matrix keeps this fast; its cassettes are the committed ones.
    default = (ROOT / "targets" / "emulator.toml").read_text(encoding="utf-8")
    targets = out / "one.toml"
    targets.write_text(default.split("[[matrix]]")[0] + '[[matrix]]\nresource = "aoai-swc"\napi = ["v1"]\nauth = ["key"]\ndeployment = ["gpt-4o"]\n')
    argv = [sys.executable, "-m", "pytest", "suites", "-q", "-p", "no:randomly", "--targets", str(targets),
            "--feature", "responses.create", "--feature", "errors.*",
            "--report-dir", str(out), "--show-hosts"]
    if SPEC.exists():
        argv += ["--openapi", str(SPEC)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = forkserver.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out / "compat.json"


def test_a_replayed_run_writes_a_schema_valid_report_with_shapes_and_usage(replayed):
    document = json.loads(replayed.read_text())
    validate(document)
    report = load_report(replayed)
    env = report.environment
    assert env.source == "replay" and env.sdk and env.python and env.started_at <= env.finished_at
    assert {f.id for f in report.features} >= {"responses.create", "tools.mcp"}  # the whole registry
    assert all(row.sdk == env.sdk for row in report.rows)
    assert any(row.usage.get("input_tokens", 0) > 0 for row in report.rows)
    assert all(row.evidence.get("test_ids") for row in report.rows)
    assert "error.code: string" in report.shapes["errors.auth"].fields
    assert all(t.endpoint for t in report.targets), "--show-hosts puts endpoints in"
    if SPEC.exists():
        assert any(s.notes for s in report.shapes.values()), "the Azure spec disagrees with some error body"



def _results(targets):
    from conformance.outcome.result import TestResult
    from conformance.client.shapes import ShapeLog
    from conformance.outcome.verdicts import Evidence, Verdict

    shape = ShapeLog()
    shape.observe_body({"id": "resp_1", "usage": {"input_tokens": 5}})
    shape.observe_event("response.created")
    return [TestResult("responses.create", t, f"suites/x.py::t[{t.id}]", Verdict.SUPPORTED, Evidence(status=200), 0.5,
                       {"input_tokens": 5, "output_tokens": 2, "requests": 1}, shape) for t in targets]


@pytest.mark.parametrize("show_hosts", [False, True])
def test_hosts_are_masked_unless_asked(show_hosts):
    from conformance.report.build import RunRecord, build_report
    from conformance.model.targets import load_targets

    from dataclasses import replace

    targets = [replace(t, endpoint="https://my-secret-resource.openai.azure.com") for t in load_targets()[:2]]
    run = RunRecord(source="live", targets_file="mine.toml", started=1.7e9, targets=targets, show_hosts=show_hosts)
    report = build_report(run, _results(targets), finished=1.7e9 + 5)
    validate(report.model_dump(mode="json"))
    text = report.model_dump_json()
    assert ("my-secret-resource" in text) is show_hosts
    assert [t.endpoint is not None for t in report.targets] == [show_hosts] * 2
    assert report.shapes["responses.create"].events == ["response.created"]
    assert "usage.input_tokens: integer" in report.shapes["responses.create"].fields
    assert report.rows[0].usage == {"input_tokens": 5, "output_tokens": 2, "requests": 1}


def test_markdown_fits_a_pr_comment_and_collapses_evidence():
    many_targets = [t.model_copy(update={"id": f"{t.id}-{i}", "region": f"region{i % 7}"}) for i in range(12) for t in TARGETS]
    verdicts = {(f, t.id): v for f in ("responses.create", "errors.auth", "tools.mcp", "tools.function", "background")
                for t, v in zip(many_targets, ["failed", "unsupported", "inconclusive"] * 100)}
    report = make_report(verdicts, targets=many_targets)
    report = report.model_copy(update={"rows": [r.model_copy(update={"evidence": {"status": 400, "message": "x" * 2000}}) for r in report.rows]})
    text = render_markdown(report)
    assert len(text.encode()) <= LIMIT < 64 * 1024
    assert "<details><summary>Evidence" in text and "more: see compat.html" in text
    assert text.count("| responses.create |") == 1


def test_markdown_groups_features_by_family_and_stacks_the_target_axes():
    text = render_markdown(make_report(grid()))
    assert "| **errors** |" in text and "| **tools** |" in text
    assert "swedencentral<br>gpt-4o<br>v1<br>entra" in text


def test_a_merged_report_shows_the_sdk_axis():
    from conformance.report.merge import merge_reports

    merged = merge_reports([make_report(grid(), sdk="1.68.2"), make_report(grid(), sdk="2.1.0")])
    text = render_markdown(merged)
    assert "## SDK support" in text and "openai 1.68.2<br>eastus2" in text
    assert isinstance(merged.rows[0], Row)
