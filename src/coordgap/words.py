"""Counted words, written once for every output (the reports, the accounting, `coordgap check`),
so no sentence says "1 days" or "1 of the 189 impacts were"."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 day', '2 days', '0 findings'; `many` for a word whose plural is not word + 's'."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def verb(n: int, one: str = "was", many: str = "were") -> str:
    """The verb that agrees with a count: 'was' for 1, 'were' otherwise (or the forms given)."""
    return one if n == 1 else many
