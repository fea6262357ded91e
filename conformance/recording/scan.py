"""`conformance scan`: find secret-shaped strings in cassettes and reports before they are pushed.

The scrubber should make this find nothing; the scan is the independent check CI runs, so a
scrubbing hole or a hand-edited cassette fails the build instead of leaking. Findings print
as `file:line: kind: masked value` (the value itself is never printed in full).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from conformance.recording.patterns import find_secrets

SCANNED_SUFFIXES: frozenset[str] = frozenset({".yaml", ".yml", ".json", ".md", ".html", ".txt", ".jsonl"})
DEFAULT_PATHS: tuple[str, ...] = ("cassettes", "reports")


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    kind: str
    value: str

    @property
    def masked(self) -> str:
        """Enough to find it, not enough to use it."""
        return f"{self.value[:6]}… ({len(self.value)} chars)"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}: {self.masked}"


def _files(root: Path) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix.lower() in SCANNED_SUFFIXES:
            yield path


def scan_text(path: Path, text: str) -> list[Finding]:
    """Findings in one file's text, with 1-based line numbers."""
    findings = []
    for kind, offset, value in find_secrets(text):
        findings.append(Finding(path, text.count("\n", 0, offset) + 1, kind, value))
    return findings


def scan_paths(paths: Iterable[Path]) -> list[Finding]:
    """Every finding under the given files or directories."""
    findings: list[Finding] = []
    for root in paths:
        for path in _files(root):
            text = path.read_text(encoding="utf-8", errors="replace")
            findings.extend(scan_text(path, text))
    return findings


def main(paths: list[str], *, out: object = None) -> int:
    """0 when clean, 1 on findings, 2 when an explicitly named path does not exist."""
    stream = out or sys.stdout
    roots = [Path(p) for p in paths] if paths else [Path(p) for p in DEFAULT_PATHS if Path(p).exists()]
    missing = [p for p in roots if not p.exists()]
    if missing:
        print(f"conformance scan: no such file or directory: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    findings = scan_paths(roots)
    for finding in findings:
        print(finding, file=stream)  # type: ignore[call-overload]
    scanned = ", ".join(map(str, roots)) or "nothing"
    if findings:
        print(f"conformance scan: {len(findings)} secret-shaped string(s) in {scanned}: scrub or re-record them", file=stream)  # type: ignore[call-overload]
        return 1
    print(f"conformance scan: {scanned}: clean", file=stream)  # type: ignore[call-overload]
    return 0
