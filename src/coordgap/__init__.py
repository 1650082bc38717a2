"""coordgap: interagency coordination gap analysis.

Files -> validated models -> consultation engine -> findings -> reports.
The subpackages follow that flow: model (the records), io (reading and
writing files), engine (the consultation matrix), rules (rulebooks),
assess (cases and proposals), render (reports, SARIF) and cli.

What a user receives is exported here: the loaded records (`Case`,
`LoadedProposal`), the results (`Assessment`, `CheckResult`, `Finding`
with its `Severity` and `Responsible` organisations), the rulebooks
(`Rule`, `Rulebook`, `get_rulebook`, `rulebooks`) and the errors
(`CoordgapError`, the base of `InvalidInputError` and `UnusablePathError`).
"""

import sys as _sys
from types import ModuleType as _ModuleType

from ._version import __version__

# The public API, imported when first used: `import coordgap` stays light (pandas,
# pandera, DuckDB, pyarrow and networkx load only when something needs them).
_LAZY = {
    "Assessment": ".assess.case",
    "assess": ".assess.case",
    "evaluate": ".assess.case",
    "ConclusionResult": ".assess.conclusions",
    "Verdict": ".assess.conclusions",
    "check_conclusions": ".assess.conclusions",
    "CheckResult": ".assess.proposal",
    "check_proposal": ".assess.proposal",
    "consultation_matrix": ".engine",
    "CoordgapError": ".errors",
    "InvalidInputError": ".errors",
    "Problem": ".errors",
    "UnusablePathError": ".errors",
    "export_case": ".io.export",
    "ingest": None,  # the subpackage itself (callable: coordgap.ingest(sources, directory=..., out=...))
    "load_case": ".io.loader",
    "read_case": ".io.loader",
    "load_proposal": ".io.proposal",
    "read_proposal": ".io.proposal",
    "Case": ".model",
    "Finding": ".model",
    "FuzzyDate": ".model",
    "Severity": ".model",
    "Status": ".model",
    "Responsible": ".model.findings",
    "Role": ".model.findings",
    "LoadedProposal": ".model.proposal",
    "Proposal": ".model.proposal",
    "Rule": ".rules",
    "Rulebook": ".rules",
    "get_rulebook": ".rules",
    "rulebooks": ".rules",
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'coordgap' has no attribute {name!r}")
    from importlib import import_module

    module = _LAZY[name]
    value = import_module(f".{name}", __name__) if module is None else getattr(import_module(module, __name__), name)
    globals()[name] = value  # once found, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


class _Package(_ModuleType):
    """`coordgap.assess` is the function, as it always was, though a subpackage has the same
    name: importing the subpackage binds it here, so that binding is left out and the name
    keeps resolving to the function (`from coordgap.assess import case` still works, through
    sys.modules)."""

    def __setattr__(self, name: str, value) -> None:
        if isinstance(value, _ModuleType) and (_LAZY.get(name) or "").startswith(f".{name}."):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package

__all__ = [
    "Assessment",
    "Case",
    "CheckResult",
    "ConclusionResult",
    "CoordgapError",
    "Finding",
    "FuzzyDate",
    "InvalidInputError",
    "LoadedProposal",
    "Problem",
    "Proposal",
    "Responsible",
    "Role",
    "Rule",
    "Rulebook",
    "Severity",
    "Status",
    "UnusablePathError",
    "Verdict",
    "__version__",
    "assess",
    "check_conclusions",
    "check_proposal",
    "consultation_matrix",
    "evaluate",
    "export_case",
    "get_rulebook",
    "ingest",
    "load_case",
    "load_proposal",
    "read_case",
    "read_proposal",
    "rulebooks",
]
