"""Web search and code interpreter: the hosted tools Azure long refused (the probes).

When the profile offers them (see :mod:`emulator.engine.tools.gates`), the emulator answers in
OpenAI's shapes (azure-facts.md §4.10, §4.11): a ``web_search_call`` with a search action and
``url_citation`` annotations, or a ``code_interpreter_call`` with code, a container id and,
if included, its logs. The emulator has no internet: its search results point at a
reserved ``.invalid`` host and say they are emulated.
"""

from __future__ import annotations

import ast
import operator
import os
import re
from typing import Any
from urllib.parse import quote_plus

from emulator.wire.ids import item_id
from emulator.engine.model import Turn
from emulator.engine.tools.step import ToolStep

_EXPR_RE = re.compile(r"[\d(][\d\s.+\-*/()%^]*[\d)]")
_OPS: dict[type, Any] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.Mod: operator.mod, ast.Pow: operator.pow, ast.USub: operator.neg, ast.UAdd: operator.pos,
}


def web_search(query: str, include_sources: bool) -> ToolStep:
    url = f"https://search.emulator.invalid/?q={quote_plus(query)}"
    action: dict[str, Any] = {"type": "search", "query": query}
    if include_sources:
        action["sources"] = [{"type": "url", "url": url}]
    item = {"id": item_id("web_search_call"), "type": "web_search_call", "status": "completed", "action": action}
    title = f"Emulated search results for {query}"
    answer = f"{title}."
    citation = {"type": "url_citation", "start_index": 0, "end_index": len(title), "url": url, "title": title}
    return ToolStep(items=[item], turns=[Turn("tool", title)], answer=answer, annotations=[citation])


def _evaluate(node: ast.AST) -> float:
    if isinstance(node, ast.Expression):
        return _evaluate(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        right = _evaluate(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > 64:
            raise ValueError("exponent too large")
        return _OPS[type(node.op)](_evaluate(node.left), right)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_evaluate(node.operand))
    raise ValueError("not arithmetic")


def _arithmetic(text: str) -> tuple[str, str] | None:
    for match in _EXPR_RE.finditer(text):
        expr = match.group(0).strip().replace("^", "**")
        if not re.search(r"[+\-*/%]", expr):
            continue
        try:
            value = _evaluate(ast.parse(expr, mode="eval"))
        except (ValueError, SyntaxError, ZeroDivisionError, OverflowError):
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return expr, str(value)
    return None


def code_interpreter(text: str, include_outputs: bool) -> ToolStep:
    found = _arithmetic(text)
    code, result = (f"print({found[0]})", found[1]) if found else ('print("hello from the emulator")', "hello from the emulator")
    item: dict[str, Any] = {
        "id": item_id("code_interpreter_call"),
        "type": "code_interpreter_call",
        "status": "completed",
        "code": code,
        "container_id": "cntr_" + os.urandom(24).hex(),
        "outputs": [{"type": "logs", "logs": result + "\n"}] if include_outputs else None,
    }
    return ToolStep(items=[item], turns=[Turn("tool", result)], answer=f"The code printed {result}.")
