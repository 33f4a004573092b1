"""How a figure is shown as a whole number: rounded half up, everywhere (tiles, tables, sentences, exports).

54.5 reads 55, as a teacher rounds by hand and as the browser's ``Math.round`` does. Python's ``round`` and
``f"{x:.0f}"`` round a half to the even neighbour, so the same 76.5 once read 76 in a sentence and 77 in a tile.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def whole(value: float) -> int:
    """*value* rounded half up to a whole number (repr keeps the float's shortest decimal: 54.5, not 54.4999…)."""
    return int(Decimal(repr(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
