"""The pytest plugin: options, feature markers, parametrisation over targets, replay/live
modes, and the collection of verdicts for the report.

Offline (the default) every suite test replays its cassette with the network blocked.
`--live` runs the same tests against the targets (the embedded emulator for emulator://
endpoints); cassettes are written only when `--record-mode` says so.
"""

from __future__ import annotations

import fnmatch
import os
import time
from pathlib import Path
from typing import Any, Iterator, Optional

import pytest

from . import features as feature_registry
from . import pinning
from .provenance_guard import early_message, emulator_only, foreign_cassette
from .run import RunState
from .targets import TargetsError, load_targets
from .workers import install_gatherer, is_worker

ROOT = Path(__file__).resolve().parent.parent
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
    if live and record_mode is None:
        # Live without --record-mode: the cassettes stay untouched and VCR is out of the way.
        config.option.disable_recording = True
    try:
        targets = load_targets(config.getoption("--targets"))
    except TargetsError as exc:
        raise pytest.UsageError(str(exc)) from None
    state = config.stash[STATE] = RunState(config=config, live=live, targets=targets, recording=bool(live and record_mode))
    install_gatherer(config)
    if not live and not is_worker(config):
        refused = emulator_only(targets, cassettes_dir())
        if refused:
            raise pytest.UsageError(early_message(refused, shown(state.targets_path)))
    pinning.configure(config, state, default_cassettes=cassettes_dir() == CASSETTES)
    from .terminal_scrub import TerminalScrub

    key_vars = sorted({t.key_env for t in targets if live and t.auth == "key" and not t.on_emulator})
    config.pluginmanager.register(TerminalScrub(state.scrubber, key_vars), "conformance-terminal-scrub")


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
        if missing:
            marks.append(pytest.mark.skip(reason=f"not applicable: {target.deployment} lacks {', '.join(missing)} (needed by {feature.id})"))
        params.append(pytest.param(target, id=target.id, marks=marks))
    if not params:
        params.append(pytest.param(None, id="no-target", marks=pytest.mark.skip(
            reason=f"no target in {state.targets_label} runs {feature.id}")))
    metafunc.parametrize("target", params)


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
        item.add_marker(getattr(pytest.mark, feature_id))
        item.add_marker(getattr(pytest.mark, feature_id.split(".", 1)[0]))
        if "target" in getattr(item, "fixturenames", ()):
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


def cassette_path(item: pytest.Item) -> Path:
    module = Path(str(item.fspath)).stem
    return cassettes_dir() / module / f"{item.name}.yaml"


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
    from .results import SDK_SKIP
    from .sdk import SDK_VERSION, supports

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
    from .results import quick_report

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
    from .preflight import at_session_start

    session.config.stash[STATE].started = time.time()
    at_session_start(session.config, session.config.stash[STATE])  # live only: before collection


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist: every worker leaves out the targets the controller's preflight dropped."""
    from .preflight import WORKERINPUT

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
    from . import cassettes

    cassettes.register(vcr)


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
        return request.node.name

