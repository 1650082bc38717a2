"""coordgap: interagency coordination gap analysis.

Files -> validated models -> consultation engine -> findings -> reports.
The subpackages follow that flow: model (the records), io (reading and
writing files), engine (the consultation matrix), rules (rulebooks),
assess (cases and proposals), render (reports, SARIF) and cli.
"""

from ._version import __version__
from .assess.case import Assessment, assess, evaluate
from .assess.conclusions import ConclusionResult, Verdict, check_conclusions
from .assess.proposal import CheckResult, check_proposal
from .engine import consultation_matrix
from .errors import InvalidInputError, Problem, UnusablePathError
from .io.export import export_case
from .io.loader import load_case, read_case
from .io.proposal import load_proposal, read_proposal
from .model import Case, Finding, FuzzyDate, Severity, Status
from .model.proposal import LoadedProposal, Proposal

__all__ = [
    "Assessment",
    "Case",
    "CheckResult",
    "ConclusionResult",
    "Finding",
    "FuzzyDate",
    "InvalidInputError",
    "LoadedProposal",
    "Problem",
    "Proposal",
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
    "load_case",
    "load_proposal",
    "read_case",
    "read_proposal",
]
