"""The product's one rounding, in a module of its own so that the formatting of figures
(`domain.i18n`) can use it without importing the scoring; `scoring.round_half_up` is this."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def round_half_up(value: Fraction | Decimal | float | int | None, places: int = 2) -> float | None:
    """Round half-up to `places` decimals: THE rounding of every figure the product shows
    (Python's round() and Babel's number formatting round half to even). A float is taken
    as the decimal it prints as (2.675 → 2.68)."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    elif isinstance(value, float):
        exact = Decimal(repr(value))
    else:
        exact = Decimal(value)
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


__all__ = ["round_half_up"]
