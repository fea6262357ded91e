"""Setup errors are usage errors, found before any test (conformance.live.preflight, conformance.model.targets).

A missing key, a dead or silent endpoint, a base URL that is not a resource, an api-version
the service does not serve and a dead CONFORMANCE_EMULATOR must each give one message that
names the fix and a non-zero exit within seconds, and never a `failed` cell: `conformance diff`
would call that a regression of the service. In-process tests drive `preflight.check` against
loopback stubs; subprocess tests run pytest as a user would.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional, Union

import pytest

from conformance.client import auth
from conformance.live import preflight
from conformance.client.factory import Connection
from conformance.live.embedded import EmulatorError
from conformance.model.targets import TargetsError, load_targets

import forkserver
from live_support import ROOT, clean_env, emulator_process, first_url, run_pytest

RESOURCE = ('[[resources]]\nname = "{name}"\nendpoint = "{endpoint}"\nregion = "{region}"\nkey_env = "{env}"\n{extra}'
            '[[resources.deployments]]\nname = "gpt-4o"\nmodel = "gpt-4o"\n'
            '[[matrix]]\nresource = "{name}"\napi = ["{api}"]\nauth = ["{auth}"]\ndeployment = ["gpt-4o"]\n'
            'features = ["responses.create"]\n')


def targets_file(path: Path, *resources: dict[str, str]) -> Path:
    defaults = {"env": "PF_KEY", "api": "v1", "auth": "key", "extra": ""}
    path.write_text("".join(RESOURCE.format(**{**defaults, "region": r["name"], **r}) for r in resources))
    return path


# ----------------------------------------------------------------------------- loopback stubs


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def silent_endpoint() -> Iterator[str]:
    """Accepts TCP connections (the kernel completes them from the backlog) and never answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(64)
        yield f"http://127.0.0.1:{s.getsockname()[1]}"


Answer = tuple[int, dict[str, object]]


