"""Command-line options checked before anything runs.

A missing `--openapi` file or a `--report-dir` that is a file would otherwise fail only after
the whole (possibly long, live) run; contradictory options would run and mislead.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import pytest


def check(config: pytest.Config, live: bool, record_mode: Optional[str]) -> None:
    """Raise pytest.UsageError naming the option and the fix; return quietly when all is well."""
    problems = [p for p in (_block_network(config, live), _report_dir(config), _openapi(config)) if p]
    if problems:
        raise pytest.UsageError("\n".join(problems))


def _block_network(config: pytest.Config, live: bool) -> Optional[str]:
    if live and config.getoption("--block-network", default=False):
        return ("--block-network contradicts --live: a live run calls its targets over the network "
                "(offline runs block the network already)")
    return None


def _report_dir(config: pytest.Config) -> Optional[str]:
    value = config.getoption("--report-dir", default=None)
    if not value:
        return None
    path = Path(value)
    if path.exists() and not path.is_dir():
        return f"--report-dir {value}: is a file, not a directory"
    existing = next((p for p in (path, *path.parents) if p.exists()), Path("."))
    if not existing.is_dir():
        return f"--report-dir {value}: {existing} is a file, not a directory"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"--report-dir {value}: {existing} is not writable"
    return None


def _openapi(config: pytest.Config) -> Optional[str]:
    value = config.getoption("--openapi", default=None)
    if not value:
        return None
    from conformance.report.openapi import OpenApiError, load

    try:
        load(Path(value))
    except OpenApiError as exc:
        return f"--openapi {value}: {exc}"
    return None
