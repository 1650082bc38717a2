"""Warnings about a case that loads: records that are valid but that the analysis cannot use,
and tables the case holds nothing in where the analysis needs them, so a user hears of them
from `coordgap validate` and from the report's method section instead of finding them missing
from the results."""

from __future__ import annotations

from ..model.case import Case


def _none_read(case: Case, table: str) -> bool:
    """The case holds no record of the table and rejected none either (rejections are problems)."""
    return not getattr(case, table) and not any(r.table == table for r in case.rejected)


def missing_table_warnings(case: Case, problems=()) -> list[str]:
    """One sentence per optional table that is missing or empty where its absence changes the results;
    none for a file a problem already names as missing (records name what it should hold)."""
    named = {p.file for p in problems if p.line is None and p.cause is None}
    out = []
    if _none_read(case, "decisions") and "decisions.yaml" not in named:
        out.append("decisions.yaml: the case has no decision (the file is missing or holds none), so the "
                   "consultation matrix is empty and no rule can find a gap in who was consulted")
    elif _none_read(case, "communications"):
        out.append("communications: the case has no communication (no communications.csv, communications/ "
                   "folder or communications.parquet, or it holds none), so no stakeholder was told of any "
                   "decision: every cell of the consultation matrix is `none`")
    if _none_read(case, "evidence") and "evidence.csv" not in named:
        out.append("evidence.csv: the case has no evidence record (the file is missing or holds none), so no "
                   "status or finding rests on a quote from the source")
    if case.interfaces and _none_read(case, "procedures") and "procedures.csv" not in named:
        out.append("procedures.csv: the case has no procedure (the file is missing or holds none), so every "
                   "party of an interface reads as having no procedure for it")
    if any(len(i.parties) > 1 for i in case.interfaces) and _none_read(case, "agreements") \
            and "agreements.csv" not in named:
        out.append("agreements.csv: the case has no agreement (the file is missing or holds none), so every "
                   "interface between two or more parties reads as covered by no agreement")
    return out


def case_warnings(case: Case, problems=()) -> list[str]:
    """One sentence per thing the analysis will pass over: an optional table it needs that is
    missing or empty (see missing_table_warnings), a decision with no impacts."""
    return [*missing_table_warnings(case, problems),
            *(f"decisions.yaml: [{d.id}] has no impacts, so it has no row in the consultation matrix and no "
              f"rule can find a gap in who was consulted about it (list whom it affects under `impacts`)"
              for d in sorted(case.decisions, key=lambda d: d.id) if not d.impacts)]
