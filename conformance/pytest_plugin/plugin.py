"""The pytest plugin: options, feature markers, parametrisation over targets, replay/live
modes, and the collection of verdicts for the report.

Offline (the default) every suite test replays its cassette with the network blocked.
`--live` runs the same tests against the targets (the embedded emulator for emulator://
endpoints); cassettes are written only when `--record-mode` says so.
"""

from __future__ import annotations

import fnmatch
import gc
import os
import time
from pathlib import Path
from typing import Any, Iterator, Optional

import pytest

from conformance.model import features as feature_registry
from conformance.pytest_plugin import pinning
from conformance.recording.provenance_guard import early_message, emulator_only, foreign_cassette
from conformance.pytest_plugin.session import RunState
from conformance.model.targets import TargetsError, load_targets
from conformance.pytest_plugin.terminal_scrub import TerminalScrub
from conformance.pytest_plugin.xdist import install_gatherer, is_worker
from conformance.pytest_plugin import options

ROOT = Path(__file__).resolve().parents[2]
CASSETTES = ROOT / "cassettes"
#: Set to a directory to read and write cassettes there instead of cassettes/ (e.g. a
#: throw-away recording in a temp dir).
CASSETTES_ENV = "CONFORMANCE_CASSETTES"
STATE = pytest.StashKey[RunState]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "Responses API conformance")
    group.addoption("--live", action="store_true", default=False,
                    help="call the targets for real (emulator:// targets start the embedded emulator) instead of replaying cassettes")
    group.addoption("--targets", default=os.environ.get("CONFORMANCE_TARGETS"), metavar="PATH",
                    help="targets file (TOML); default: $CONFORMANCE_TARGETS or targets/emulator.toml")
    group.addoption("--feature", action="append", default=[], metavar="ID",
                    help="run only this feature (glob, e.g. 'responses.*'); repeatable")
    group.addoption("--report-dir", default=None, metavar="DIR",
                    help="write compat.json, compat.md and compat.html there at the end of the run")
    group.addoption("--matrix", action="store_true", default=False,
                    help="print the feature x target verdict matrix at the end of the run")
    group.addoption("--show-hosts", action="store_true", default=False,
                    help="put the targets' endpoints into the report (masked by default)")
    group.addoption("--openapi", default=None, metavar="PATH",
                    help="check the bodies seen against this OpenAPI file; deviations become notes in the report")
    group.addoption("--expect", default=None, metavar="FILE",
                    help="fail the run when a verdict differs from this expectation file ('none': never; "
                         "default: expectations/emulator.toml when replaying targets/emulator.toml)")
    group.addoption("--expect-update", default=None, metavar="FILE",
                    help="write the verdicts of the cells that ran into this expectation file")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("asyncio_mode", default=None) is None and config.inipath is None:
        # Installed and run outside the clone (no pyproject.toml, no ini at all): the suites'
        # async tests and fixtures are plain `async def`, as under the repository's
        # asyncio_mode = "auto".
        config.option.asyncio_mode = "auto"
    config.pluginmanager.register(RecordingFixtures(), "conformance-recording-fixtures")
    config.addinivalue_line("markers", "feature(id): the conformance feature this test gives evidence for")
    for feature in feature_registry.FEATURES.values():
        config.addinivalue_line("markers", f"{feature.id}: {feature.title}")
    for family in sorted({f.family for f in feature_registry.FEATURES.values()}):
        config.addinivalue_line("markers", f"{family}: all {family}.* features")
    live = bool(config.getoption("--live"))
    record_mode = config.getoption("--record-mode", default=None)
    if not live and record_mode not in (None, "none"):
        raise pytest.UsageError(
            f"--record-mode={record_mode} records from real endpoints and needs --live "
            "(e.g. pytest --live --record-mode=rewrite)"
        )
    if live and record_mode == "none":
        # "record nothing" while live is plain --live (VCR would otherwise replay the
        # cassettes, and the report would call the replay `source: live`).
        record_mode = config.option.record_mode = None
    if live and record_mode is None:
        # Live without --record-mode: the cassettes stay untouched and VCR is out of the way.
        config.option.disable_recording = True
    if not is_worker(config):
        options.check(config, live, record_mode)
    unknown = [p for p in map(feature_registry.pattern_problem, config.getoption("--feature")) if p]
    if unknown:
        raise pytest.UsageError("--feature: " + "\n--feature: ".join(unknown))
    try:
        targets = load_targets(config.getoption("--targets"))
    except TargetsError as exc:
        raise pytest.UsageError(str(exc)) from None
    state = config.stash[STATE] = RunState(config=config, live=live, targets=targets, recording=bool(live and record_mode))
    install_gatherer(config, list(targets), state.results.items)
    if not live and not is_worker(config):
        refused = emulator_only(targets, cassettes_dir())
        if refused:
            raise pytest.UsageError(early_message(refused, shown(state.targets_path)))
    pinning.configure(config, state, default_cassettes=cassettes_dir() == CASSETTES)
    key_vars = sorted({t.key_env for t in targets if live and t.auth == "key" and not t.on_emulator})
    config.pluginmanager.register(TerminalScrub(state.scrubber, key_vars), "conformance-terminal-scrub")
    if live and not is_worker(config):
        from conformance.pytest_plugin.progress import ProgressReporter

        config.pluginmanager.register(ProgressReporter(config),
                                      "conformance-progress")


