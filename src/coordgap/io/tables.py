"""The contract of each flat (CSV) table of a case folder, as pandera schemas.

Cells are read as text, so each schema checks what a cell may hold: an id, a
`;`-separated list of ids, one word from a vocabulary, a date, a number.
Checks are lazy, so one pass reports every bad cell of a table.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera import extensions
from pandera.typing import Series

from ..model import dates
from ..model.case import (
    ID_PATTERN,
    AgreementKind,
    Branch,
    Channel,
    DEFAULT_GRADE,
    CommKind,
    Grade,
    OrgKind,
    Presence,
)

_ID = ID_PATTERN.strip("^$")
ID_RE = rf"^{_ID}$"
OPTIONAL_ID_RE = rf"^(?:{_ID})?$"
IDS_RE = rf"^(?:{_ID}(?:;{_ID})*)?$"
NONEMPTY_IDS_RE = rf"^{_ID}(?:;{_ID})*$"
OPTIONAL_INT_RE = r"^(?:\d+)?$"


def _words(enum) -> list[str]:
    return [m.value for m in enum]


@extensions.register_check_method(statistics=["optional"], check_type="vectorized")
def fuzzy_date(series: pd.Series, *, optional: bool) -> pd.Series:
    """A date in the notation of docs/data-model.md; empty allowed when optional. Each
    distinct text is parsed once (a million messages fall on a few thousand dates)."""
    valid = {s: (optional and s == "") or dates.is_valid(s) for s in series.unique().tolist()}
    return series.map(valid).astype(bool)


def _field(**kw):
    """A text column; every column is read as str with empty meaning 'not given'."""
    return pa.Field(**kw)


class TableModel(pa.DataFrameModel):
    class Config:
        strict = True  # an unknown column is an error, not silently ignored
        coerce = False


class StakeholderTable(TableModel):
    id: Series[str] = _field(str_matches=ID_RE, unique=True)
    name: Series[str] = _field(str_length={"min_value": 1})
    parent: Series[str] = _field(str_matches=OPTIONAL_ID_RE)
    kind: Series[str] = _field(isin=_words(OrgKind))
    branch: Series[str] = _field(isin=_words(Branch))
    evidence: Series[str] = _field(str_matches=IDS_RE)


class ActorTable(TableModel):
    id: Series[str] = _field(str_matches=ID_RE, unique=True)
    name: Series[str] = _field(str_length={"min_value": 1})
    title: Series[str] = _field(str_length={"min_value": 1})
    organisation: Series[str] = _field(str_matches=ID_RE)
    tenure_start: Series[str] = _field(fuzzy_date={"optional": True})
    tenure_end: Series[str] = _field(fuzzy_date={"optional": True})
    evidence: Series[str] = _field(str_matches=IDS_RE)



class EvidenceTable(TableModel):
    id: Series[str] = _field(str_matches=ID_RE, unique=True)
    source: Series[str] = _field(str_matches=ID_RE)
    section: Series[str] = _field(str_length={"min_value": 1})
    footnote: Series[str] = _field(str_matches=OPTIONAL_INT_RE)
    quote: Series[str] = _field(str_length={"min_value": 1})
    grade: Series[str] = _field(isin=_words(Grade))


class CommunicationTable(TableModel):
    id: Series[str] = _field(str_matches=ID_RE, unique=True)
    date: Series[str] = _field(fuzzy_date={"optional": False})
    channel: Series[str] = _field(isin=_words(Channel))
    kind: Series[str] = _field(isin=_words(CommKind))
    sender: Series[str] = _field(str_matches=ID_RE)
    recipients: Series[str] = _field(str_matches=NONEMPTY_IDS_RE)
    topics: Series[str] = _field(str_matches=IDS_RE)
    about_text: Series[str] = _field(isin=["", "true", "false"])
    decisions: Series[str] = _field(str_matches=IDS_RE)
    responds_to: Series[str] = _field(str_matches=IDS_RE)
    dispute: Series[str] = _field(str_matches=OPTIONAL_ID_RE)
    summary: Series[str] = _field(str_length={"min_value": 1})
    evidence: Series[str] = _field(str_matches=NONEMPTY_IDS_RE)  # required (docs/data-model.md)



class ProcedureTable(TableModel):
    id: Series[str] = _field(str_matches=ID_RE, unique=True)
    organisation: Series[str] = _field(str_matches=ID_RE)
    title: Series[str] = _field(str_length={"min_value": 1})
    interfaces: Series[str] = _field(str_matches=IDS_RE)
    status: Series[str] = _field(isin=_words(Presence))
    in_effect: Series[str] = _field(fuzzy_date={"optional": True})
    role: Series[str] = _field()  # free text: the role the procedure gives its organisation
    evidence: Series[str] = _field(str_matches=IDS_RE)



class AgreementTable(TableModel):
    id: Series[str] = _field(str_matches=ID_RE, unique=True)
    title: Series[str] = _field(str_length={"min_value": 1})
    kind: Series[str] = _field(isin=_words(AgreementKind))
    parties: Series[str] = _field(str_matches=IDS_RE)
    interfaces: Series[str] = _field(str_matches=IDS_RE)
    status: Series[str] = _field(isin=_words(Presence))
    signed: Series[str] = _field(fuzzy_date={"optional": True})
    reviewed: Series[str] = _field(fuzzy_date={"optional": True})
    review_due: Series[str] = _field(fuzzy_date={"optional": True})
    superseded: Series[str] = _field(fuzzy_date={"optional": True})
    superseded_by: Series[str] = _field(str_matches=OPTIONAL_ID_RE)
    evidence: Series[str] = _field(str_matches=IDS_RE)



# file stem -> schema. Optional columns may be left out of a file; they read as empty.
TABLES: dict[str, type[TableModel]] = {
    "stakeholders": StakeholderTable,
    "actors": ActorTable,
    "evidence": EvidenceTable,
    "communications": CommunicationTable,
    "procedures": ProcedureTable,
    "agreements": AgreementTable,
}

OPTIONAL_COLUMNS: dict[str, set[str]] = {
    "stakeholders": {"parent", "evidence"},
    "actors": {"tenure_start", "tenure_end", "evidence"},
    "evidence": {"footnote", "grade"},
    "communications": {"topics", "about_text", "decisions", "responds_to", "dispute"},
    "procedures": {"interfaces", "in_effect", "evidence", "status", "role"},
    "agreements": {"parties", "interfaces", "signed", "evidence", "status", "kind",
                   "reviewed", "review_due", "superseded", "superseded_by"},
}

# Defaults for optional columns left empty (everything else empty means "not given").
DEFAULTS: dict[str, dict[str, str]] = {
    "evidence": {"grade": DEFAULT_GRADE.value},
    "procedures": {"status": "in_place"},
    "agreements": {"status": "in_place", "kind": "other"},
}
