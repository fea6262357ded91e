"""compat.html keeps its view in the URL, shows no evidence of a filtered-out cell, and tells
unsupported from failed by shape."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from conformance.report import write_all
from conformance.report.browser import dump_dom, find_chromium
from conformance.report.html import SYMBOL
from conformance.report.table import SYMBOLS

from sample_reports import TARGETS, grid, make_report

chromium = pytest.mark.skipif(find_chromium() is None, reason="chromium is not installed")
VERDICTS = {**grid(), ("errors.auth", TARGETS[1].id): "failed", ("tools.mcp", TARGETS[2].id): "unsupported"}


def _page(tmp_path: Path) -> Path:
    return write_all(make_report(VERDICTS), tmp_path)[2]


def _state(dom: str) -> tuple[dict[str, list[str]], str]:
    hash_ = re.search(r'<body[^>]*data-hash="([^"]*)"', dom)
    evidence = re.search(r'<div id="evidence">(.*?)</div>', dom, re.S)
    assert hash_ and evidence, dom[:2000]
    return parse_qs(html.unescape(hash_.group(1))), html.unescape(evidence.group(1))


@chromium
def test_the_filters_are_written_to_the_url(tmp_path: Path) -> None:
    page = _page(tmp_path)
    cell = next(k for k in re.findall(r'data-cell="([^"]+)"', page.read_text()) if k.startswith("errors.auth|") and TARGETS[1].id in k)
    # given out of order: what the page writes back is its own, whole view
    state, evidence = _state(dump_dom(page, f"cell={cell}&verdict=failed&family=errors&q=entra"))
    assert state == {"q": ["entra"], "family": ["errors"], "verdict": ["failed"], "cell": [cell]}, state
    assert evidence.startswith(f"errors.auth on {TARGETS[1].id}")


@chromium
def test_a_filtered_out_cell_leaves_the_evidence_panel(tmp_path: Path) -> None:
    page = _page(tmp_path)
    keys = re.findall(r'data-cell="([^"]+)"', page.read_text())
    cell = next(k for k in keys if k.startswith("errors.auth|") and TARGETS[1].id in k)
    shown_state, shown = _state(dump_dom(page, f"cell={cell}"))
    assert shown.startswith(f"errors.auth on {TARGETS[1].id}") and shown_state["cell"] == [cell]
    # the same cell, but a filter that hides its column: no evidence, and the URL drops the cell
    state, evidence = _state(dump_dom(page, f"q=eastus2&cell={cell}"))
    assert evidence == "Click a cell to see its evidence." and "cell" not in state and state["q"] == ["eastus2"]


def test_unsupported_and_failed_differ_in_shape_in_the_html_and_the_terminal() -> None:
    assert SYMBOL["failed"] == SYMBOLS["failed"][0] == "FAIL"
    assert SYMBOL["unsupported"] == SYMBOLS["unsupported"][0] == "✘"
    assert len(set(SYMBOL.values())) == len(SYMBOL)


def test_history_reads_at_80_columns(tmp_path: Path) -> None:
    from conformance.report.history import history, render_history

    cell = ("errors.auth", TARGETS[2].id)  # the longest target id
    runs = [make_report(grid(), finished="2026-01-01T00:00:00+00:00"),
            make_report({**grid(), cell: "failed"}, finished="2026-01-02T00:00:00+00:00"),
            make_report({**grid(), cell: "unsupported"}, finished="2026-01-03T00:00:00+00:00")]
    out = tmp_path / "h.txt"
    with out.open("w") as handle:
        render_history(history(runs), len(runs), file=handle, width=80)
    lines = out.read_text().splitlines()
    assert all(len(line) <= 80 for line in lines), lines
    # one line per step, each whole: symbol, verdict, since when
    steps = [line for line in lines if " since " in line]
    assert [line.split()[:2] for line in steps] == [["✔", "supported"], ["FAIL", "failed"], ["✘", "unsupported"]], lines
    assert all(line.rstrip().endswith("abc1234") for line in steps), lines
