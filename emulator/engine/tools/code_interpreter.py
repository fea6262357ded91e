"""The code interpreter tool: a program chosen from the prompt, run in a container, cited.

The "model" writes its program deterministically from the latest user message, first rule
that fits (documented here because tests and users rely on it):

1. a fenced code block (```` ```python ... ``` ````) is run as written;
2. "contents of NAME.EXT" / "read NAME.EXT" -> print that container file;
   "factorial of N" -> ``math.factorial(N)``; "first N primes" -> a prime finder;
3. an arithmetic expression (``123 * 7``) -> ``print(123 * 7)``;
4. otherwise a one-line greeting.

When the message asks to save or write a file (the words "file", "save" or "csv"), the
program also writes its result to ``result.txt`` (``result.csv`` for "csv"); files the run
creates in the container are cited with ``container_file_citation`` annotations, as Azure
cites generated files (learn.microsoft.com/azure/foundry/openai/how-to/responses). The code runs in :mod:`.sandbox`.

Containers (``container: {"type": "auto"}`` or an explicit ``cntr_…`` id of one this
resource made) are directories that keep their files between calls, like the service's
sessions; at most :data:`MAX_CONTAINERS` live per resource, the oldest is dropped first.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import re
import shutil
import tempfile
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emulator.wire import errors
from emulator.state.filedata import FileData
from emulator.wire.ids import item_id
from emulator.engine.model import Turn
from emulator.engine.tools.hosted import arithmetic
from emulator.engine.tools.sandbox import run_python
from emulator.engine.tools.step import ToolStep

MAX_CONTAINERS = 32
_FENCE_RE = re.compile(r"```(?:python|py)?\s*\n(.*?)```", re.S)
_FACTORIAL_RE = re.compile(r"factorial of (\d{1,4})\b", re.I)
_PRIMES_RE = re.compile(r"first (\d{1,4}) prime", re.I)
_READ_RE = re.compile(r"(?:contents of|read) ([\w\-]+\.\w+)", re.I)
_FILE_RE = re.compile(r"\b(file|save|csv)\b", re.I)
#: "solve 3x + 11 = 14": one unknown, ax + b = c (the seed's code interpreter sample asks this).
_LINEAR_RE = re.compile(r"(-?\d+(?:\.\d+)?)\s*\*?\s*([a-z])\s*([+-])\s*(\d+(?:\.\d+)?)\s*=\s*(-?\d+(?:\.\d+)?)")


@dataclass
class Container:
    id: str
    path: Path
    files: dict[str, str] = field(default_factory=dict)
    """filename -> cfile_ id, for files already cited (a file keeps its id)."""


@dataclass
class Containers:
    """One resource's live containers, oldest first."""

    live: OrderedDict[str, Container] = field(default_factory=OrderedDict)

    def create(self) -> Container:
        container_id = "cntr_" + os.urandom(24).hex()
        path = Path(tempfile.mkdtemp(prefix="emulator-container-"))
        atexit.register(shutil.rmtree, path, True)
        self.live[container_id] = Container(container_id, path)
        while len(self.live) > MAX_CONTAINERS:
            _, old = self.live.popitem(last=False)
            shutil.rmtree(old.path, ignore_errors=True)
        return self.live[container_id]

    def get(self, container_id: str) -> Container | None:
        return self.live.get(container_id)


def program_for(text: str) -> str:
    """The Python program the "model" writes for the user message ``text`` (rules above)."""
    fenced = _FENCE_RE.search(text)
    if fenced:
        return fenced.group(1).strip() + "\n"
    if m := _READ_RE.search(text):
        return f"with open({m.group(1)!r}) as f:\n    print(f.read().strip())\n"
    if m := _LINEAR_RE.search(text):
        a, name, sign, b, c = m.groups()
        return (f"# {a}{name} {sign} {b} = {c}\n{name} = ({c} {'-' if sign == '+' else '+'} {b}) / {a}\n"
                f"print(f\"{name} = {{{name}:g}}\")\n")
    if m := _FACTORIAL_RE.search(text):
        body, value = "import math\n", f"math.factorial({m.group(1)})"
    elif m := _PRIMES_RE.search(text):
        body = ("def primes(n):\n    found = []\n    k = 2\n    while len(found) < n:\n"
                "        if all(k % p for p in found):\n            found.append(k)\n        k += 1\n    return found\n\n")
        value = f"primes({m.group(1)})"
    elif found := arithmetic(text):
        body, value = "", found[0]
    else:
        return 'print("hello from the emulator")\n'
    code = f"{body}result = {value}\nprint(result)\n"
    if _FILE_RE.search(text):
        name = "result.csv" if re.search(r"\bcsv\b", text, re.I) else "result.txt"
        code += f'with open("{name}", "w") as out:\n    out.write(str(result) + "\\n")\n'
    return code


def _container(tool: dict[str, Any], index: int, containers: Containers, files: FileData) -> Container:
    spec = tool.get("container")
    if spec is None:
        raise errors.missing_parameter(f"tools[{index}].container")
    if isinstance(spec, str):
        found = containers.get(spec)
        if found is None:
            raise errors.invalid_request(f"Container with id '{spec}' not found.", f"tools[{index}].container", "invalid_value")
        return found
    if not isinstance(spec, dict) or spec.get("type") != "auto":
        raise errors.invalid_request(
            "container must be a container id or an object with type 'auto'.", f"tools[{index}].container", "invalid_value")
    file_ids = spec.get("file_ids") or []
    if not isinstance(file_ids, list) or not all(isinstance(f, str) for f in file_ids):
        raise errors.invalid_type(f"tools[{index}].container.file_ids", "an array of strings", type(file_ids).__name__)
    container = containers.create()
    for file_id in file_ids:
        stored = files.files.get(str(file_id))
        if stored is None:
            raise errors.file_not_found(str(file_id))
        (container.path / Path(stored.filename).name).write_bytes(stored.data)
    return container


def _listing(path: Path) -> dict[str, float]:
    return {p.name: p.stat().st_mtime for p in path.iterdir() if p.is_file()}


async def run(tool: dict[str, Any], index: int, text: str, include_outputs: bool,
              containers: Containers, files: FileData) -> ToolStep:
    """Write the program, run it in its container, and answer with what it printed."""
    container = _container(tool, index, containers, files)
    code = program_for(text)
    before = _listing(container.path)
    outcome = await asyncio.to_thread(run_python, code, container.path)
    after = _listing(container.path)
    item: dict[str, Any] = {
        "id": item_id("code_interpreter_call"),
        "type": "code_interpreter_call",
        "status": "completed",
        "code": code,
        "container_id": container.id,
        "outputs": [{"type": "logs", "logs": outcome.logs}] if include_outputs else None,
    }
    printed = outcome.logs.strip()
    answer = f"The code printed {printed}." if printed else "The code ran and printed nothing."
    annotations = []
    for name in sorted(n for n in after if before.get(n) != after[n]):
        file_id = container.files.setdefault(name, "cfile_" + os.urandom(16).hex())
        answer += f" Saved {name}."
        start = answer.rindex(name)
        annotations.append({"type": "container_file_citation", "container_id": container.id, "file_id": file_id,
                            "filename": name, "start_index": start, "end_index": start + len(name)})
    return ToolStep(items=[item], turns=[Turn("tool", printed)], answer=answer, annotations=annotations)
