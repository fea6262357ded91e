"""`conformance merge REPORTS... -o merged.json`: per-SDK reports joined with the SDK as a dimension.

tox runs the cassettes under several `openai` versions, one report each. Merged, every row
keeps its SDK; a feature whose `min_sdk` is newer than an SDK gets an explicit `unsupported`
(by: sdk) cell on each target, and `sdk_support` tells per feature the oldest SDK of the
matrix that supports it.
"""

from __future__ import annotations

from conformance.model.features import FEATURES
from conformance.model.sdk import version_tuple
from conformance.report.model import Report, Row, SdkSupport, Shape, TargetInfo

#: Best first, for the per-SDK summary: an SDK supports a feature if it works on some target.
BEST_FIRST = ["supported", "unsupported", "failed", "inconclusive", "skipped"]


def _sdk_rows(reports: list[Report], sdks: list[str], targets: list[TargetInfo]) -> list[Row]:
    """A row for each (feature, target, SDK) an old SDK never ran because it cannot express it."""
    rows = []
    have = {(r.feature, r.target, r.sdk) for rep in reports for r in rep.rows}
    tested = {(r.feature, r.target) for rep in reports for r in rep.rows}
    for feature, target in sorted(tested):
        minimum = FEATURES[feature].min_sdk if feature in FEATURES else "0"
        for sdk in sdks:
            if (feature, target, sdk) not in have and version_tuple(sdk) < version_tuple(minimum):
                rows.append(Row(feature=feature, target=target, sdk=sdk, verdict="unsupported", tests=0, duration=0.0,
                                evidence={"by": "sdk", "detail": f"openai {sdk} cannot express {feature} (needs >= {minimum})"}))
    return rows


def _support(rows: list[Row], sdks: list[str]) -> list[SdkSupport]:
    by_feature: dict[str, dict[str, list[str]]] = {}
    works: dict[str, dict[str, set[str]]] = {}  # feature -> sdk -> targets where it is supported
    for row in rows:
        by_feature.setdefault(row.feature, {}).setdefault(row.sdk, []).append(row.verdict)
        if row.verdict == "supported":
            works.setdefault(row.feature, {}).setdefault(row.sdk, set()).add(row.target)
    order = {f: i for i, f in enumerate(FEATURES)}
    out = []
    for feature in sorted(by_feature, key=lambda f: order.get(f, len(order))):
        verdicts = {sdk: min(v, key=BEST_FIRST.index) for sdk, v in by_feature[feature].items()}  # type: ignore[misc]
        oldest = next((sdk for sdk in sdks if verdicts.get(sdk) == "supported"), None)
        where = works.get(feature, {})
        anywhere = set().union(*where.values()) if where else set()
        everywhere = next((sdk for sdk in sdks if anywhere and where.get(sdk, set()) >= anywhere), None)
        out.append(SdkSupport(feature=feature, verdicts=verdicts, oldest_supported=oldest,  # type: ignore[arg-type]
                              oldest_everywhere=everywhere))
    return out


class DuplicateSdk(ValueError):
    """Two reports of the same SDK: merge joins SDKs, it cannot choose between two runs of one."""

    def __init__(self, sdks: list[str]) -> None:
        super().__init__(sdks)
        self.sdks = sdks


def merge_reports(reports: list[Report]) -> Report:
    if not reports:
        raise ValueError("nothing to merge")
    sdks_given = [r.environment.sdk for r in reports]
    repeated = sorted({sdk for sdk in sdks_given if sdks_given.count(sdk) > 1})
    if repeated:
        # The SDK is the merged dimension: two runs of one SDK would silently replace each other.
        raise DuplicateSdk(repeated)
    runs = sorted(reports, key=lambda r: version_tuple(r.environment.sdk))
    cells: dict[tuple[str, str, str], Row] = {}
    for report in runs:  # one report per SDK (DuplicateSdk otherwise)
        for row in report.rows:
            cells[(row.feature, row.target, row.sdk)] = row
    sdks = sorted({sdk for (_, _, sdk) in cells}, key=version_tuple)
    targets: dict[str, TargetInfo] = {}
    for report in runs:
        for target in report.targets:
            targets.setdefault(target.id, target)
    rows = list(cells.values()) + _sdk_rows(runs, sdks, list(targets.values()))
    order = {f: i for i, f in enumerate(FEATURES)}
    rows.sort(key=lambda r: (order.get(r.feature, len(order)), r.target, version_tuple(r.sdk)))
    shapes: dict[str, Shape] = {}
    for report in runs:
        for feature, shape in report.shapes.items():
            old = shapes.get(feature, Shape())
            shapes[feature] = Shape(fields=sorted(set(old.fields) | set(shape.fields)), events=sorted(set(old.events) | set(shape.events)),
                                    notes=sorted(set(old.notes) | set(shape.notes)))
    newest = runs[-1]
    environment = newest.environment.model_copy(update={
        "sdk": ", ".join(sdks),
        "started_at": min(r.environment.started_at for r in runs),
        "finished_at": max(r.environment.finished_at for r in runs),
    })
    return Report(environment=environment, runs=[r.environment for r in runs], targets=list(targets.values()),
                  features=newest.features, rows=rows, shapes=shapes, sdk_support=_support(rows, sdks))

