"""How two reports' cells line up: by (feature, target), and by SDK too when a report has several."""

from __future__ import annotations

from conformance.model.features import FEATURES
from conformance.report.model import Report, Row

CellKey = tuple[str, str, str]  # feature, target, sdk ("" when the SDK is not a dimension)


def keyed(report: Report, with_sdk: bool) -> dict[CellKey, Row]:
    return {(r.feature, r.target, r.sdk if with_sdk else ""): r for r in report.rows}


def sdk_is_dimension(*reports: Report) -> bool:
    """Single-SDK reports compare cell for cell even if their SDKs differ (a nightly upgrade)."""
    return any(len(r.sdks) > 1 for r in reports)


def order(key: CellKey) -> tuple[int, str, str]:
    index = list(FEATURES).index(key[0]) if key[0] in FEATURES else len(FEATURES)
    return (index, key[1], key[2])


def label(key: CellKey) -> str:
    feature, target, sdk = key
    return f"{feature} on {target}" + (f" (openai {sdk})" if sdk else "")


def summary(row: Row) -> str:
    """One line of a row's evidence: status, code and message, or the detail."""
    ev = row.evidence
    status, code = ev.get("status"), ev.get("code")
    parts = [str(status or ""), "" if str(code) == str(status) else str(code or ""),
             str(ev.get("message") or "")]
    if not parts[2] and ev.get("detail"):
        parts[2] = str(ev["detail"])  # e.g. a connection dropped after a 200: the 200 alone misleads
    text = " ".join(p for p in parts if p)
    by = f"by {ev['by']}: " if ev.get("by") else ""
    return (by + text)[:200]
