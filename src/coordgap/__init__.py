"""coordgap: interagency coordination gap analysis.

Files -> validated models -> consultation engine -> findings -> reports.
"""

from importlib.metadata import PackageNotFoundError, version

from .dates import FuzzyDate
from .engine import consultation_matrix
from .errors import InvalidInputError, Problem, UnusablePathError
from .export import export_case
from .loader import load_case, read_case
from .model import Case, Status

try:
    __version__ = version("coordgap")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+source"

__all__ = [
    "Case",
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
