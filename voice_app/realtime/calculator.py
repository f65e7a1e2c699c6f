"""Arithmetic from the model, evaluated exactly and within bounds. Pure.

Python's integers grow without limit, and the work grows with them while holding the GIL:
`(((9**99)**99)**99)**99` has 92 million digits and froze the worker for half a minute. So every
number, literal or result, is kept to MAX_DIGITS, and a power is refused from its estimated size
before it is computed. With operands that small, + - * / // % cost microseconds, and a bounded
result also stays under Python's limit on converting an int to text (4,300 digits).
"""

import ast
import math
import operator

MAX_DIGITS = 1_000  # 2 ** 3_000 fits; answers read aloud are a few digits

_OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


def _digits(magnitude_log10: float) -> int:
    """How many digits the integer part of a number with this log10 has."""
    return max(1, math.floor(magnitude_log10) + 1)


def _check(digits: int) -> None:
    if digits > MAX_DIGITS:
        about = f"{digits:,}" if digits < 10**15 else f"{digits:.1e}"
        raise ValueError(f"the result would have about {about} digits; at most {MAX_DIGITS:,} are allowed")


def _bounded(value: int | float | complex) -> int | float:
    if isinstance(value, complex):
        raise ValueError("the result is not a real number (a negative number to a fractional power)")
    if isinstance(value, float) and not math.isfinite(value):
        raise OverflowError
    if isinstance(value, int) and value:
        _check(_digits(math.log10(abs(value))))
    return value


def _power(base: int | float, exponent: int | float) -> int | float:
    """base ** exponent, refused before it is computed when the result would be too long."""
    if abs(base) > 1 and exponent > 0:
        _check(_digits(exponent * math.log10(abs(base))))
    return base**exponent


def _evaluate(node: ast.AST) -> int | float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return _bounded(node.value)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_evaluate(node.operand))
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left, right = _evaluate(node.left), _evaluate(node.right)
        apply = _power if isinstance(node.op, ast.Pow) else _OPERATORS[type(node.op)]
        return _bounded(apply(left, right))
    raise ValueError("only numbers, + - * / // % ** and parentheses are allowed")


def evaluate(expression: str) -> str:
    """The value of an arithmetic expression as text; ValueError says what is wrong with it."""
    try:
        tree = ast.parse(expression.replace("^", "**"), mode="eval")
    except SyntaxError:
        raise ValueError(f"'{expression}' is not an arithmetic expression") from None
    try:
        value = _evaluate(tree.body)
    except OverflowError:  # a float out of range, or an int too large to become one
        raise ValueError("the result is too large for a decimal number") from None
    return str(int(value) if isinstance(value, float) and value.is_integer() else value)
