"""The review file: the ingested messages that earn a status for a decision, best first.

The statuses are the consultation matrix's own (the engine is run on the case
with the ingested communications), so what a reviewer confirms is exactly
what the report will say. Each row carries the machine-assigned kind and why,
the quote and the locator, for a person to confirm or change.
"""

from __future__ import annotations

import csv
from pathlib import Path

from dataclasses import replace

from ..model.case import STATUS_ORDER, Case
from .pipeline import UNKNOWN, Outcome
from .writer import evidence_rows

COLUMNS = ["decision", "impact", "stakeholder", "topic", "status", "communication", "date", "kind",
           "kind_reason", "sender", "recipients", "quote", "locator", "confirmed"]


def tables_with_ingested(case: Case, out: Outcome):
    """The engine's tables for the case plus the ingested communications, built straight from
    what the ingest holds (no record objects: at 200,000 messages those cost more than the matrix)."""
    import pyarrow as pa

    from ..engine.matrix import case_tables, day_number

    base = case_tables(case)
    orgs, parties = base.orgs, base.parties
    if UNKNOWN not in case.orgs:
        orgs = pa.concat_tables([orgs, pa.table({"id": [UNKNOWN], "parent": pa.array([None], pa.string())})])
        parties = pa.concat_tables([parties, pa.table({"party": [UNKNOWN], "org": [UNKNOWN]})])
    cs = out.comms
    days = [day_number(c.day) for c in cs]
    lst = pa.list_(pa.string())
    comms = pa.table({
        "comm": pa.array([c.id for c in cs], pa.string()),
        "date": pa.array([c.day.isoformat() for c in cs], pa.string()),
        "c_start": pa.array(days, pa.int32()),
        "c_end": pa.array(days, pa.int32()),
        "c_day": pa.array([True] * len(cs), pa.bool_()),
        "kind": pa.array([c.kind for c in cs], pa.string()),
        "sender": pa.array([c.sender for c in cs], pa.string()),
        "dispute": pa.array([None] * len(cs), pa.string()),
        "about_text": pa.array([False] * len(cs), pa.bool_()),  # an ingested message is not a decision's text
        "recipients": pa.array([list(c.recipients) for c in cs], lst),
        "topics": pa.array([list(c.topics) for c in cs], lst),
        "decisions": pa.array([list(c.decisions) for c in cs], lst),
        "responds_to": pa.array([list(c.responds_to) for c in cs], lst),
        "evidence": pa.array([[e[0] for e in evidence_rows(c)] for c in cs], lst),
    }).cast(base.comms.schema)
    return replace(base, orgs=orgs, parties=parties, comms=pa.concat_tables([base.comms, comms]))


def write_review(path: Path, case: Case, out: Outcome) -> Path:
    from ..engine.matrix import consultation_matrix

    by_id = {c.id: c for c in out.comms}
    matrix = consultation_matrix(tables_with_ingested(case, out))
    rank = {s.value: i for i, s in enumerate(STATUS_ORDER)}
    rows = []
    for r in matrix.itertuples(index=False):
        for cid in r.contacts:
            c = by_id.get(cid)
            if c is None:
                continue
            quote = c.topics.get(r.topic) or next(iter(c.topics.values()), c.quote)
            rows.append((rank.get(str(r.status), 99), r.decision, c.day, r.impact, [
                r.decision, r.impact, r.stakeholder, r.topic, str(r.status), c.id, c.day.isoformat(), c.kind,
                c.kind_reason, c.sender, ";".join(c.recipients), quote, c.locators[0].describe(), "",
            ]))
    rows.sort(key=lambda x: (x[1], x[3], x[0], x[2]))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(r[-1] for r in rows)
    return path
