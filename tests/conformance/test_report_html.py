"""compat.html in a real browser: headless Chromium runs its script and we read the DOM back."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from conformance.report import write_all
from conformance.report.browser import dump_dom, find_chromium
from conformance.report.html import SYMBOL, render_html

from sample_reports import TARGETS, grid, make_report

VERDICTS = {**grid(), ("errors.auth", TARGETS[1].id): "failed", ("tools.mcp", TARGETS[2].id): "unsupported",
            ("tools.mcp", TARGETS[3].id): "skipped", ("responses.create", TARGETS[3].id): "inconclusive"}


class _Cells(HTMLParser):
    """Collects every matrix cell (data-cell) with its verdict, symbol and whether it is hidden."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[str, dict[str, str]] = {}
        self.current: str = ""
        self.evidence = ""
        self._in_evidence = False
        self.headers: list[tuple[str, str, str]] = []
        self._th: dict[str, str] = {}
        self.ready = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.ready = a.get("data-ready", "")
        if tag == "td" and "data-cell" in a:
            self.current = a["data-cell"]
            self.cells[self.current] = {"verdict": a.get("data-verdict", ""), "class": a.get("class", ""), "text": ""}
        if tag == "div" and a.get("id") == "evidence":
            self._in_evidence = True
        if tag == "th" and "data-cols" in a:
            self._th = a

    def handle_endtag(self, tag):
        if tag == "td":
            self.current = ""
        if tag == "div":
            self._in_evidence = False

    def handle_data(self, data):
        if self.current:
            self.cells[self.current]["text"] += data
        if self._in_evidence:
            self.evidence += data
        if self._th:
            self.headers.append((self._th.get("colspan", ""), self._th.get("class", ""), data))
            self._th = {}


def test_the_page_is_self_contained_and_groups_the_axes():
    html = render_html(make_report(VERDICTS))
    assert not re.search(r'<(script|link|img)[^>]+(src|href)=', html), "no external assets"
    for level in ("region", "model", "api", "auth"):
        assert f'data-level="{level}"' in html
    assert '<th colspan="3" data-cols="1 2 3 "' in html  # swedencentral over its three targets
    assert '<tr class="family" data-family="errors">' in html


chromium = pytest.mark.skipif(find_chromium() is None, reason="chromium is not installed: apt-get install -y chromium (.ci/run does)")


@chromium
def test_chromium_renders_the_matrix_with_the_right_cells(tmp_path):
    page = write_all(make_report(VERDICTS), tmp_path)[2]
    cell = f"errors.auth|{TARGETS[1].id}|1.99.0"
    parsed = _Cells()
    parsed.feed(dump_dom(page, f"cell={cell}"))
    assert parsed.ready == "1", "the page's script ran to the end"
    assert len(parsed.cells) == len(VERDICTS)
    for (feature, target), verdict in VERDICTS.items():
        got = parsed.cells[f"{feature}|{target}|1.99.0"]
        assert got["verdict"] == verdict and verdict in got["class"].split() and got["text"] == SYMBOL[verdict]
    assert "selected" in parsed.cells[cell]["class"]
    assert parsed.evidence.startswith(f"errors.auth on {TARGETS[1].id} (openai 1.99.0): failed")
    assert ("3", "", "swedencentral") in parsed.headers and ("1", "", "eastus2") in parsed.headers


@chromium
def test_chromium_applies_the_filters(tmp_path):
    page = write_all(make_report(VERDICTS), tmp_path)[2]
    dom = dump_dom(page, "q=entra&verdict=failed")
    parsed = _Cells()
    parsed.feed(dom)
    shown = [key for key, c in parsed.cells.items() if "hidden" not in c["class"].split()]
    assert shown and all(TARGETS[1].id in key for key in shown)
    assert re.search(r'<tr class="feature-row" data-family="errors" data-feature="errors.auth">', dom)
    assert re.search(r'<tr class="feature-row hidden" data-family="responses" data-feature="responses.create">', dom)
    assert '<span id="shown">1 features × 1 columns</span>' in dom
