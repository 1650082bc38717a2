"""The consultation engine: from a case's records to the status of every (decision, stakeholder,
impact) cell. It knows nothing of files, rules or templates."""

from .matrix import (
    COLUMNS,
    LIST_COLUMNS,
    CaseTables,
    case_tables,
    consultation_matrix,
    matrix_from_tables,
)

__all__ = ["COLUMNS", "LIST_COLUMNS", "CaseTables", "case_tables", "consultation_matrix", "matrix_from_tables"]
