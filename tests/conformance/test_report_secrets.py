"""Reports are published (PR comments, nightly artefacts): evidence text is scrubbed like cassettes."""

from __future__ import annotations

from conformance.recording import Scrubber
from conformance.outcome.result import TestResult
from conformance.report.build import RunRecord, build_report
from conformance.recording.scan import scan_text
from conformance.model.targets import load_targets
from conformance.outcome.verdicts import Evidence, Verdict

KEY = "opaque-live-key-abcdefghijkl"


def test_evidence_in_the_report_carries_no_key_or_host(tmp_path) -> None:
    target = load_targets()[0]
    evidence = Evidence(status=401, code="401",
                        message=f"Access denied for key {KEY} at https://contoso-prod.openai.azure.com/openai",
                        detail="AuthenticationError: 0f1e2d3c4b5a69788796a5b4c3d2e1f0 rejected")
    result = TestResult("responses.create", target, "suites/x.py::t", Verdict.FAILED, evidence, 0.1)
    run = RunRecord(source="live", targets_file="t.toml", started=1.0, targets=[target], scrubber=Scrubber(api_keys=[KEY]))
    report = build_report(run, [result], finished=2.0)
    text = report.model_dump_json()
    assert KEY not in text and "contoso-prod" not in text and "0f1e2d3c" not in text
    assert "RESOURCE.openai.azure.com" in text
    assert scan_text(tmp_path / "compat.json", text) == []
