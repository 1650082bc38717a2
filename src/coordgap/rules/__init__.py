"""Rulebooks: named, versioned lists of rules, each rule with a stable code.

`get_rulebook("oig-21-028")` returns the three recommendations of DOJ OIG
report 21-028; `get_rulebook("gao-23-105520")` GAO's eight leading practices
for interagency collaboration (GAO-23-105520). Rulebooks come from three places, looked up in this order:

1. the built-in ones (`BUILTIN`, "module:attribute" strings);
2. installed plugins: any distribution declaring an entry point in the
   group `coordgap.rulebooks` whose object is a `Rulebook` (or a callable
   returning one), e.g. in its pyproject.toml::

       [project.entry-points."coordgap.rulebooks"]
       my-book = "my_package.rules:RULEBOOK"

3. `register_rulebook(book)` at run time.

docs/rules/index.md ("Writing a rulebook") shows a whole plugin.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points

from .base import Quote, Rule, Rulebook, ScopeNote, SourceDocument, StatusDef
from .questions import CellQ, DecisionQ, InterfaceQ, Questions, RecordQ
from .run import RuleRun, run_rulebooks

ENTRY_POINT_GROUP = "coordgap.rulebooks"
DEFAULT_RULEBOOK = "oig-21-028"
# Built-in rulebooks, as "module:attribute"; a new built-in rulebook adds one line here.
BUILTIN: tuple[str, ...] = (
    "coordgap.rules.oig_21_028:RULEBOOK",
    "coordgap.rules.gao_23_105520:RULEBOOK",
)

RULEBOOKS: dict[str, Rulebook] = {}
_plugins_loaded = False


def _load(ref: str) -> object:
    module, _, attr = ref.partition(":")
    obj = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def _as_rulebook(obj: object, origin: str) -> Rulebook:
    if callable(obj) and not isinstance(obj, Rulebook):
        obj = obj()
    if not isinstance(obj, Rulebook):
        raise TypeError(f"{origin} is not a coordgap Rulebook (got {type(obj).__name__})")
    return obj


def register_rulebook(rulebook: Rulebook) -> Rulebook:
    """Make a rulebook available by name; codes must be unique within it and across rulebooks."""
    codes = [r.code for r in rulebook.rules]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValueError(f"rulebook {rulebook.name!r} repeats rule codes {duplicates}")
    if rulebook.name in RULEBOOKS and RULEBOOKS[rulebook.name] is not rulebook:
        raise ValueError(f"a different rulebook is already registered as {rulebook.name!r}")
    for other in RULEBOOKS.values():
        shared = sorted(set(codes) & set(other.codes)) if other.name != rulebook.name else []
        if shared:
            raise ValueError(f"rulebook {rulebook.name!r} reuses rule codes {shared} of {other.name!r}")
    RULEBOOKS[rulebook.name] = rulebook
    return rulebook


def load_plugins(force: bool = False) -> list[str]:
    """Register the built-in rulebooks and every installed `coordgap.rulebooks` entry point
    (once; `force` looks again). Returns the names registered by this call."""
    global _plugins_loaded
    if _plugins_loaded and not force:
        return []
    _plugins_loaded = True
    added = []
    for ref in BUILTIN:
        book = _as_rulebook(_load(ref), ref)
        if book.name not in RULEBOOKS:
            added.append(register_rulebook(book).name)
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        book = _as_rulebook(ep.load(), f"entry point {ep.name!r} ({ep.value})")
        if RULEBOOKS.get(book.name) is book:
            continue
        added.append(register_rulebook(book).name)
    return added


def rulebooks() -> dict[str, Rulebook]:
    """Every available rulebook by name (built-in, plugins, registered)."""
    load_plugins()
    return dict(sorted(RULEBOOKS.items()))


def get_rulebook(name: "str | Rulebook") -> Rulebook:
    if isinstance(name, Rulebook):
        return name
    load_plugins()
    try:
        return RULEBOOKS[name]
    except KeyError:
        from ..io.bundled import did_you_mean

        known = ", ".join(sorted(RULEBOOKS)) or "none"
        raise KeyError(f"no rulebook named {name!r}{did_you_mean(str(name), sorted(RULEBOOKS))} "
                       f"(known: {known})") from None


def get_rulebooks(names: "str | Rulebook | list | tuple | None") -> tuple[Rulebook, ...]:
    """Rulebooks by name (one, several, or None for the default), in the order given."""
    if names is None or (isinstance(names, (list, tuple)) and not names):
        names = [DEFAULT_RULEBOOK]
    if isinstance(names, (str, Rulebook)):
        names = [names]
    out: list[Rulebook] = []
    for n in names:
        book = get_rulebook(n)
        if book not in out:
            out.append(book)
    return tuple(out)


def all_rules() -> list[Rule]:
    return [rule for book in rulebooks().values() for rule in book.rules]


def find_rule(code: str) -> Rule:
    """A rule by its code, in any rulebook."""
    for rule in all_rules():
        if rule.code == code:
            return rule
    raise KeyError(f"no rule {code!r} in any rulebook")


__all__ = [
    "BUILTIN",
    "CellQ",
    "DEFAULT_RULEBOOK",
    "DecisionQ",
    "ENTRY_POINT_GROUP",
    "InterfaceQ",
    "Questions",
    "Quote",
    "RULEBOOKS",
    "RecordQ",
    "Rule",
    "RuleRun",
    "Rulebook",
    "ScopeNote",
    "SourceDocument",
    "StatusDef",
    "all_rules",
    "find_rule",
    "get_rulebook",
    "get_rulebooks",
    "load_plugins",
    "register_rulebook",
    "rulebooks",
    "run_rulebooks",
]
