"""The review file: the ingested messages that earn a status for a decision, best first.

The statuses are the consultation matrix's own (the engine is run on the case
with the ingested communications), so what a reviewer confirms is exactly
what the report will say. Each row carries the machine-assigned kind and why,
the quote and the locator, for a person to confirm or change.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..model.case import STATUS_ORDER, Case, Channel, CommKind, Communication, Stakeholder
from ..model.dates import FuzzyDate
from .pipeline import UNKNOWN, Outcome
from .writer import evidence_rows, summary

COLUMNS = ["decision", "impact", "stakeholder", "topic", "status", "communication", "date", "kind",
           "kind_reason", "sender", "recipients", "quote", "locator", "confirmed"]


def with_ingested(case: Case, out: Outcome) -> Case:
    """The case plus the ingested communications (built valid, so not validated again)."""
    comms = [
        Communication.model_construct(
            id=c.id, date=FuzzyDate(c.day.isoformat()), channel=Channel(c.channel), kind=CommKind(c.kind),
            sender=c.sender, recipients=c.recipients, topics=tuple(c.topics), decisions=c.decisions,
            responds_to=c.responds_to, dispute=None, summary=summary(c),
            evidence=tuple(e[0] for e in evidence_rows(c)),
        )
        for c in out.comms
    ]
    orgs = case.stakeholders
    if UNKNOWN not in case.orgs:
        orgs = (*orgs, Stakeholder(id=UNKNOWN, name="Unknown party", kind="other", branch="non_governmental"))
    fields = {name: getattr(case, name) for name in Case.model_fields}
    fields.update(stakeholders=orgs, communications=(*case.communications, *comms))
    return Case.model_construct(**fields)


def write_review(path: Path, case: Case, out: Outcome) -> Path:
    from ..engine.matrix import consultation_matrix

    by_id = {c.id: c for c in out.comms}
    matrix = consultation_matrix(with_ingested(case, out))
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
