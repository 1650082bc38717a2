"""coordgap: interagency coordination gap analysis.

Files -> validated models -> consultation engine -> findings -> reports.
"""

from importlib.metadata import PackageNotFoundError, version

from .check import CheckResult, check_proposal
from .dates import FuzzyDate
from .engine import consultation_matrix
from .errors import InvalidInputError, Problem, UnusablePathError
from .export import export_case
from .findings import Finding, assess, evaluate
from .loader import load_case, read_case
from .model import Case, Status
from .proposal import Proposal, load_proposal, read_proposal

try:
    __version__ = version("coordgap")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+source"

__all__ = [
    "Case",
    "CheckResult",
    "Finding",
    "Proposal",
    "assess",
    "check_proposal",
    "evaluate",
    "load_proposal",
    "read_proposal",
    "FuzzyDate",
    "InvalidInputError",
    "Problem",
    "Status",
    "UnusablePathError",
    "consultation_matrix",
    "export_case",
    "load_case",
    "read_case",
    "__version__",
]
