"""The matrix's layout: columns are (SDK, target) slots grouped by region, model, api and auth,
rows are features grouped by family. Shared by the HTML page and the Markdown summary."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Optional

from conformance.model.sdk import version_tuple
from conformance.report.model import FeatureInfo, Report, Row, TargetInfo

LEVELS = ("region", "model", "api", "auth")


@dataclass(frozen=True)
class Column:
    sdk: str
    target: TargetInfo

    @property
    def key(self) -> str:
        return f"{self.target.id}|{self.sdk}"

    def value(self, level: str) -> str:
        if level == "sdk":
            return f"openai {self.sdk}"
        if level == "api" and self.target.api_version_query:
            return f"{self.target.api}?{self.target.api_version_query}"
        if level == "model":
            return self.target.deployment if self.target.deployment == self.target.model else f"{self.target.deployment} ({self.target.model})"
        return str(getattr(self.target, level))


@dataclass(frozen=True)
class Span:
    label: str
    width: int


@dataclass
class Layout:
    levels: tuple[str, ...]
    columns: list[Column]
    header: list[tuple[str, list[Span]]]
    groups: list[tuple[str, list[FeatureInfo]]]
    cells: dict[tuple[str, str], Row]

    def cell(self, feature: str, column: Column) -> Optional[Row]:
        return self.cells.get((feature, column.key))


def _api_order(api: str) -> tuple[int, str]:
    return (1, api) if api.startswith("v1") else (0, api)


def layout(report: Report) -> Layout:
    sdks = report.sdks
    levels = (("sdk",) if len(sdks) > 1 else ()) + LEVELS
    present = {(r.target, r.sdk) for r in report.rows}
    columns = [Column(sdk, t) for sdk in sdks for t in report.targets if (t.id, sdk) in present]
    columns.sort(key=lambda c: (version_tuple(c.sdk), c.target.region, c.value("model"), _api_order(c.value("api")), c.target.auth))
    header = []
    for depth, level in enumerate(levels):
        # A span ends where this level's value or any value above it changes: nested groups.
        keyed = [tuple(c.value(lv) for lv in levels[: depth + 1]) for c in columns]
        header.append((level, [Span(k[-1], len(list(g))) for k, g in groupby(keyed)]))
    features = report.tested_features()
    families: dict[str, list[FeatureInfo]] = {}
    for feature in features:
        families.setdefault(feature.id.split(".", 1)[0], []).append(feature)
    groups = list(families.items())
    cells = {(r.feature, f"{r.target}|{r.sdk}"): r for r in report.rows}
    return Layout(levels, columns, header, groups, cells)
