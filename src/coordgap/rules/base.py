"""What a rule and a rulebook are.

A `Rule` is written once and runs on a case and on a proposal alike: its
`scope` and `check` read neutral `Questions` (coordgap.rules.questions),
never a case folder or a proposal file. A new rule needs its module (a
`RULE = Rule(...)`), an entry in its rulebook's `rules`, and its test; the
docs page (docs/rules/<code>.md), the SARIF descriptors, `coordgap rules`,
`findings`, `report` and `check` all follow from the object.
docs/rules/index.md ("Writing a rulebook") walks through one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..model.findings import Finding, Severity
from .questions import Questions


@dataclass(frozen=True)
class SourceDocument:
    """The document a rulebook's rules come from."""

    id: str
    title: str
    number: str
    publisher: str
    date: str
    url: str = ""


@dataclass(frozen=True)
class Quote:
    """The words a rule comes from, verbatim, with where they are in the source document."""

    text: str
    source: str  # a SourceDocument id
    section: str  # the heading path down to the quote
    locator: str  # where under that heading, e.g. "recommendation 1"


@dataclass(frozen=True)
class StatusDef:
    """One kind of finding a rule makes: its status, its severity, and what it means in a sentence."""

    name: str
    severity: Severity
    sentence: str


@dataclass(frozen=True)
class ScopeNote:
    """Whether a rule applies to one decision, interface or stakeholder, and why, in words.

    `within` is the decision or interface a stakeholder note is about (None
    for a decision or an interface). A note with `applies=False` puts its
    subject outside the rule: it is listed with its reason, never dropped.
    """

    subject: str  # "decision", "interface" or "stakeholder"
    id: str
    applies: bool
    reason: str
    within: str | None = None


def everything(q: Questions) -> list[ScopeNote]:
    """The default scope: the rule applies wherever it finds something to check."""
    return []


@dataclass(frozen=True)
class Rule:
    """A check with a stable code, the words it comes from, and the kinds of findings it makes.

    * `scope(q)` returns ScopeNotes: what the rule's own words leave out (and,
      usefully, what they include), as predicates over `q.tree`, never names.
    * `check(q)` sees only what the scope leaves in (cells and interfaces outside
      are removed, as are interface parties outside) and returns Findings, built
      with `rule.finding(...)` so code, severity and `responsible` are filled in.
    """

    code: str  # stable: never reused for another meaning
    title: str
    source_quote: Quote
    rationale: str  # why it matters, in a few sentences
    statuses: tuple[StatusDef, ...]  # every status its findings can carry, worst first
    check: Callable[[Questions], Iterable[Finding]]
    scope: Callable[[Questions], Iterable[ScopeNote]] = everything
    what: str = ""  # what it checks (Markdown), for its docs page
    how: str = ""  # how it is evaluated (Markdown), for its docs page
    example: str = ""  # the example on its docs page (Markdown), before the findings it shows
    examples: tuple[str, ...] = ()  # finding keys on the example case shown on its docs page
    doc: str = ""  # its docs page, relative to the repository root; default docs/rules/<code>.md
    # codes of rules (in other rulebooks) that ask the same question: a finding of each on the same
    # subject with the same status is one gap, shown once with both rules (coordgap.assess.overlap)
    same_as: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        names = [s.name for s in self.statuses]
        if len(set(names)) != len(names):
            raise ValueError(f"rule {self.code} repeats a status")
        if not self.doc:
            object.__setattr__(self, "doc", f"docs/rules/{self.code}.md")

    @property
    def recommendation(self) -> Quote:
        """The source quote (the name used before rules could come from any document)."""
        return self.source_quote

    def status(self, name: str) -> StatusDef:
        for s in self.statuses:
            if s.name == name:
                return s
        raise KeyError(f"rule {self.code} has no status {name!r}")

    def finding(self, q: Questions, status: str, *, severity: Severity | None = None, cited=(),
                **fields) -> Finding:
        """A Finding of this rule: severity from the status unless given, `responsible` from the
        decision, evidence from `cited` ((record label, evidence ids) pairs)."""
        sev = severity if severity is not None else self.status(status).severity
        fields.setdefault("responsible", q.responsible(fields.get("decision")))
        if cited:
            fields.setdefault("evidence", q.evidence_of(cited))
        return Finding(rule=self.code, status=status, severity=sev, **fields)


@dataclass(frozen=True)
class Rulebook:
    """A named, versioned list of rules, usually the recommendations of one report."""

    name: str
    title: str
    source: SourceDocument
    rules: tuple[Rule, ...]
    version: str = "1"
    addresses: str = ""  # whom the rules speak to, in words (e.g. "the Department of Justice")

    def rule(self, code: str) -> Rule:
        for r in self.rules:
            if r.code == code:
                return r
        raise KeyError(f"rulebook {self.name!r} has no rule {code!r}")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.rules)


# ---------------------------------------------------------------- small helpers rules share
def possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def name_of(case, party: str) -> str:
    """An organisation's or actor's name as a case gives it (for renderers that hold a Case)."""
    if party in case.orgs:
        return case.orgs[party].name
    if party in case.actor_index:
        return case.actor_index[party].name
    return party
