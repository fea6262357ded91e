"""`conformance scan`: finds planted secrets with file:line and kind; the committed cassettes are clean."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest
import forkserver

from conformance.recording.scan import main, scan_paths

ROOT = Path(__file__).resolve().parents[2]
HEX_KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
LONG_KEY = "A" * 20 + "b7" * 16 + "JQQJ99" + "x" + "C" + "q" * 16 + "Z" + "9" * 7
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"


def test_long_key_fixture_has_the_azure_shape() -> None:
    assert len(LONG_KEY) == 84 and LONG_KEY[52:57] == "JQQJ9"


@pytest.mark.parametrize(
    "planted,kind",
    [
        (f"      api-key: {HEX_KEY}", "hex-key"),
        (f"      note: key {LONG_KEY} here", "azure-key"),
        (f"      authorization: Bearer {JWT}", "jwt"),
        ("      url: https://st.blob.core.windows.net/c/f?sv=1&sig=AbCdEf%2B123", "sas"),
        ("      message: 'see https://contoso-prod.openai.azure.com/openai'", "resource-host"),
        ("      arm: /subscriptions/12345678-9abc-def0-1234-56789abcdef0/rg", "subscription-id"),
    ],
)
def test_a_planted_secret_is_found_with_file_line_and_kind(tmp_path: Path, planted: str, kind: str) -> None:
    source = next((ROOT / "cassettes" / "test_responses").glob("test_retrieve_*.yaml"))
    cassette = tmp_path / "cassettes" / "test_x" / source.name
    cassette.parent.mkdir(parents=True)
    lines = source.read_text().splitlines()
    lines.insert(10, planted)
    cassette.write_text("\n".join(lines) + "\n")
    out = io.StringIO()
    assert main([str(tmp_path / "cassettes")], out=out) == 1
    report = out.getvalue()
    assert f"{cassette}:11: {kind}:" in report, report
    assert HEX_KEY not in report and LONG_KEY not in report and JWT not in report  # masked


def test_the_committed_cassettes_are_clean() -> None:
    assert scan_paths([ROOT / "cassettes"]) == []


def test_exit_codes(tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    clean.mkdir()
    shutil.copy(next((ROOT / "cassettes" / "test_errors").glob("*.yaml")), clean / "a.yaml")
    dirty = tmp_path / "reports"
    dirty.mkdir()
    (dirty / "compat.md").write_text(f"evidence: key {HEX_KEY}\n")
    out = io.StringIO()
    assert main([str(clean)], out=out) == 0 and "clean" in out.getvalue()
    assert main([str(clean), str(dirty)], out=out) == 1 and f"{dirty / 'compat.md'}:1: hex-key" in out.getvalue()
    assert main([str(tmp_path / "nope")], out=out) == 2


def test_the_command_line_entry_point(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(f"uri: https://contoso.openai.azure.com/openai?sig=abcdef{HEX_KEY}\n")
    run = forkserver.run([sys.executable, "-m", "conformance.cli", "scan", str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert f"{tmp_path / 'c.yaml'}:1: resource-host" in run.stdout and ":1: sas" in run.stdout
