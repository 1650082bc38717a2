"""Warnings about a case that loads: records that are valid but that the analysis cannot use,
so a user hears of them from `coordgap validate` instead of finding them missing from a report."""

from __future__ import annotations

from ..model.case import Case


def case_warnings(case: Case) -> list[str]:
    """One sentence per valid record the analysis will pass over (today: decisions with no impacts)."""
    return [f"decisions.yaml: [{d.id}] has no impacts, so it has no row in the consultation matrix and no "
            f"rule can find a gap in who was consulted about it (list whom it affects under `impacts`)"
            for d in sorted(case.decisions, key=lambda d: d.id) if not d.impacts]
