"""Named mutants of the emulator: realistic service bugs, one selected per process.

``python -m emulator --mutation NAME`` serves a broken copy of the service, so the suite's
power can be measured: a run against a mutant should turn at least one cell ``failed``
(benchmarks/mutants.py runs them all; docs/mutations.md lists them). ``--list-mutations``
prints the catalogue. Without ``--mutation`` none of this is imported by the app.
"""

from __future__ import annotations

from typing import Any

from emulator.mutations import auth, background, errors, files, model, state, streaming, tools  # noqa: F401  (they register)
from emulator.mutations.base import FAMILIES, MUTANTS, Exchange, Mutant, Seams
from emulator.mutations.middleware import Mutating
from emulator.mutations import content_filter  # noqa: F401  (they register)

__all__ = ["FAMILIES", "MUTANTS", "Exchange", "Mutant", "Mutating", "Seams", "activate", "catalogue"]


class UnknownMutation(ValueError):
    def __str__(self) -> str:
        return f"unknown mutation {self.args[0]!r}; `python -m emulator --list-mutations` lists the {len(MUTANTS)} known ones"


def activate(name: str, emulator_state: Any) -> Mutant:
    """The mutant ``name``, with its seams patched into ``emulator_state`` (undo: ``mutant.seams.undo()``)."""
    cls = MUTANTS.get(name)
    if cls is None:
        raise UnknownMutation(name)
    mutant = cls()
    mutant.seams = Seams(emulator_state, mutant)
    try:
        mutant.install(mutant.seams)
    except AttributeError as exc:  # a seam was renamed: say so instead of serving a silent no-op
        mutant.seams.undo()
        raise ValueError(f"mutation {name!r} cannot hook the emulator: {exc}") from None
    return mutant


def catalogue() -> list[dict[str, Any]]:
    """Every mutant as data: name, family, description, features."""
    return [{"name": c.name, "family": c.family, "description": c.description, "features": list(c.features)}
            for c in MUTANTS.values()]
