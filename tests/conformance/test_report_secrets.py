"""Reports are published (PR comments, nightly artefacts): evidence text is scrubbed like cassettes."""

from __future__ import annotations

from types import SimpleNamespace

from conformance.cassettes import Scrubber
from conformance.report.build import build_report
from conformance import results
from conformance.scan import scan_text
from conformance.targets import load_targets
from conformance.verdicts import Evidence, Verdict

KEY = "opaque-live-key-abcdefghijkl"


def test_evidence_in_the_report_carries_no_key_or_host(tmp_path) -> None:
    target = load_targets()[0]
    evidence = Evidence(status=401, code="401",
                        message=f"Access denied for key {KEY} at https://contoso-prod.openai.azure.com/openai",
                        detail="AuthenticationError: 0f1e2d3c4b5a69788796a5b4c3d2e1f0 rejected")
    result = results.TestResult("responses.create", target, "suites/x.py::t", Verdict.FAILED, evidence, 0.1)
    state = SimpleNamespace(source="live", targets_label="t.toml", started=1.0, targets=[target],
                            config=SimpleNamespace(getoption=lambda *args, **kwargs: False),
                            scrubber=Scrubber(api_keys=[KEY]))
    report = build_report(state, [result], finished=2.0)  # type: ignore[arg-type]
    text = report.model_dump_json()
    assert KEY not in text and "contoso-prod" not in text and "0f1e2d3c" not in text
    assert "RESOURCE.openai.azure.com" in text
    assert scan_text(tmp_path / "compat.json", text) == []
