"""What a rule and a rulebook are, and small helpers the rules share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..model.case import Case, Interface
from ..model.dates import FuzzyDate, Timing
from ..model.findings import Finding


def in_effect_by(when: FuzzyDate, start: FuzzyDate) -> str:
    """Whether something dated `when` (a procedure taking effect, an agreement signed) was in
    effect by `start`: 'ok', 'late', or 'undetermined' when the two dates' precision cannot
    tell. Shared by OIG-R2, OIG-R3 and the pre-rollout check; each decides for itself what a
    missing date means."""
    t = when.timing(start)
    if t in (Timing.before, Timing.same_day):
        return "ok"
    return "late" if t is Timing.after else "undetermined"


def interfaces_in_scope(case: Case, scope: Callable[[Case], list[ScopeNote]]) -> list[Interface]:
    """The interfaces a rule's scope says it applies to, in id order."""
    applies = {n.id for n in scope(case) if n.applies and n.subject == "interface"}
    return [i for i in sorted(case.interfaces, key=lambda i: i.id) if i.id in applies]


@dataclass(frozen=True)
class SourceDocument:
    """The document a rulebook's rules come from."""

    id: str
    title: str
    number: str
    publisher: str
    date: str


@dataclass(frozen=True)
class Quote:
    """A recommendation quoted verbatim, with where it is in its source document."""

    text: str
    source: str  # a SourceDocument id
    section: str  # the heading path down to the quote
    locator: str  # where under that heading, e.g. "recommendation 1"


@dataclass(frozen=True)
class ScopeNote:
    """Whether a rule applies to one decision or interface, and why, in words."""

    subject: str  # "decision" or "interface"
    id: str
    applies: bool
    reason: str


@dataclass(frozen=True)
class Rule:
    code: str  # stable: never reused for another meaning
    title: str
    recommendation: Quote
    rationale: str
    check: Callable[[Case, pd.DataFrame], list[Finding]]  # (case, consultation matrix) -> findings
    scope: Callable[[Case], list[ScopeNote]]  # where the rule applies, and why
    doc: str  # the rule's page, relative to the repository root


@dataclass(frozen=True)
class Rulebook:
    """A named list of rules, usually the recommendations of one report."""

    name: str
    title: str
    source: SourceDocument
    rules: tuple[Rule, ...]

    def rule(self, code: str) -> Rule:
        for r in self.rules:
            if r.code == code:
                return r
        raise KeyError(f"rulebook {self.name!r} has no rule {code!r}")


# ---------------------------------------------------------------- helpers
def name_of(case: Case, party: str) -> str:
    """An organisation's or actor's name as the case gives it."""
    if party in case.orgs:
        return case.orgs[party].name
    if party in case.actor_index:
        return case.actor_index[party].name
    return party


def names(case: Case, parties) -> str:
    """'A', 'A and B', 'A, B and C'."""
    items = [name_of(case, p) for p in parties]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def minimal_parties(case: Case, parties) -> list[str]:
    """The parties not below another of them: binding these binds every party."""
    return [p for p in parties if not any(q != p and case.is_within(p, q) for q in parties)]


def creating_decision(case: Case, decision_ids) -> str | None:
    """Of the decisions that create an interface, the earliest (then by id)."""
    ds = [case.decision_index[d] for d in decision_ids if d in case.decision_index]
    if not ds:
        return None
    return min(ds, key=lambda d: (d.date.start, d.date.end, d.id)).id


def covers(case: Case, holder: str, party: str) -> bool:
    """A record held by an organisation covers the party when it is that party or above it in the tree."""
    return case.is_within(party, holder)
