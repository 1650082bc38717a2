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

from ._version import __version__
from .assess.case import Assessment, assess, evaluate
from .assess.conclusions import ConclusionResult, Verdict, check_conclusions
from .assess.proposal import CheckResult, check_proposal
from .engine import consultation_matrix
from .errors import CoordgapError, InvalidInputError, Problem, UnusablePathError
from .io.export import export_case
from . import ingest  # noqa: E402 - callable: coordgap.ingest(sources, directory=..., out=...)
from .io.loader import load_case, read_case
from .io.proposal import load_proposal, read_proposal
from .model import Case, Finding, FuzzyDate, Severity, Status
from .model.findings import Responsible, Role
from .model.proposal import LoadedProposal, Proposal
from .rules import Rule, Rulebook, get_rulebook, rulebooks

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
