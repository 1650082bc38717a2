"""Findings: the gaps a rulebook finds in a case, each with the evidence it rests on.

`evaluate(case)` runs a rulebook (by default `oig-21-028`, the three
recommendations of DOJ OIG report 21-028) over a case and its consultation
matrix and returns every finding, sorted. A finding the case owner has
accepted (a `suppressions` entry in case.yaml, with its justification) is
still returned, with `suppression` set: it is never silently gone.
`assess(case)` returns the same findings with what the reports also need:
which decisions and interfaces each rule applied to, and which suppression
matched which finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import pandas as pd
from pydantic import BaseModel, ConfigDict

from .engine import consultation_matrix
from .model import Case, Suppression

if TYPE_CHECKING:
    from .rules.base import Rulebook, ScopeNote

DEFAULT_RULEBOOK = "oig-21-028"


class Severity(StrEnum):
    """How serious a gap is, worst first. How each rule sets it: docs/rules/."""

    high = "high"
    medium = "medium"
    low = "low"

    @property
    def rank(self) -> int:
        """0 for the worst."""
        return list(Severity).index(self)


class EvidenceRef(BaseModel):
    """One evidence record a finding rests on: the verbatim quote, where it is, and what it backs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    source: str
    section: str
    footnote: int | None = None
    quote: str
    supports: tuple[str, ...] = ()  # the records it is evidence for, e.g. "communication c-1"


class Finding(BaseModel):
    """One gap: a rule broken for a decision and a stakeholder (and impact or interface)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str
    decision: str | None = None
    stakeholder: str | None = None
    impact: str | None = None
    interface: str | None = None
    status: str
    severity: Severity
    message: str
    parties: tuple[str, ...] = ()  # OIG-R3: who would have to be party to the agreement
    disputed: bool = False
    lead_time_days: int | None = None
    required_lead_days: int | None = None
    evidence: tuple[EvidenceRef, ...] = ()
    suppression: Suppression | None = None

    @property
    def key(self) -> str:
        """A stable identifier: rule, decision and the subject, joined by '/'."""
        parts = [self.rule, self.decision, self.impact or self.interface, self.stakeholder]
        return "/".join(p for p in parts if p)

    @property
    def suppressed(self) -> bool:
        return self.suppression is not None

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
                               quote=ev.quote, supports=tuple(supports[ev_id])))
    return tuple(out)


# ---------------------------------------------------------------- suppressions
def suppression_matches(s: Suppression, f: Finding) -> bool:
    """A suppression matches a finding of its rule when every field it names is equal."""
    if s.rule != f.rule:
        return False
    return all(want is None or want == got for want, got in (
        (s.decision, f.decision), (s.stakeholder, f.stakeholder), (s.impact, f.impact)))


def apply_suppressions(findings: Sequence[Finding], suppressions: Sequence[Suppression]) -> list[Finding]:
    """The findings with `suppression` set on those the first matching suppression covers."""
    out = []
    for f in findings:
        s = next((s for s in suppressions if suppression_matches(s, f)), None)
        out.append(f.model_copy(update={"suppression": s}) if s is not None else f)
    return out


# ---------------------------------------------------------------- evaluation
@dataclass(frozen=True)
class SuppressionUse:
    suppression: Suppression
    findings: tuple[str, ...]  # keys of the findings it suppressed; empty means it matched none


@dataclass(frozen=True)
class Assessment:
    """A rulebook run over a case: the findings and what the reports need around them."""

    rulebook: "Rulebook"
    matrix: pd.DataFrame
    findings: tuple[Finding, ...]
    scope: dict[str, tuple["ScopeNote", ...]]  # rule code -> where the rule applied, and why
    suppressions: tuple[SuppressionUse, ...]

    @property
    def active(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.suppressed)

    @property
    def suppressed(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.suppressed)


def _sort_key(rule_order: dict[str, int]):
    def key(f: Finding):
        return (rule_order.get(f.rule, len(rule_order)), f.rule, f.decision or "", f.impact or "",
                f.interface or "", f.stakeholder or "")
    return key


def assess(case: Case, rulebook: "str | Rulebook" = DEFAULT_RULEBOOK, matrix: pd.DataFrame | None = None) -> Assessment:
    """Run every rule of a rulebook over a case; see evaluate()."""
    from .rules import get_rulebook

    book = get_rulebook(rulebook) if isinstance(rulebook, str) else rulebook
    if matrix is None:
        matrix = consultation_matrix(case)
    raw: list[Finding] = []
    for rule in book.rules:
        raw.extend(rule.check(case, matrix))
    order = {r.code: i for i, r in enumerate(book.rules)}
    findings = sorted(apply_suppressions(raw, case.meta.suppressions), key=_sort_key(order))
    sups = case.meta.suppressions
    first = {f.key: next((i for i, s in enumerate(sups) if suppression_matches(s, f)), None) for f in findings}
    uses = tuple(SuppressionUse(s, tuple(k for k, i in first.items() if i == n)) for n, s in enumerate(sups))
    scope = {rule.code: tuple(rule.scope(case)) for rule in book.rules}
    return Assessment(rulebook=book, matrix=matrix, findings=tuple(findings), scope=scope, suppressions=uses)


def evaluate(case: Case, rulebook: "str | Rulebook" = DEFAULT_RULEBOOK, matrix: pd.DataFrame | None = None) -> list[Finding]:
    """Every finding of a rulebook for a case, suppressed ones included (with `suppression` set).

    `matrix` is the case's consultation matrix, computed when not given.
    Findings are sorted by the rule's place in the rulebook, then decision,
    impact or interface, and stakeholder.
    """
    return list(assess(case, rulebook, matrix).findings)
