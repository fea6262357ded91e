"""Replay answers a real endpoint only from cassettes recorded against a real service.

Target ids name api, auth, deployment and region, not the resource, so a targets file for
one's own Azure resource often gives exactly the ids of the committed emulator cassettes.
Replayed without `--live`, it would be a green matrix for "my Azure resource" made of the
emulator's answers. The cassettes' provenance header (conformance.recording.provenance)
says what they were recorded against; this module refuses the mismatch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Optional

from conformance.recording.provenance import read_provenance, recorded_source
from conformance.model.targets import Target

EMULATOR = "emulator"


def _fix(targets_file: str) -> str:
    return (f"Add --live to call the endpoints:  pytest --live --targets {targets_file}\n"
            f"(or record cassettes from them first:  pytest --live --record-mode=rewrite --targets {targets_file})")


def foreign_cassette(cassette: Path, shown: str, target: Target, targets_file: str) -> Optional[str]:
    """Why `cassette` must not answer `target` in replay, or None when it may."""
    if target.on_emulator or recorded_source(read_provenance(cassette)) != EMULATOR:
        return None
    return (f"{shown} was recorded against the emulator, but {target.id} is resource "
            f"{target.resource!r}, a real endpoint: replaying it would report the emulator's verdict "
            f"as that resource's.\n{_fix(targets_file)}")


def _cassettes_by_target(directory: Path) -> dict[str, list[Path]]:
    """`<module>/<test>[<target id>].yaml` -> target id -> cassettes."""
    found: dict[str, list[Path]] = defaultdict(list)
    for path in directory.glob("*/*].yaml"):
        if "[" in path.name:
            found[path.name.rsplit("[", 1)[1][: -len("].yaml")]].append(path)
    return found


def emulator_only(targets: Sequence[Target], directory: Path) -> list[tuple[Target, int]]:
    """Real-endpoint targets whose cassettes were all recorded against the emulator, with
    their count: nothing was ever recorded from them, so no test of theirs can replay."""
    real = [t for t in targets if not t.on_emulator]
    if not real or not directory.is_dir():
        return []
    by_target = _cassettes_by_target(directory)
    refused = []
    for target in real:
        paths = by_target.get(target.id, [])
        sources = {recorded_source(read_provenance(p)) for p in paths}
        if paths and sources == {EMULATOR}:
            refused.append((target, len(paths)))
    return refused


def early_message(refused: Sequence[tuple[Target, int]], targets_file: str) -> str:
    """One message for the whole run, before any test."""
    lines = [f"replay of {targets_file} would answer real endpoints from cassettes recorded against the emulator:"]
    for target, count in refused:
        lines.append(f"  {target.id} (resource {target.resource!r}): {count} emulator cassette{'s' if count != 1 else ''}")
    lines.append("Replay would report the emulator's verdicts as your resources'. " + _fix(targets_file))
    return "\n".join(lines)
