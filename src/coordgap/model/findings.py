"""The findings a rule reports: what gap, how serious, and the evidence it rests on."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from .case import Case, Suppression


class Severity(StrEnum):
    """How serious a gap is, worst first. How each rule sets it: docs/rules/."""

    high = "high"
    medium = "medium"
    low = "low"

    @property
    def rank(self) -> int:
        """0 for the worst."""
        return list(Severity).index(self)


class Role(StrEnum):
    """How an organisation stands behind a decision, and so why it owed coordination."""

    decided = "decided"  # made the decision (a decision's `decided_by`, a proposal's issuing office)
    acting_for = "acting_for"  # drafted, vetted or announced it for the maker
    urged = "urged"  # urged the maker to decide it

    @property
    def words(self) -> str:
        return {"decided": "decided", "acting_for": "acted for", "urged": "urged"}[self.value]


class Responsible(BaseModel):
    """An organisation that owed the coordination a finding says was missing, with its role."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    organisation: str
    role: Role
    name: str = ""  # the organisation's name as the case gives it


class EvidenceRef(BaseModel):
    """One evidence record a finding rests on: the verbatim quote, where it is, and what it backs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    source: str
    section: str
    footnote: int | None = None
    quote: str
    grade: str = "primary"  # the record's evidence grade (docs/data-model.md, "Evidence grades")
    supports: tuple[str, ...] = ()  # the records it is evidence for, e.g. "communication c-1"


class Finding(BaseModel):
    """One gap: a rule broken for a decision and a stakeholder (and impact or interface)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str
    decision: str | None = None
    stakeholder: str | None = None
    impact: str | None = None
    interface: str | None = None
    collaboration: str | None = None  # GAO practices: the collaborative mechanism judged
    status: str
    severity: Severity
    message: str
    parties: tuple[str, ...] = ()  # OIG-R3: who would have to be party to the agreement
    disputed: bool = False
    lead_time_days: int | None = None
    required_lead_days: int | None = None
    # the grade of evidence the status rests on (docs/data-model.md, "Evidence grades"): set by
    # rules that judge a matrix cell; None when nothing earned a status or there is no evidence
    grade: str | None = None
    evidence: tuple[EvidenceRef, ...] = ()
    # who owed the coordination: the decision's maker, those acting for it, those that urged it
    responsible: tuple[Responsible, ...] = ()
    suppression: Suppression | None = None

    @property
    def key(self) -> str:
        """A stable identifier: rule, decision and the subject, joined by '/'."""
        parts = [self.rule, self.decision, self.impact or self.interface or self.collaboration, self.stakeholder]
        return "/".join(p for p in parts if p)

    @property
    def suppressed(self) -> bool:
        return self.suppression is not None

    @property
    def responsible_text(self) -> str:
        """Who owed the coordination, in words: 'U.S. Department of Homeland Security (decided),
        Office of the Attorney General (urged)'."""
        return ", ".join(f"{r.name or r.organisation} ({r.role.words})" for r in self.responsible)

    def as_dict(self) -> dict:
        data = self.model_dump(mode="json")
        data["key"] = self.key
        data["suppressed"] = self.suppressed
        return data


def evidence_refs(case: Case, cited: Iterable[tuple[str, Iterable[str]]]) -> tuple[EvidenceRef, ...]:
    """Evidence records for (record label, evidence ids) pairs, each record once, in first-cited order.

    `cited` is e.g. [("decision d-1", d.evidence), ("communication c-2", c.evidence)]; an
    evidence record cited by several of them lists them all in `supports`.
    """
    order: list[str] = []
    supports: dict[str, list[str]] = {}
    for label, ids in cited:
        for ev_id in ids:
            if ev_id not in supports:
                order.append(ev_id)
                supports[ev_id] = []
            if label not in supports[ev_id]:
                supports[ev_id].append(label)
    out = []
    for ev_id in order:
        ev = case.evidence_index.get(ev_id)
        if ev is None:  # a lenient case may have lost it to a rejection; never invent a quote
            continue
        out.append(EvidenceRef(id=ev.id, source=ev.source, section=ev.section, footnote=ev.footnote,
                               quote=ev.quote, grade=ev.grade.value, supports=tuple(supports[ev_id])))
    return tuple(out)
