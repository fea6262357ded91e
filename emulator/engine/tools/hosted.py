"""Arithmetic found in a prompt, for the code interpreter's "model" to turn into a program.

Only parsing: the expression is checked to be plain arithmetic (numbers and + - * / % **) so
that the program :mod:`.code_interpreter` writes is small and safe to show; the sandbox runs it.
"""

from __future__ import annotations

import ast
import operator
import re
from typing import Any


_EXPR_RE = re.compile(r"[\d(][\d\s.+\-*/()%^]*[\d)]")
_OPS: dict[type, Any] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.Mod: operator.mod, ast.Pow: operator.pow, ast.USub: operator.neg, ast.UAdd: operator.pos,
}


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


def arithmetic(text: str) -> tuple[str, str] | None:
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
