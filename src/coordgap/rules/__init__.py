"""Rulebooks: named lists of rules, each rule with a stable code.

A rulebook is registered under its name; `get_rulebook("oig-21-028")`
returns the three recommendations of DOJ OIG report 21-028, `get_rulebook("gao-23-105520")`
GAO's eight leading practices for interagency collaboration. Another
rulebook (another report's recommendations, an agency's own policy) is a
`Rulebook` of `Rule`s passed to `register_rulebook`; see docs/rules/.
"""

from __future__ import annotations

from .base import Quote, Rule, Rulebook, ScopeNote, SourceDocument
from .gao_23_105520 import RULEBOOK as GAO_23_105520
from .oig_21_028 import RULEBOOK as OIG_21_028

RULEBOOKS: dict[str, Rulebook] = {}


def register_rulebook(rulebook: Rulebook) -> Rulebook:
    """Make a rulebook available by name; codes must be unique within it."""
    codes = [r.code for r in rulebook.rules]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValueError(f"rulebook {rulebook.name!r} repeats rule codes {duplicates}")
    if rulebook.name in RULEBOOKS and RULEBOOKS[rulebook.name] is not rulebook:
        raise ValueError(f"a different rulebook is already registered as {rulebook.name!r}")
    RULEBOOKS[rulebook.name] = rulebook
    return rulebook


def get_rulebook(name: str) -> Rulebook:
    try:
        return RULEBOOKS[name]
    except KeyError:
        known = ", ".join(sorted(RULEBOOKS)) or "none"
        raise KeyError(f"no rulebook named {name!r} (known: {known})") from None


def all_rules() -> list[Rule]:
    return [rule for book in RULEBOOKS.values() for rule in book.rules]


register_rulebook(OIG_21_028)
register_rulebook(GAO_23_105520)

__all__ = [
    "GAO_23_105520",
    "OIG_21_028",
    "RULEBOOKS",
    "Quote",
    "Rule",
    "Rulebook",
    "ScopeNote",
    "SourceDocument",
    "all_rules",
    "get_rulebook",
    "register_rulebook",
]
