"""The pytest side of the preflight (conformance.live.preflight): which process probes, and what
a run does with the targets it leaves out."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from conformance.live.embedded import ATTACH_ENV
from conformance.live.preflight import WORKERINPUT, check
from conformance.pytest_plugin.xdist import is_controller, is_worker

if TYPE_CHECKING:
    from conformance.pytest_plugin.session import RunState


def at_session_start(config: pytest.Config, state: "RunState") -> None:
    """Probe the targets of a live run and leave out the unreachable ones, before collection.

    One process decides: the only one, or under xdist the controller, which hands the ids it
    dropped to every worker (`WORKERINPUT`) so all collect the same tests. The controller does
    not probe targets on an emulator the suite starts itself (each worker starts its own; the
    controller would start one only for this). Replay runs do no preflight: no network.
    Raises pytest.UsageError (exit 4) when no target is left.
    """
    if not state.live:
        return
    if is_worker(config):
        dropped = set(getattr(config, "workerinput", {}).get(WORKERINPUT, ()))
        state.targets = [t for t in state.targets if t.id not in dropped]
        return
    own_emulator = is_controller(config) and not os.environ.get(ATTACH_ENV)
    probed = [t for t in state.targets if not (own_emulator and t.on_emulator)]
    outcome = check(probed, state.connection)
    dropped = set(outcome.dropped)
    state.targets = [t for t in state.targets if t.id not in dropped]
    state.preflight_dropped = sorted(dropped)
    blocks = [outcome.text(state.targets_label, len(state.targets))] if outcome.problems else []
    if outcome.notes:
        blocks.append(outcome.notes_text(state.targets_label))
    if not blocks:
        return
    text = "\n".join(blocks)
    if not state.targets:
        raise pytest.UsageError(text)
    state.preflight_text = text
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(text, yellow=True)
