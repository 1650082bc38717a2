"""Does the case's own record bear out the oversight body's conclusions?

Each assertion of a conclusion (coordgap.model.conclusions) is checked
against the computed record: a cell assertion against the consultation
matrix, a finding assertion against the rulebook's findings, a figure against
its quotes. The verdict of a conclusion is **reproduced** when every
assertion holds, **not_reproduced** when none does, and **partly** otherwise,
with what was claimed and what the record shows side by side, each with its
evidence: the conclusion's quotes on one side, the contacts, findings or
quotes the record holds on the other. Used the other way round, an evaluator
writes a draft conclusion and sees whether the evidence carries it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ..model.case import Case, Status
from ..model.conclusions import Account, CellAssertion, Conclusion, FigureAssertion, FindingAssertion
from ..model.findings import EvidenceRef, evidence_refs
from .case import DEFAULT_RULEBOOK, Assessment, assess


class Verdict(StrEnum):
    reproduced = "reproduced"
    partly = "partly"
    not_reproduced = "not_reproduced"

    @property
    def words(self) -> str:
        return self.value.replace("_", " ")


@dataclass(frozen=True)
class AssertionResult:
    """One claim of a conclusion, and what the record shows for it."""

    kind: str  # cell, finding, figure
    holds: bool
    claim: str  # what the conclusion asserts, in words
    found: str  # what the record shows, in words
    record: tuple[str, ...]  # ids on the record's side: contacts, finding keys, evidence records
    evidence: tuple[EvidenceRef, ...]  # the record's quotes for it

    def as_dict(self) -> dict:
        return {"kind": self.kind, "holds": self.holds, "claim": self.claim, "found": self.found,
                "record": list(self.record), "evidence": [e.model_dump(mode="json") for e in self.evidence]}


@dataclass(frozen=True)
class ConclusionResult:
    conclusion: Conclusion
    verdict: Verdict
    results: tuple[AssertionResult, ...]
    evidence: tuple[EvidenceRef, ...]  # the conclusion's own quotes

    @property
    def failing(self) -> tuple[AssertionResult, ...]:
        return tuple(r for r in self.results if not r.holds)

    def as_dict(self) -> dict:
        c = self.conclusion
        return {"id": c.id, "statement": c.statement, "verdict": self.verdict.value,
                "holds": sum(r.holds for r in self.results), "assertions": len(self.results),
                "evidence": [e.model_dump(mode="json") for e in self.evidence],
                "results": [r.as_dict() for r in self.results]}


def verdict_of(results: Sequence[AssertionResult]) -> Verdict:
    held = sum(r.holds for r in results)
    if held == len(results):
        return Verdict.reproduced
    return Verdict.not_reproduced if held == 0 else Verdict.partly


class _Checker:
    """Indexes over the matrix and the findings, built once per case, so each assertion is a look-up."""

    def __init__(self, case: Case, assessment: Assessment):
        self.case = case
        self.a = assessment
        self.cells: dict[tuple[str, str], list] = defaultdict(list)
        for row in assessment.matrix.itertuples(index=False):
            self.cells[(row.decision, row.stakeholder)].append(row)
        self.rules = {r.code for r in assessment.rulebook.rules}

    def cell(self, a: CellAssertion) -> AssertionResult:
        allowed = [s.value for s in a.status]
        words = " or ".join(Status(s).words for s in allowed)
        topic = f" on {a.topic}" if a.topic else ""
        reading = "" if a.record is Account.undisputed else " (best account, disputed records included)"
        claim = f"{self.case.orgs[a.stakeholder].name} under {a.decision}{topic}: {words}{reading}"
        rows = [r for r in self.cells.get((a.decision, a.stakeholder), ()) if a.topic in (None, r.topic)]
        if not rows:
            return AssertionResult("cell", False, claim, f"no such impact in the case: {a.decision} does not affect "
                                   f"{a.stakeholder}{topic}", (), ())
        col = "undisputed_status" if a.record is Account.undisputed else "status"
        parts, contacts, holds = [], [], True
        for r in rows:
            status = getattr(r, col)
            holds &= status in allowed
            first = f"first contact {r.first_contact} ({r.first_contact_date})" if r.first_contact else ""
            if status != r.status:  # the best account rests on disputed records: say so, name them
                parts.append(f"{r.topic}: {Status(status).words} without the disputed records "
                             f"({Status(r.status).words} on the disputed account, {first})")
            else:
                parts.append(f"{r.topic}: {Status(status).words}" + (f", {first}" if first else ""))
            contacts += list(r.contacts)
        comms = [self.case.communication_index[c] for c in dict.fromkeys(contacts)]
        ev = evidence_refs(self.case, [(f"communication {c.id}", c.evidence) for c in comms])
        return AssertionResult("cell", holds, claim, "; ".join(parts), tuple(c.id for c in comms), ev)

    def finding(self, a: FindingAssertion) -> AssertionResult:
        keys = [(k, getattr(a, k)) for k in ("decision", "stakeholder", "interface") if getattr(a, k)]
        subject = ", ".join(f"{k} {v}" for k, v in keys) or "anywhere in the case"
        claim = f"{a.rule} {'finds a gap' if a.present else 'finds no gap'} for {subject}"
        if a.rule not in self.rules:
            return AssertionResult("finding", False, claim,
                                   f"rule {a.rule} is not in the rulebook {self.a.rulebook.name}", (), ())
        hits = [f for f in self.a.findings if f.rule == a.rule and all(getattr(f, k) == v for k, v in keys)]
        if hits:
            sup = sum(f.suppressed for f in hits)
            found = f"{len(hits)} finding{'s' if len(hits) != 1 else ''}" + (f" ({sup} suppressed)" if sup else "")
        else:
            found = "no finding"
        ev = tuple({e.id: e for f in hits for e in f.evidence}.values())
        return AssertionResult("finding", bool(hits) == a.present, claim, found, tuple(f.key for f in hits), ev)

    def figure(self, a: FigureAssertion) -> AssertionResult:
        claim = f"{a.label}: {a.value}"
        pattern = figure_pattern(a.value)
        quotes = [self.case.evidence_index[e] for e in a.evidence if e in self.case.evidence_index]
        hits = [e for e in quotes if pattern.search(e.quote)]
        refs = evidence_refs(self.case, [(f"figure {a.label}", [e.id for e in hits])])
        found = (f"stated in {', '.join(e.id for e in hits)}" if hits else
                 f"no quote of {', '.join(a.evidence)} states {a.value}")
        return AssertionResult("figure", bool(hits), claim, found, tuple(e.id for e in hits), refs)


def figure_pattern(value: int | float | str) -> re.Pattern:
    """The number as a quote would write it: 3000 matches '3000' and '3,000', not '13,000' or '3,0001'."""
    if isinstance(value, str):
        return re.compile(re.escape(value))
    text = f"{value:g}" if isinstance(value, float) else str(value)
    whole, _, frac = text.partition(".")
    sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
    groups = [digits[max(i - 3, 0):i] for i in range(len(digits), 0, -3)][::-1]
    body = re.escape(sign) + "(?:" + re.escape(digits) + "|" + ",".join(groups) + ")"
    if frac:
        body += re.escape("." + frac)
    return re.compile(rf"(?<![\d,.]){body}(?![\d]|[,.]\d)")


def check_conclusions(case: Case, assessment: Assessment | None = None,
                      conclusions: Iterable[Conclusion] | None = None,
                      rulebook: str = DEFAULT_RULEBOOK) -> list[ConclusionResult]:
    """The verdict on each conclusion (the case's own, or those given), in their order."""
    a = assessment if assessment is not None else assess(case, rulebook)
    x = _Checker(case, a)
    out = []
    for c in case.conclusions if conclusions is None else conclusions:
        results = tuple([*map(x.cell, c.asserts.cells), *map(x.finding, c.asserts.findings),
                         *map(x.figure, c.asserts.figures)])
        own = evidence_refs(case, [(f"conclusion {c.id}", c.evidence)])
        out.append(ConclusionResult(c, verdict_of(results), results, own))
    return out
