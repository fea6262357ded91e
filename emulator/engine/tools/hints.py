"""Values a request's text offers to fill tool arguments: numbers, quoted strings, names.

The emulator's "model" fills arguments from what the user wrote, so that "add 2 and 3"
really calls ``add(a=2, b=3)`` and a follow-up answer can be checked against the tool's
real output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NUMBER_RE = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?!\w|\.\d)")
_QUOTED_RE = re.compile(r"\"([^\"\n]{1,200})\"|“([^”\n]{1,200})”|'([^'\n]{1,200})'")
_NAME_RE = re.compile(r"(?<=[a-z,;:] )([A-Z][a-z]+(?: [A-Z][a-z]+)*)")


@dataclass
class Hints:
    """Consumable values taken from one text, in the order they appear."""

    numbers: list[float] = field(default_factory=list)
    quoted: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> Hints:
        quoted = [next(g for g in m.groups() if g) for m in _QUOTED_RE.finditer(text)]
        unquoted = _QUOTED_RE.sub(" ", text)
        numbers = [float(m.group(0)) for m in _NUMBER_RE.finditer(unquoted)]
        return cls(numbers=numbers, quoted=quoted, names=_NAME_RE.findall(unquoted))

    def take_number(self) -> float | None:
        return self.numbers.pop(0) if self.numbers else None

    def take_string(self) -> str | None:
        if self.quoted:
            return self.quoted.pop(0)
        if self.names:
            return self.names.pop(0)
        return None
