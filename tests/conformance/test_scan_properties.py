"""Properties of `conformance scan`, with secrets generated from the issuers' formats.

The generators below are written from the formats themselves (Microsoft's and OpenAI's key
shapes, RFC 7519 tokens, storage connection strings), not from the scrubber's table or the
scanner's list, so a shape missing from either is caught here: the scanner must find every
generated secret, and whatever the scrubber leaves of it the scanner must find clean.
"""

from __future__ import annotations

import ast
import base64
import io
import json
import string
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.recording.scrub import Scrubber
from conformance.recording.scan import main
from conformance.recording.scan_patterns import find

ROOT = Path(__file__).resolve().parents[2]
BASE62 = string.ascii_letters + string.digits
SECRET_CHARS = BASE62 + "_~.-"  # Entra client secrets
URLSAFE = BASE62 + "_-"


def _text(alphabet: str, size: int, most: int | None = None) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=size, max_size=most or size).filter(lambda v: len(set(v)) >= min(8, size))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jwt(claims: dict[str, str], signature: bytes) -> str:
    header = _b64url(json.dumps({"alg": "RS256", "typ": "JWT", "kid": "k1"}).encode())
    return f"{header}.{_b64url(json.dumps(claims).encode())}.{_b64url(signature)}"


SECRETS: dict[str, st.SearchStrategy[str]] = {
    # Azure OpenAI / AI services keys: 32 hex (classic) and the 84-character identifiable form
    "hex-key": _text("0123456789abcdef", 32) | _text("0123456789ABCDEF", 32),
    # (Microsoft security-utilities' identifiable key: signature at 52, a version letter A-L, a letter at 76)
    "azure-key": st.builds(lambda a, b, c, d, e, f, g: f"{a}JQQJ9{b}{c}{d}{e}{f}{g}", _text(BASE62, 52), st.sampled_from("9DH"),
                           _text(BASE62, 1), st.sampled_from("ABCDEFGHIJKL"), _text(BASE62, 16),
                           st.sampled_from(string.ascii_letters), _text(BASE62, 7)),
    "jwt": st.builds(_jwt, st.fixed_dictionaries({"aud": st.just("https://cognitiveservices.azure.com"),
                                                  "oid": st.uuids().map(str)}), st.binary(min_size=32, max_size=256)),
    # an app registration's client secret: 3 characters, a version digit, "Q~", the rest (40 in all)
    "entra-client-secret": st.builds(lambda a, d, b: f"{a}{d}Q~{b}", _text(SECRET_CHARS, 3), st.sampled_from("12345678"),
                                     _text(SECRET_CHARS, 34)),
    "storage-key": st.binary(min_size=64, max_size=64).map(
        lambda raw: f"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={base64.b64encode(raw).decode()};EndpointSuffix=core.windows.net"),
    "openai-key": st.builds(lambda prefix, tail: f"sk-{prefix}{tail}", st.sampled_from(["", "proj-", "svcacct-", "admin-"]),
                            _text(URLSAFE, 40, 120)),
    "sas": st.binary(min_size=32, max_size=32).map(
        lambda raw: "https://acct.blob.core.windows.net/c/f.pdf?sv=2024-11-04&sr=b&sig=" + base64.b64encode(raw).decode().replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")),
    "subscription-id": st.uuids().map(lambda u: f"/subscriptions/{u}/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/a"),
    "resource-host": st.builds(lambda name, host: f"https://{name}.{host}/openai/v1/responses",
                               st.from_regex(r"[a-z][a-z0-9-]{1,20}[a-z0-9]", fullmatch=True).filter(lambda n: n != "resource"),
                               st.sampled_from(["openai.azure.com", "cognitiveservices.azure.com", "services.ai.azure.com"])),
}
BEFORE = st.sampled_from(["", " ", "\n", '"', "'", "key ", "url: ", '{"value": "', "(", "\t"])
AFTER = st.sampled_from(["", " ", "\n", '"', "'", ",", ")", "\t", '"}'])
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("kind", sorted(SECRETS))
@SETTINGS
@given(data=st.data())
def test_the_scanner_finds_every_generated_secret(kind: str, data: st.DataObject) -> None:
    secret = data.draw(SECRETS[kind])
    text = data.draw(BEFORE) + secret + data.draw(AFTER)
    assert kind in {k for k, _, _ in find(text)}, (kind, text)


@pytest.mark.parametrize("kind", sorted(SECRETS))
@SETTINGS
@given(data=st.data())
def test_what_the_scrubber_leaves_the_scanner_finds_clean(kind: str, data: st.DataObject) -> None:
    text = data.draw(BEFORE) + data.draw(SECRETS[kind]) + data.draw(AFTER)
    scrubbed = Scrubber().scrub_text(text)
    assert find(scrubbed) == [], (kind, text, scrubbed)


@pytest.mark.parametrize("name", ["run.log", "settings.toml", ".env", "notes", "cassette.yaml"])
def test_a_directory_scan_reads_every_text_file_whatever_its_name(tmp_path: Path, name: str) -> None:
    key = uuid.uuid4().hex
    (tmp_path / name).write_text(f"AZURE_OPENAI_API_KEY={key}\n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0" + key.encode())  # binary: skipped
    out = io.StringIO()
    assert main([str(tmp_path)], out=out) == 1
    assert f"{tmp_path / name}:1: hex-key" in out.getvalue() and "image.png" not in out.getvalue()


def test_outside_a_clone_the_scan_says_it_scanned_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([]) == 2
    assert "nothing to scan here" in capsys.readouterr().err


def test_the_scanner_shares_nothing_with_the_scrubber() -> None:
    for module in ("scan.py", "scan_patterns.py"):
        tree = ast.parse((ROOT / "conformance" / "recording" / module).read_text())
        imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        # The scrubber lives beside the scanner (conformance/recording/): only the scanner's own
        # pattern list may be imported from there.
        shared = {name for name in imported if name.startswith("conformance.recording") or name.endswith(".recording")}
        assert shared <= {"conformance.recording.scan_patterns"}, (module, imported)
