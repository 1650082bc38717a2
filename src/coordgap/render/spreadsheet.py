"""CSV cells that a spreadsheet cannot run as formulas.

Following OWASP's guidance on CSV injection, a cell whose text begins with
`=`, `+`, `-`, `@`, a tab or a carriage return gets a single quote in front
(`=HYPERLINK(...)` is written `'=HYPERLINK(...)`), so a spreadsheet shows it
as text. A cell that is a plain number (`-3`, `+1.5`) is left as it is: a
spreadsheet reads it as that number, not as a formula. Only CSV output is
changed; JSON keeps every value as it is (docs/security.md).
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def neutralise(value):
    """A CSV cell a spreadsheet shows as text; anything that is not a string is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