#: The suite's own tests (of conformance/ and emulator/): offline only, never part of a live run.
OWN_TESTS = ROOT / "tests"


def _is_own_test(path: Path) -> bool:
    return path.resolve().is_relative_to(OWN_TESTS)


def _named(config: pytest.Config) -> list[Path]:
    """The paths given on the command line (not the ini's testpaths)."""
    if config.args_source != pytest.Config.ArgsSource.ARGS:
        return []
    return [Path(config.invocation_params.dir, arg.split("::", 1)[0]).resolve() for arg in config.args]


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> Optional[bool]:
    """A live run collects suites/ only: a bare `pytest --live` (or `pytest --live .`) would also
    walk tests/, ~600 offline tests. A suite inside tests/ named on the command line (the
    project's own crash fixtures) still runs."""
    if not config.getoption("--live") or not _is_own_test(collection_path):
        return None
    path = collection_path.resolve()
    if any(path.is_relative_to(named) and named != ROOT or named.is_relative_to(path) for named in _named(config)):
        return None
    return True


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(STATE, None)
    if state is not None:
        state.close()


def _feature_of(node: Any) -> Optional[str]:
    marker = node.get_closest_marker("feature")
    return str(marker.args[0]) if marker and marker.args else None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "target" not in metafunc.fixturenames:
        return
    feature_id = _feature_of(metafunc.definition)
    if feature_id is None:
        raise pytest.UsageError(f"{metafunc.definition.nodeid}: a test that takes `target` must be marked @pytest.mark.feature('<id>')")
    feature = feature_registry.get(feature_id)
    state = metafunc.config.stash[STATE]
    params = []
    for target in state.targets:
        if not target.runs(feature.id):
            continue
        marks = []
        missing = sorted(feature.needs - target.capabilities)
        elsewhere = feature.applies_to(target.kind)
        if elsewhere is not None:
            marks.append(pytest.mark.skip(reason=f"{elsewhere} ({feature.id})"))
        elif missing:
            marks.append(pytest.mark.skip(reason=f"not applicable: {target.deployment} lacks {', '.join(missing)} (needed by {feature.id})"))
        v1_only = metafunc.definition.get_closest_marker("v1_only")
        if v1_only is not None and not target.is_v1:
            why = v1_only.args[0] if v1_only.args else f"{feature.id} is served on the v1 API only"
            marks.append(pytest.mark.skip(reason=f"not applicable: {why}"))
        params.append(pytest.param(target, id=target.test_id, marks=marks))
    if not params:
        params.append(pytest.param(None, id="no-target", marks=pytest.mark.skip(
            reason=f"no target in {state.targets_label} runs {feature.id}")))
    metafunc.parametrize("target", params)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection built (modules, the SDK's types, the items) lives until the session
    ends: moved out of the garbage collector's sight, each later collection walks only what
    the tests make (measured: the offline suite 9.75 s -> 9.5 s on 2 cores)."""
    gc.freeze()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    state = config.stash[STATE]
    wanted = config.getoption("--feature")
    kept, dropped = [], []
    for item in items:
        feature_id = _feature_of(item)
        if feature_id is None:
            kept.append(item)
            continue
        feature_registry.get(feature_id)  # unknown ids fail collection
        if wanted and not any(fnmatch.fnmatchcase(feature_id, w) for w in wanted):
            dropped.append(item)
            continue
        live_only = item.get_closest_marker("live_only")
        if live_only is not None and not state.live:
            # Traffic vcrpy cannot record (WebSocket frames): no cassette, so `skipped` offline.
            why = live_only.args[0] if live_only.args else "this test's traffic is not recorded"
            item.add_marker(pytest.mark.skip(reason=f"live only: {why}; run it with --live"))
        item.add_marker(getattr(pytest.mark, feature_id))
        item.add_marker(getattr(pytest.mark, feature_id.split(".", 1)[0]))
        if "target" in getattr(item, "fixturenames", ()) and live_only is None:
            item.add_marker(pytest.mark.vcr)
            if not state.live:
                item.add_marker(pytest.mark.block_network)
        kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def cassettes_dir() -> Path:
    """cassettes/ of the repository, or $CONFORMANCE_CASSETTES."""
    override = os.environ.get(CASSETTES_ENV)
    return Path(override).resolve() if override else CASSETTES


def shown(path: Path) -> str:
    """A path relative to the repository when it is inside it."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def cassette_name(item: Any) -> str:
    """`<test name>[<target id>]`: named by the target's id (with its `@`), not by the test id."""
    callspec = getattr(item, "callspec", None)
    target = callspec.params.get("target") if callspec else None
    return item.name.replace(target.test_id, target.id, 1) if target is not None else item.name


def cassette_path(item: pytest.Item) -> Path:
    module = Path(str(item.fspath)).stem
    return cassettes_dir() / module / f"{cassette_name(item)}.yaml"


def pytest_runtest_setup(item: pytest.Item) -> None:
    state = item.config.stash[STATE]
    _skip_if_sdk_too_old(item)
    if state.live or "target" not in getattr(item, "fixturenames", ()):
        return
    if item.get_closest_marker("skip"):
        return
    path = cassette_path(item)
    if not path.exists():
        pytest.fail(
            f"no cassette {shown(path)}: record it against the emulator with\n"
            f"    pytest --live --record-mode=rewrite '{item.nodeid}'",
            pytrace=False,
        )
    problem = foreign_cassette(path, shown(path), item.callspec.params["target"], shown(state.targets_path))
    if problem:
        pytest.fail(problem, pytrace=False)


def _skip_if_sdk_too_old(item: pytest.Item) -> None:
    """A feature newer than the installed SDK's types: `unsupported` by sdk, with the versions."""
    from conformance.pytest_plugin.results import SDK_SKIP
    from conformance.model.sdk import SDK_VERSION, supports

    feature_id = _feature_of(item)
    if feature_id is None or "target" not in getattr(item, "fixturenames", ()):
        return
    feature = feature_registry.get(feature_id)
    if not supports(feature.min_sdk):
        reason = f"openai {SDK_VERSION} predates {feature.min_sdk}, the first SDK with types for {feature.id}"
        item.stash[SDK_SKIP] = reason
        pytest.skip(reason)


@pytest.hookimpl(tryfirst=True, specname="pytest_runtest_makereport")
def pytest_runtest_makereport_fast(item: pytest.Item, call: pytest.CallInfo[None]) -> Optional[pytest.TestReport]:
    """A documented refusal or an unreliable service is not a failure, so its report skips
    pytest's traceback rendering (about 0.4 s a test: it parses the SDK's large modules);
    the wrapper below still decides and records the verdict."""
    from conformance.pytest_plugin.results import quick_report
    from conformance.pytest_plugin.setup_errors import setup_report

    repeated = setup_report(item, call)
    if repeated is not None:
        return repeated
    feature_id = _feature_of(item)
    if feature_id is None:
        return None
    return quick_report(item, call, feature_id)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    report: pytest.TestReport = yield
    state = item.config.stash[STATE]
    callspec = getattr(item, "callspec", None)
    target = callspec.params.get("target") if callspec else None
    feature_id = _feature_of(item)
    if feature_id is None or target is None:
        return report
    return state.results.record(item, call, report, feature_id, target, cassette_path(item))


def pytest_sessionstart(session: pytest.Session) -> None:
    from conformance.pytest_plugin.preflight import at_session_start

    session.config.stash[STATE].started = time.time()
    at_session_start(session.config, session.config.stash[STATE])  # live only: before collection


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist: every worker leaves out the targets the controller's preflight dropped."""
    from conformance.live.preflight import WORKERINPUT

    node.workerinput[WORKERINPUT] = node.config.stash[STATE].preflight_dropped


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    state = session.config.stash[STATE]
    # Also after a failure or Ctrl-C: pytest still finishes the session.
    for problem in state.sweep():
        session.config.issue_config_time_warning(
            pytest.PytestWarning(f"could not delete {problem}; `conformance cleanup` retries"), stacklevel=1)
    report_dir = session.config.getoption("--report-dir")
    if report_dir and not is_worker(session.config):  # the controller writes the whole run
        state.write_report(Path(report_dir))


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    state = config.stash[STATE]
    if (config.getoption("--matrix") or config.getoption("--report-dir")) and not is_worker(config):
        state.print_matrix(terminalreporter)
    if state.preflight_text and not is_worker(config):
        terminalreporter.write_sep("=", "preflight", yellow=True)
        terminalreporter.write_line(state.preflight_text)


# ----------------------------------------------------------------- pytest-recording wiring


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    from conformance import recording
    recording.register(vcr)


@pytest.fixture(scope="session")
def conformance_state(pytestconfig: pytest.Config) -> RunState:
    """The run: mode, targets, emulator, scrubber, results."""
    return pytestconfig.stash[STATE]


class RecordingFixtures:
    """pytest-recording's cassette fixtures, answered our way (where cassettes live, what a
    test's cassette is called, how it is matched). Registered at configure time, after every
    entry-point plugin, so they override pytest-recording's whatever order pytest loaded the
    two plugins in (conftest.py no longer loads this plugin first)."""

    @pytest.fixture
    def vcr_config(self, conformance_state: RunState) -> dict[str, Any]:
        return conformance_state.vcr_config()

    @pytest.fixture(scope="module")
    @classmethod
    def vcr_cassette_dir(cls, request: pytest.FixtureRequest) -> str:
        return str(cassettes_dir() / Path(str(request.node.fspath)).stem)

    @pytest.fixture
    def default_cassette_name(self, request: pytest.FixtureRequest, conformance_state: RunState) -> str:
        callspec = getattr(request.node, "callspec", None)
        target = callspec.params.get("target") if callspec else None
        conformance_state.begin_cassette(request.node, target)
        if request.config.getoption("--record-mode", default=None) == "rewrite":
            # pytest-recording deletes the file it would name after the serializer
            # (`.conformance`), not our `.yaml`: delete it here so rewrite really re-records.
            cassette_path(request.node).unlink(missing_ok=True)
        return cassette_name(request.node)

