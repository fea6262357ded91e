"""Secrets never reach the terminal: a live test that fails with its credential in every place
pytest prints (the SDK's request options in `-l` locals, `--tb=long` source, captured stdout
and logs, the assertion message, `-rA` sections) shows placeholders only, and so do the
report files. Run as a user would, in a subprocess, and the whole output grepped.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Any

import pytest
from live_support import clean_env, emulator_process, first_url, run_pytest

from conformance.recording.scrub import Scrubber
from conformance.pytest_plugin.terminal_scrub import Redactor, scrub

LEAKY_SUITE = "tests/conformance/leaky/leaky_suite.py"
SHOWN = ("-l", "--tb=long", "-rA", "--log-cli-level=WARNING")


def _everything(done: Any, reports: Path) -> str:
    files = "".join(p.read_text() for p in sorted(reports.glob("compat.*"))) if reports.exists() else ""
    assert files, "the run wrote no report"
    return done.stdout + done.stderr + files


def _assert_absent(secret: str, text: str, chunk: int = 10) -> None:
    """Neither the secret nor any `chunk` characters of it (pytest shortens long reprs)."""
    assert secret not in text
    for i in range(len(secret) - chunk + 1):
        assert secret[i:i + chunk] not in text, f"part of the secret shows: {secret[i:i + chunk]!r}"


SLOW = os.environ.get("CONFORMANCE_SLOW") == "1"


@pytest.mark.parametrize("options", [
    SHOWN,
    pytest.param((*SHOWN, "-vv", "-n", "1"), marks=pytest.mark.skipif(not SLOW, reason="an xdist run: CONFORMANCE_SLOW=1")),
], ids=["truncated-reprs", "full-reprs-xdist"])
def test_a_key_from_the_key_variable_never_reaches_the_output(tmp_path: Path, options: tuple[str, ...]) -> None:
    key = f"leaky{secrets.token_hex(16)}"
    with emulator_process(tmp_path, "--api-key", key) as info:
        targets = tmp_path / "loopback.toml"
        targets.write_text(f"""
[defaults]
key_env = "LEAKY_KEY"

[[resources]]
name = "loopback"
endpoint = "{first_url(info)}"
region = "swedencentral"

  [[resources.deployments]]
  name = "gpt-4o"
  model = "gpt-4o"
  version = "2024-11-20"

[[matrix]]
resource = "loopback"
api = ["2025-04-01-preview", "v1"]
auth = ["key"]
deployment = ["gpt-4o"]
""")
        done = run_pytest(LEAKY_SUITE, "--live", "--targets", str(targets), *options,
                          "--report-dir", str(tmp_path / "reports"), env=clean_env(LEAKY_KEY=key))
    output = _everything(done, tmp_path / "reports")
    assert done.returncode == 1 and "2 failed" in done.stdout, output
    # Where the key was: the SDK's headers in the locals, stdout, the log, the assertion.
    assert "'api-key': '<SECRET>" in output and "the credential is <SECRET>" in output, output
    # Live and again in the captured log (xdist workers' live logging does not reach the terminal).
    assert output.count("sending with <SECRET>") == (2 if "-n" in options else 4)
    assert "sending with <SECRET>" in output and "AssertionError: <SECRET> could not fetch" in output
    _assert_absent(key, output)


def test_an_entra_token_never_reaches_the_output(tmp_path: Path) -> None:
    with emulator_process(tmp_path) as info:
        env = clean_env(CONFORMANCE_EMULATOR=first_url(info))
        done = run_pytest(LEAKY_SUITE, "--live", "-k", "v1-entra-gpt-4o or 2025-04-01-preview-entra-gpt-4o",
                          *SHOWN, "--report-dir", str(tmp_path / "reports"), env=env)
    output = _everything(done, tmp_path / "reports")
    assert done.returncode == 1 and "2 failed" in done.stdout, output
    assert "the credential is <TOKEN>" in output and "AssertionError: <TOKEN> could not fetch" in output, output
    assert not re.search(r"eyJ[\w-]{8,}\.eyJ", output), "a JWT shows"
    _assert_absent(info["api_key"], output)
    _assert_absent(info["identity_header"], output)
    assert '"detail": "AssertionError: <TOKEN>' in output  # compat.json's evidence, cut to 500 characters


# --- the redactor on the shapes pytest prints ------------------------------------------------

def _redactor(*secret: str) -> Redactor:
    return Redactor(Scrubber(secrets=list(secret), hosts=["http://127.0.0.1:8080"]))


def test_the_redactor_removes_whole_and_shortened_secrets_but_keeps_hosts() -> None:
    redact = _redactor("leaky0123456789abcdef", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl")
    assert redact("key leaky0123456789abcdef at http://127.0.0.1:8080") == "key <SECRET> at http://127.0.0.1:8080"
    # pytest's saferepr keeps a head and a tail around "...".
    assert redact("headers={'api-key': 'leaky01...ecurity': 1}") == "headers={'api-key': '<SECRET>...ecurity': 1}"
    assert redact("x='ab...9abcdef'") == "x='ab...<SECRET>'"
    assert redact("token 'eyJhbGciOiJSUzI1NiJ9.eyJz...'") == "token '<TOKEN>...'"
    assert redact("leak...y and ... nothing") == "<SECRET>...y and ... nothing"  # a 4-character head goes
    assert redact("plain text... with ellipses...") == "plain text... with ellipses..."
    assert redact("AssertionError: leaky0123456")[:500] == "AssertionError: <SECRET>"  # evidence cut to a length
    assert redact("detail: eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJodHRwczovL2Nv") == "detail: <TOKEN>"  # cut before its signature


def test_every_string_in_a_pytest_repr_is_reached() -> None:
    from _pytest._code.code import ExceptionInfo

    def fails(options: dict[str, str]) -> None:
        raise ValueError(f"refused {options['api-key']}")

    try:
        fails({"api-key": "leaky0123456789abcdef"})
    except ValueError:
        info = ExceptionInfo.from_current()
    repr_ = info.getrepr(showlocals=True, style="long", chain=True)
    assert "leaky0123456789abcdef" in str(repr_)
    scrub(repr_, _redactor("leaky0123456789abcdef"))
    assert "leaky0123456789abcdef" not in str(repr_) and "<SECRET>" in str(repr_)
    assert repr_.reprcrash is not None and "<SECRET>" in repr_.reprcrash.message
    assert scrub(("path", 3, "leaky0123456789abcdef"), _redactor("leaky0123456789abcdef")) == ("path", 3, "<SECRET>")
