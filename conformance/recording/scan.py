"""`conformance scan`: find secret-shaped strings in cassettes and reports before they are pushed.

The scrubber should make this find nothing; the scan is the independent check CI runs, so a
scrubbing hole or a hand-edited cassette fails the build instead of leaking. Its shapes are its
own (conformance/scan_patterns.py), not the scrubber's table. Findings print
as `file:line: kind: masked value` (the value itself is never printed in full).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from conformance.recording.scan_patterns import find

#: Directories a scan does not enter (version control, environments, caches).
SKIPPED_DIRS: frozenset[str] = frozenset({".git", ".venv", "venv", ".tox", "__pycache__", "node_modules", ".hypothesis"})
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
    # Every text file, whatever its name (*.log, *.toml, .env, ...): a leak has no fixed suffix.
    for path in sorted(root.rglob("*")):
        if path.is_file() and not SKIPPED_DIRS.intersection(path.relative_to(root).parts[:-1]) and not _binary(path):
            yield path


def _binary(path: Path) -> bool:
    with path.open("rb") as handle:
        return b"\0" in handle.read(8192)


def scan_text(path: Path, text: str) -> list[Finding]:
    """Findings in one file's text, with 1-based line numbers."""
    findings = []
    for kind, offset, value in find(text):
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
    if not roots:
        # Outside a clone nothing is at ./cassettes or ./reports: "clean" would be a lie.
        print(f"conformance scan: nothing to scan here (no {' or '.join(DEFAULT_PATHS)} in {Path.cwd()}): "
              "name the files or directories to scan", file=sys.stderr)
        return 2
    missing = [p for p in roots if not p.exists()]
    if missing:
        print(f"conformance scan: no such file or directory: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    findings = scan_paths(roots)
    for finding in findings:
        print(finding, file=stream)  # type: ignore[call-overload]
    scanned = ", ".join(map(str, roots))
    if findings:
        print(f"conformance scan: {len(findings)} secret-shaped string(s) in {scanned}: scrub or re-record them", file=stream)  # type: ignore[call-overload]
        return 1
    print(f"conformance scan: {scanned}: clean", file=stream)  # type: ignore[call-overload]
    return 0