@contextmanager
def stub(routes: dict[str, Union[Answer, Callable[[Mapping[str, str]], Answer]]]) -> Iterator[str]:
    """An HTTP server answering each path prefix with a fixed status and JSON body (else 404),
    or with what a function of the request headers says."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = self.path.split("?")[0]
            answer = next((answer for prefix, answer in routes.items() if path.startswith(prefix)),
                          (404, {"error": {"code": "404", "message": "Resource not found"}}))
            status, body = answer(self.headers) if callable(answer) else answer
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


MODELS = (200, {"object": "list", "data": []})


def _check(tmp_path: Path, endpoint: str, api: str = "v1", timeout: float = 2.0,
           env: Optional[dict[str, str]] = None) -> preflight.Outcome:
    targets = load_targets(targets_file(tmp_path / "t.toml", {"name": "r", "endpoint": endpoint, "api": api}))
    environ = {"PF_KEY": "k" * 32} if env is None else env
    return preflight.check(targets, lambda t: Connection(t.endpoint, auth.api_key(t, environ)), timeout=timeout)


def _only_message(outcome: preflight.Outcome) -> str:
    assert not outcome.usable, outcome
    assert len(outcome.problems) == 1, outcome.problems
    return outcome.problems[0].message


# ----------------------------------------------------------------------------- preflight.check


def test_a_healthy_target_passes_and_a_service_hiccup_is_not_a_setup_problem(tmp_path: Path) -> None:
    with stub({"/openai/v1/models": MODELS}) as url:
        assert _check(tmp_path, url).problems == []
    for status in (429, 500, 503):  # the service's state: the tests will say inconclusive
        with stub({"/openai/v1/models": (status, {"error": {"code": str(status), "message": "busy"}})}) as url:
            outcome = _check(tmp_path, url)
            assert outcome.problems == [] and len(outcome.usable) == 1, status


def test_a_missing_key_variable_names_it_and_the_export(tmp_path: Path) -> None:
    with stub({"/openai/v1/models": MODELS}) as url:
        message = _only_message(_check(tmp_path, url, env={}))
    assert "environment variable PF_KEY is not set: export PF_KEY=" in message, message


def test_a_closed_port_is_cannot_reach(tmp_path: Path) -> None:
    message = _only_message(_check(tmp_path, f"http://127.0.0.1:{closed_port()}"))
    assert message.startswith("cannot reach resource 'r'") and "refused" in message and "`endpoint`" in message, message


def test_a_silent_endpoint_is_one_short_timeout_per_target(tmp_path: Path) -> None:
    with silent_endpoint() as one, silent_endpoint() as two:
        path = tmp_path / "t.toml"
        targets = load_targets(targets_file(path, {"name": "a", "endpoint": one}, {"name": "b", "endpoint": two}))
        outcome = preflight.check(targets, lambda t: Connection(t.endpoint, "k"), timeout=1.0)
    assert not outcome.usable and len(outcome.problems) == 2
    assert all("did not answer within 1 s" in p.message for p in outcome.problems), outcome.problems


def test_a_resource_timeout_shorter_than_the_probes_bounds_it(tmp_path: Path) -> None:
    with silent_endpoint() as silent:
        targets = load_targets(targets_file(tmp_path / "t.toml", {"name": "a", "endpoint": silent}))
        outcome = preflight.check(targets, lambda t: Connection(t.endpoint, "k", timeout=0.5), timeout=5.0)
    assert [p.message.split(" (")[0] for p in outcome.problems] == ["resource 'a' did not answer within 0.5 s"]


def test_the_probes_of_several_targets_run_side_by_side(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each probe waits for the other at a barrier: probes run one after the other would break it
    # (the barrier's timeout is a deadlock guard, not a measure of speed).
    barrier = threading.Barrier(2, timeout=10)
    met: list[str] = []

    def probe(target: object, connection: object, timeout: float) -> None:
        barrier.wait()
        met.append(getattr(target, "id"))

    monkeypatch.setattr(preflight, "_probe", probe)
    targets = load_targets(targets_file(tmp_path / "t.toml", {"name": "a", "endpoint": "http://127.0.0.1:1"},
                                        {"name": "b", "endpoint": "http://127.0.0.1:2"}))
    outcome = preflight.check(targets, lambda t: Connection(t.endpoint, "k"), timeout=1.0)
    assert len(met) == 2 and len(outcome.usable) == 2 and not outcome.problems


def test_401_and_403_are_credential_and_access_problems(tmp_path: Path) -> None:
    denied = {"error": {"code": "401", "message": "Access denied due to invalid subscription key"}}
    with stub({"/openai/v1/models": (401, denied)}) as url:
        message = _only_message(_check(tmp_path, url))
    assert "refused the credentials (401: Access denied" in message and "PF_KEY holds a key" in message, message
    with stub({"/openai/v1/models": (403, {"error": {"code": "Forbidden", "message": "Public access is disabled"}})}) as url:
        message = _only_message(_check(tmp_path, url))
    assert "denied access (403: Public access is disabled)" in message and "network rules" in message, message


BEARER_REFUSED = (401, {"error": {"code": "401", "message": "Access token is missing, invalid, audience is incorrect"}})


def _key_header_only(key: str, seen: list[dict[str, str]]) -> Callable[[Mapping[str, str]], Answer]:
    """A v1 service that refuses `Authorization: Bearer <key>` and serves `api-key: <key>`."""
    def answer(headers: Mapping[str, str]) -> Answer:
        seen.append({name.lower(): value for name, value in headers.items()})
        return MODELS if headers.get("api-key") == key else BEARER_REFUSED
    return answer


def test_a_v1_service_that_refuses_the_bearer_key_form_keeps_the_target_with_a_note(tmp_path: Path) -> None:
    seen: list[dict[str, str]] = []
    with stub({"/openai/v1/models": _key_header_only("k" * 32, seen)}) as url:
        outcome = _check(tmp_path, url)
    assert outcome.problems == [] and len(outcome.usable) == 1, outcome.problems
    assert len(outcome.notes) == 1 and outcome.notes[0].targets == (outcome.usable[0].id,)
    note = outcome.notes[0].message
    assert "refused `Authorization: Bearer <key>` (401: Access token is missing" in note, note
    assert "serves the same key in the `api-key` header" in note and "tests will fail" in note, note
    assert "\n" not in outcome.notes_text("t.toml"), "one line"
    # The first probe is the documented Bearer form, the one retry adds the api-key header.
    assert [h.get("api-key") for h in seen] == [None, "k" * 32], seen
    assert seen[0]["authorization"] == "Bearer " + "k" * 32


def test_a_wrong_key_is_still_dropped_when_the_service_refuses_the_bearer_form(tmp_path: Path) -> None:
    seen: list[dict[str, str]] = []
    with stub({"/openai/v1/models": _key_header_only("k" * 32, seen)}) as url:
        outcome = _check(tmp_path, url, env={"PF_KEY": "w" * 32})
    message = _only_message(outcome)
    assert "refused the credentials (401" in message and "PF_KEY holds a key" in message, message
    assert outcome.notes == [] and len(seen) == 2, seen  # one retry, no more


def test_the_api_key_header_retry_is_for_v1_key_targets_only(tmp_path: Path) -> None:
    seen: list[Mapping[str, str]] = []

    def refuse(headers: Mapping[str, str]) -> Answer:
        seen.append(headers)
        return BEARER_REFUSED

    with stub({"/openai/": refuse}) as url:
        message = _only_message(_check(tmp_path, url, api="2025-04-01-preview"))
    # AzureOpenAI (dated) sends the api-key header itself: its 401 is the key's, asked once.
    assert "refused the credentials (401" in message and len(seen) == 1, (message, seen)
    assert seen[0].get("api-key") == "k" * 32


def test_a_base_url_that_serves_no_api_is_a_malformed_endpoint(tmp_path: Path) -> None:
    with stub({}) as url:  # 404 everywhere: not an Azure OpenAI resource
        for api in ("v1", "2025-04-01-preview"):
            message = _only_message(_check(tmp_path, url, api=api))
            assert "its `endpoint` serves no Azure OpenAI API (404" in message, (api, message)
            assert "https://<resource>.openai.azure.com" in message


def test_an_api_version_the_service_does_not_serve_is_told_apart_from_a_bad_endpoint(tmp_path: Path) -> None:
    # A dated path 404s for an unknown version; the v1 path of the same endpoint answers.
    with stub({"/openai/v1/models": MODELS}) as url:
        message = _only_message(_check(tmp_path, url, api="2024-01-01"))
    assert "does not serve api '2024-01-01'" in message and "/openai/v1/models answers" in message, message
    refused = {"error": {"code": "BadRequest", "message": "API version not supported"}}
    with stub({"/openai/v1/models": (400, refused)}) as url:
        message = _only_message(_check(tmp_path, url, api="v1?api-version=preview"))
    assert "does not serve api 'v1?api-version=preview' (400: API version not supported)" in message, message


def test_a_dead_emulator_is_asked_once_and_named_once(tmp_path: Path) -> None:
    targets = load_targets(ROOT / "targets" / "emulator.toml")
    calls = []

    def connect(target: object) -> Connection:
        calls.append(target)
        raise EmulatorError("CONFORMANCE_EMULATOR=http://127.0.0.1:9: no emulator answers there")

    outcome = preflight.check(targets, connect)
    assert len(calls) == 1 and not outcome.usable
    assert [len(p.targets) for p in outcome.problems] == [len(targets)]


def test_probes_are_one_per_endpoint_api_and_auth(tmp_path: Path) -> None:
    targets = load_targets(ROOT / "targets" / "emulator.toml")
    keys = {preflight.probe_key(t) for t in targets}
    assert len(keys) < len(targets)  # deployments of one resource share a probe
    assert {(t.endpoint, t.api_label, t.auth) for t in targets} == {k[:3] for k in keys}


# ----------------------------------------------------------------------------- targets validation


@pytest.mark.parametrize("endpoint, api, expected", [
    ("https://x.openai.azure.com/openai/v1/", "v1", "has a path (/openai/v1/): use the base URL 'https://x.openai.azure.com'"),
    ("https://x.openai.azure.com/openai", "v1", "has a path"),
    ("https://x.cognitiveservices.azure.com/something", "v1", "use the base URL 'https://x.cognitiveservices.azure.com'"),
    ("https://x.services.ai.azure.com/api/projects/p1/openai/v1", "v1", "use the base URL 'https://x.services.ai.azure.com/api/projects/p1'"),
    ("https://apim.azure-api.net/aoai/openai/v1/", "v1", "use the base URL 'https://apim.azure-api.net/aoai'"),
    ("https://x.openai.azure.com?api-version=2025-04-01-preview", "v1", "has a query"),
    ("http://x.openai.azure.com", "v1", "https only; use 'https://x.openai.azure.com'"),
    ("https://x.openai.azure.com", "2025-13-01", "'2025-13-01' is not a real date"),
    ("https://x.openai.azure.com", "2025-02-30-preview", "is not a real date"),
    ("https://x.openai.azure.com", "2025-04-01-previeww", "is not an API flavour"),
    ("https://x.openai.azure.com", "2025-4-01", "is not an API flavour"),
])
def test_a_malformed_endpoint_or_api_version_is_a_targets_error_naming_resource_and_key(
        tmp_path: Path, endpoint: str, api: str, expected: str) -> None:
    path = targets_file(tmp_path / "t.toml", {"name": "mine", "endpoint": endpoint, "api": api})
    with pytest.raises(TargetsError) as error:
        load_targets(path)
    text = str(error.value)
    assert str(path) in text and "(resource 'mine')" in text and expected in text, text
    key = "api" if api != "v1" else ("endpoint" if "https only" not in expected else "")
    assert f".{key} (resource 'mine')" in text or key == "" and "endpoint 'http://" in text, text


@pytest.mark.parametrize("endpoint, api", [
    ("https://x.openai.azure.com/", "v1"),
    ("https://x.services.ai.azure.com/api/projects/p1", "v1"),  # a Foundry project endpoint
    ("http://127.0.0.1:8080", "2025-04-01-preview"),  # a local emulator
    ("http://localhost:8080", "v1?api-version=preview"),
    ("https://x.cognitiveservices.azure.com", "2024-10-21"),
    ("https://apim.azure-api.net/aoai", "v1"),  # a gateway with its own prefix
])
def test_real_endpoint_forms_and_api_versions_load(tmp_path: Path, endpoint: str, api: str) -> None:
    assert load_targets(targets_file(tmp_path / "t.toml", {"name": "mine", "endpoint": endpoint, "api": api}))


# ----------------------------------------------------------------------------- whole pytest runs

SUITE = ("suites/test_responses.py", "-q", "-k", "create_returns_a_completed", "--live")


def _no_failed_cell(report_dir: Path) -> None:
    report = report_dir / "compat.json"
    if report.exists():
        assert "failed" not in {row["verdict"] for row in json.loads(report.read_text())["rows"]}


@pytest.mark.parametrize("scenario", ["missing key", "dead endpoint", "silent endpoint", "dead emulator",
                                      "endpoint with a path", "bad api-version"])
def test_each_setup_error_is_one_message_and_a_usage_error_before_any_test(tmp_path: Path, scenario: str) -> None:
    env = clean_env(PF_KEY="k" * 32)
    targets: Optional[Path] = None
    with silent_endpoint() as silent:
        spec = {"name": "r", "endpoint": "https://r.openai.azure.com"}
        if scenario == "missing key":
            spec["env"], expected = "PF_UNSET_KEY", "environment variable PF_UNSET_KEY is not set: export PF_UNSET_KEY="
        elif scenario == "dead endpoint":
            spec["endpoint"], expected = f"http://127.0.0.1:{closed_port()}", "cannot reach resource 'r' ("
        elif scenario == "silent endpoint":
            # its own 1 s request timeout bounds the probe's 5 s
            spec["endpoint"], spec["extra"], expected = silent, "timeout = 1\n", "resource 'r' did not answer within 1 s"
        elif scenario == "endpoint with a path":
            spec["endpoint"], expected = "https://r.openai.azure.com/openai/v1/", "resources[0].endpoint (resource 'r'): "
        elif scenario == "bad api-version":
            spec["api"], expected = "2025-13-01", "matrix[0].api (resource 'r'): '2025-13-01' is not a real date"
        else:
            env["CONFORMANCE_EMULATOR"] = f"http://127.0.0.1:{closed_port()}"
            expected = f"CONFORMANCE_EMULATOR={env['CONFORMANCE_EMULATOR']}: no emulator answers there"
        if scenario != "dead emulator":
            targets = targets_file(tmp_path / "t.toml", spec)
        run = run_pytest(*SUITE, *(["--targets", str(targets)] if targets else []),
                         "--report-dir", str(tmp_path / "reports"), env=env, timeout=120)
    assert run.returncode == 4, run.stdout + run.stderr
    assert run.stderr.count(expected) == 1, run.stderr
    assert scenario != "dead endpoint" or "refused" in run.stderr.lower(), run.stderr
    assert "Traceback" not in run.stdout + run.stderr and "passed" not in run.stdout, run.stdout
    _no_failed_cell(tmp_path / "reports")
    assert not (tmp_path / "reports" / "compat.json").exists()  # no test ran: no report to diff


def test_a_healthy_target_runs_beside_dropped_ones_and_diff_sees_no_regression(tmp_path: Path) -> None:
    with emulator_process(tmp_path, "--api-key", "k" * 32) as info:
        url = first_url(info)
        targets = targets_file(tmp_path / "t.toml", {"name": "good", "endpoint": url, "region": "swedencentral"},
                               {"name": "other", "endpoint": url, "env": "PF_OTHER_KEY"})
        before = run_pytest(*SUITE, "--targets", str(targets), "--report-dir", str(tmp_path / "before"),
                            env=clean_env(PF_KEY="k" * 32, PF_OTHER_KEY="k" * 32))
        after = run_pytest(*SUITE, "--targets", str(targets), "--report-dir", str(tmp_path / "after"),
                           env=clean_env(PF_KEY="k" * 32, PF_OTHER_KEY="wrong"))
    assert before.returncode == 0 and "2 passed" in before.stdout, before.stdout + before.stderr
    assert after.returncode == 0 and "1 passed" in after.stdout, after.stdout + after.stderr
    message = "v1-key-gpt-4o@other: resource 'other' refused the credentials (401"
    assert after.stdout.count(message) == 2, after.stdout  # at the start and again in the summary
    rows = json.loads((tmp_path / "after" / "compat.json").read_text())["rows"]
    assert [(r["target"], r["verdict"]) for r in rows] == [("v1-key-gpt-4o@swedencentral", "supported")]
    diff = forkserver.run([sys.executable, "-m", "conformance.cli", "diff", str(tmp_path / "before" / "compat.json"),
                           str(tmp_path / "after" / "compat.json")], cwd=ROOT, env=clean_env(),
                          capture_output=True, text=True, timeout=60)
    assert diff.returncode == 0 and "REGRESSION" not in diff.stdout and "REMOVED" in diff.stdout, diff.stdout


def test_a_bearer_refusing_emulator_keeps_its_key_target_and_the_tests_fail(tmp_path: Path) -> None:
    # The bearer-key-refused mutant: the preflight must not explain the service's fault away as
    # "cannot authenticate"; the target stays, says so once, and its cells are `failed`.
    with emulator_process(tmp_path, "--api-key", "k" * 32, "--mutation", "bearer-key-refused") as info:
        targets = targets_file(tmp_path / "t.toml", {"name": "r", "endpoint": first_url(info), "region": "swedencentral"})
        run = run_pytest(*SUITE, "--targets", str(targets), "--report-dir", str(tmp_path / "reports"),
                         env=clean_env(PF_KEY="k" * 32))
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert out.count("refused `Authorization: Bearer <key>`") == 2, out  # at the start and in the summary
    assert "cannot be used" not in out, out
    rows = json.loads((tmp_path / "reports" / "compat.json").read_text())["rows"]
    assert {r["verdict"] for r in rows} == {"failed"}, rows


def test_conformance_run_prints_the_message_and_exits_non_zero(tmp_path: Path) -> None:
    targets = targets_file(tmp_path / "t.toml", {"name": "r", "endpoint": f"http://127.0.0.1:{closed_port()}"})
    run = forkserver.run([sys.executable, "-m", "conformance.cli", "run", "--targets", str(targets),
                          "--report-dir", str(tmp_path / "reports"), "--feature", "responses.create"],
                         cwd=ROOT, env=clean_env(PF_KEY="k" * 32), capture_output=True, text=True, timeout=120)
    assert run.returncode == 4, run.stdout + run.stderr
    assert run.stderr.count("cannot reach resource 'r'") == 1, run.stderr
    assert "no report written" in run.stderr and "report:" not in run.stdout
    assert not (tmp_path / "reports" / "compat.json").exists()


def test_replay_does_no_preflight(tmp_path: Path) -> None:
    # The committed emulator cassettes replay with a dead emulator named: no network is asked.
    run = run_pytest("suites/test_responses.py", "-q", "-k", "create_returns_a_completed and v1-key",
                     env=clean_env(CONFORMANCE_EMULATOR=f"http://127.0.0.1:{closed_port()}"))
    assert run.returncode == 0 and "preflight" not in run.stdout + run.stderr, run.stdout + run.stderr


def test_a_connection_dropped_after_connecting_is_not_a_setup_problem(tmp_path: Path) -> None:
    # An emulator injecting faults (or a service restarting) drops a connection now and then:
    # only a failure to connect (refused, DNS, TLS) says the endpoint is wrong.
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)

        def drop() -> None:
            for _ in range(4):
                try:
                    conn, _ = server.accept()
                except OSError:
                    return
                conn.recv(65536)
                conn.close()

        threading.Thread(target=drop, daemon=True).start()
        outcome = _check(tmp_path, f"http://127.0.0.1:{server.getsockname()[1]}")
    assert outcome.problems == [] and len(outcome.usable) == 1, outcome.problems


def test_an_emulator_resource_it_does_not_serve_is_named_per_resource(tmp_path: Path) -> None:
    from conformance.live.embedded import UnknownResource

    targets = load_targets(ROOT / "targets" / "emulator.toml")

    def connect(target: "object") -> Connection:
        if getattr(target, "resource") == "aoai-eus2":
            raise UnknownResource("the emulator serves no resource named 'aoai-eus2'")
        return Connection("http://127.0.0.1:1", "k")

    outcome = preflight.check(targets, connect, timeout=1.0)
    eus2 = {t.id for t in targets if t.resource == "aoai-eus2"}
    by_message = {p.message: set(p.targets) for p in outcome.problems}
    assert by_message["the emulator serves no resource named 'aoai-eus2'"] == eus2
    assert any(m.startswith("cannot reach resource 'aoai-swc'") for m in by_message), by_message
