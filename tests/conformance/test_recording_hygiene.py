"""The foundation's promise: a live recording keeps no key, no token and no loopback address.

Records part of the suite against an emulator started with a distinctive key (one that no
secret-shape pattern would catch, so only the run's own bookkeeping can scrub it), over key
and Entra targets, into a temp directory.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from live_support import clean_env, emulator_process, first_url, run_pytest

from conformance.recording.scan import scan_paths


def test_a_live_recording_keeps_no_key_token_or_loopback_address(tmp_path: Path) -> None:
    key = "Distinct1veEmulatorKey-" + secrets.token_urlsafe(12)
    cassettes = tmp_path / "cassettes"
    with emulator_process(tmp_path, "--api-key", key) as info:
        env = clean_env(CONFORMANCE_EMULATOR=first_url(info), CONFORMANCE_CASSETTES=str(cassettes),
                        CONFORMANCE_JOURNAL=str(tmp_path / "journal.jsonl"))
        run = run_pytest("suites/test_responses.py", "suites/test_errors.py", "--live", "--record-mode=rewrite", "-q",
                         "-k", "(retrieve or wrong_credential) and (v1-entra or v1-key or 2025-04-01-preview-entra)",
                         env=env)
        ports = [str(r["url"]).rsplit(":", 1)[1].strip("/") for r in info["resources"].values()]
        identity_header = info["identity_header"]
    assert run.returncode == 0, run.stdout + run.stderr
    files = sorted(cassettes.rglob("*.yaml"))
    assert {f.parent.name for f in files} == {"test_responses", "test_errors"}
    assert any("entra" in f.name for f in files) and any("-key-" in f.name for f in files)
    for file in files:
        text = file.read_text()
        assert key not in text, file
        assert identity_header not in text, file
        assert not re.search(r"eyJ[A-Za-z0-9_-]+\.", text), f"a JWT in {file}"
        for port in ports:
            assert f"127.0.0.1:{port}" not in text and f":{port}/" not in text, file
        assert "https://RESOURCE.openai.azure.com" in text
    assert scan_paths([cassettes]) == []
