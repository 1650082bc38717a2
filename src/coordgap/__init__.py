"""coordgap: interagency coordination gap analysis.

Files -> validated models -> consultation engine -> findings -> reports.
The subpackages follow that flow: model (the records), io (reading and
writing files), engine (the consultation matrix), rules (rulebooks),
assess (cases and proposals), render (reports, SARIF) and cli.
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
    "CheckResult": ".assess.proposal",
    "check_proposal": ".assess.proposal",
    "consultation_matrix": ".engine",
    "InvalidInputError": ".errors",
    "Problem": ".errors",
    "UnusablePathError": ".errors",
    "export_case": ".io.export",
    "load_case": ".io.loader",
    "read_case": ".io.loader",
    "load_proposal": ".io.proposal",
    "read_proposal": ".io.proposal",
    "Case": ".model",
    "Finding": ".model",
    "FuzzyDate": ".model",
    "Severity": ".model",
    "Status": ".model",
    "LoadedProposal": ".model.proposal",
    "Proposal": ".model.proposal",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'coordgap' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module, __name__), name)
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
        if isinstance(value, _ModuleType) and _LAZY.get(name, "").startswith(f".{name}."):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package


__all__ = [
    "Assessment",
    "Case",
    "CheckResult",
    "Finding",
    "FuzzyDate",
    "InvalidInputError",
    "LoadedProposal",
    "Problem",
    "Proposal",
    "Severity",
    "Status",
    "UnusablePathError",
    "__version__",
    "assess",
    "check_proposal",
    "consultation_matrix",
    "evaluate",
    "export_case",
    "load_case",
    "load_proposal",
    "read_case",
    "read_proposal",
]
