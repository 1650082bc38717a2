"""The whole validated case as one JSON document."""

from __future__ import annotations

import json

from ..model.case import Case


def export_case(case: Case) -> dict:
    """A plain-data copy of the case (dates as the text they were written with)."""
    return case.model_dump(mode="json")


def export_case_json(case: Case) -> str:
    return json.dumps(export_case(case), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
