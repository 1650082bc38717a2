"""The neutral questions a rule is written against, the same for a case and a proposal.

A rule never reads a case folder or a proposal file. It reads `Questions`:

* `decisions`: what was decided (or is proposed), by whom, acting for or
  urged by whom, when, and whether it is significant;
* `cells`: for each decision, stakeholder and impact, the rung of the status
  ladder reached, the lead time against the requirement, and the records
  that rest on it (docs/methodology.md);
* `interfaces`: organisations a decision makes work together, from when,
  with the `procedures` and `agreements` that may cover them;
* `tree`: the organisation tree, for scope predicates.

Two adapters build them: `coordgap.assess.case` from a case (what was
observed: the consultation matrix) and `coordgap.assess.proposal` from a
proposal (what is planned: the process-map propagation and the planned
consultations). A rule that needs a record these do not carry may read
`source` (the Case, when there is one), but then it only works on cases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from ..model.case import Case, Grade, Status
from ..model.dates import FuzzyDate, Timing
from ..model.findings import EvidenceRef, Responsible, Role
from ..model.tree import OrgTree

Cited = tuple[tuple[str, tuple[str, ...]], ...]  # (record label, evidence ids): what a finding rests on


@dataclass(frozen=True)
class Location:
    """Where a proposal file says something (for SARIF and the terminal); None for a case."""

    line: int | None = None
    field: str | None = None
    related_lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class DecisionQ:
    """A decision of a case, or a proposal seen as the decision it would be."""

    id: str
    title: str
    date: FuzzyDate
    decided_by: tuple[str, ...]  # the makers' organisations (a person's stands for them), at least one
    acting_for: tuple[str, ...] = ()
    urged_by: tuple[str, ...] = ()
    significant: bool = True
    affected: tuple[str, ...] = ()  # every stakeholder it reaches (through an impact, or the process map)
    evidence: tuple[str, ...] = ()

    @property
    def side(self) -> tuple[str, ...]:
        """The offices whose contact counts as the decision's side (docs/methodology.md)."""
        return (*self.decided_by, *self.acting_for, *self.urged_by)

    @property
    def maker(self) -> str:
        """The first maker: the one whose component the scope predicates compare with."""
        return self.decided_by[0]

    def roles(self) -> tuple[tuple[str, Role], ...]:
        """Each organisation behind the decision once, with its strongest role: the maker, then
        those urging it (the report's "driving force"), then those acting for it."""
        out = [(o, Role.decided) for o in self.decided_by]
        out += [(o, Role.urged) for o in self.urged_by]
        out += [(o, Role.acting_for) for o in self.acting_for]
        seen: set[str] = set()
        return tuple((o, r) for o, r in out if not (o in seen or seen.add(o)))


@dataclass(frozen=True)
class CellQ:
    """One (decision, stakeholder, impact): how the stakeholder came to know, at the best rung."""

    decision: str
    stakeholder: str
    impact: str  # impact id (a case) or the topic (a proposal)
    topic: str
    status: Status
    undisputed_status: Status
    disputed: bool = False
    first_contact_date: str | None = None
    timing_uncertain: bool = False  # the first contact cannot be placed before the decision
    lead_time_days: int | None = None
    lead_time_at_least: bool = False  # the lead time is a lower bound (an open date: "before ...")
    required_lead_days: int | None = None
    contacts: tuple[str, ...] = ()  # the contacts that earned the status
    other_topic_contacts: tuple[str, ...] = ()  # contacts about the decision on other topics
    unanswered: tuple[str, ...] = ()  # concerns the stakeholder raised that nobody answered
    via: tuple[str, ...] = ()  # leadership_only: who above it heard; indirect: who told it
    cited: Cited = ()  # evidence of the decision, impact and contacts the cell rests on
    why: str | None = None  # a proposal: the route by which the stakeholder is affected
    location: Location | None = None
    # the grade of evidence the status rests on (docs/data-model.md, "Evidence grades"); None when
    # nothing earned a status, the contacts cite no evidence, or the cell is a proposal's (planned
    # consultations are plans, not evidence)
    grade: Grade | None = None
    # with a minimum grade (Questions.minimum_grade), the status and grade every grade of evidence
    # would give; None when they are the cell's own
    status_all_grades: Status | None = None
    grade_all_grades: Grade | None = None

    @property
    def fell_back(self) -> bool:
        """Whether the minimum grade lowered the status: weaker evidence shows a better rung."""
        return self.status_all_grades is not None and self.status_all_grades.rank < self.status.rank

    @property
    def lead_time_met(self) -> bool | None:
        if self.required_lead_days is None:
            return None
        return self.lead_time_days is not None and self.lead_time_days >= self.required_lead_days


# A record the source says existed but did not serve, with the words its findings use.
EXISTED_BUT = {"bypassed": "was bypassed", "unused": "was not used", "outdated": "was out of date"}


@dataclass(frozen=True)
class RecordQ:
    """A procedure or an agreement that may cover interfaces."""

    id: str
    title: str
    holders: tuple[str, ...]  # a procedure: its organisation; an agreement: its parties
    interfaces: tuple[str, ...]
    present: bool = True  # False: the source says it did not exist
    when: FuzzyDate | None = None  # in effect (procedure) or signed (agreement)
    evidence: tuple[str, ...] = ()
    location: Location | None = None
    # read by the gao-23-105520 rulebook; the defaults mean "not recorded"
    role: str | None = None  # a procedure: the role it gives its holder at the interface
    reviewed: FuzzyDate | None = None  # an agreement: when last reviewed or updated
    review_due: FuzzyDate | None = None  # an agreement: when it says it is due for review
    superseded: bool = False  # an agreement no longer in force (replaced or ended)
    superseded_on: FuzzyDate | None = None
    superseded_by: str | None = None  # the agreement that replaced it
    # what the record says of it (model.case.Presence): in_place, absent, outdated, bypassed,
    # unused, late; left empty, taken from `present`. Only in_place can cover an interface.
    state: str = ""

    def __post_init__(self):
        if not self.state:
            object.__setattr__(self, "state", "in_place" if self.present else "absent")
        object.__setattr__(self, "present", self.state == "in_place")


@dataclass(frozen=True)
class InterfaceQ:
    """Organisations a decision makes work together (a separated parent and child in two custodies)."""

    id: str
    title: str
    parties: tuple[str, ...]
    created_by: tuple[str, ...] = ()  # decision ids
    starts: FuzzyDate | None = None
    evidence: tuple[str, ...] = ()
    location: Location | None = None
    lead: str | None = None  # the organisation that leads the work at it; None: not recorded


@dataclass(frozen=True)
class CollaborationQ:
    """A collaborative mechanism (collaborations.yaml): who takes part and leads, what was agreed,
    how progress is tracked, what bridges the participants' cultures. For outcomes, tracking and
    bridging, None means not recorded and () recorded as none."""

    id: str
    title: str
    participants: tuple[str, ...]
    lead: str | None = None
    interfaces: tuple[str, ...] = ()
    outcomes: tuple[str, ...] | None = None
    tracking: tuple[str, ...] | None = None
    bridging: tuple[str, ...] | None = None
    agreements: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    location: Location | None = None


@dataclass(frozen=True)
class Questions:
    """Everything a rule may ask, from a case or a proposal; see the module docstring."""

    kind: str  # "case" or "proposal"
    subject: str  # the case or proposal id
    tree: OrgTree
    decisions: Mapping[str, DecisionQ]
    cells: tuple[CellQ, ...] = ()
    interfaces: tuple[InterfaceQ, ...] = ()
    procedures: tuple[RecordQ, ...] = ()
    agreements: tuple[RecordQ, ...] = ()
    collaborations: tuple[CollaborationQ, ...] = ()  # collaborative mechanisms (GAO practices)
    # which organisation each rulebook addresses (case.yaml `addresses`); see addressed()
    addresses: Mapping[str, str] = field(default_factory=dict)
    # what a missing date of a procedure or agreement means: a case cannot tell ("undetermined");
    # a proposal leaves it out when the record is already in effect ("ok")
    undated: str = "undetermined"
    evidence_of: Callable[[Iterable[tuple[str, Iterable[str]]]], tuple[EvidenceRef, ...]] = lambda cited: ()
    source: Case | None = None
    rulebook: str = ""  # set by the runner: the rulebook being run
    # the weakest evidence grade that earned the cells' statuses (case.yaml `minimum_grade`);
    # None: every grade counts
    minimum_grade: Grade | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------ helpers for rules
    @cached_property
    def _by_interface(self) -> dict[str, dict[str, list[RecordQ]]]:
        out: dict[str, dict[str, list[RecordQ]]] = {"procedures": {}, "agreements": {}}
        for kind in out:
            for r in getattr(self, kind):
                for i in r.interfaces:
                    out[kind].setdefault(i, []).append(r)
        return out

    def procedures_for(self, interface: str) -> list[RecordQ]:
        """The procedures that name an interface (indexed once, not scanned per party)."""
        return self._by_interface["procedures"].get(interface, [])

    def agreements_for(self, interface: str) -> list[RecordQ]:
        """The agreements that name an interface."""
        return self._by_interface["agreements"].get(interface, [])

    def name(self, org: str) -> str:
        return self.tree.name(org)

    def names(self, orgs: Iterable[str]) -> str:
        """'A', 'A and B', 'A, B and C'."""
        items = [self.name(o) for o in orgs]
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + " and " + items[-1]

    def addressed(self, decision: DecisionQ) -> str | None:
        """The organisation the running rulebook addresses for a decision: the case's `addresses`
        entry for the rulebook, else the department of the decision's first maker that has one
        (None if none)."""
        if self.rulebook in self.addresses:
            return self.addresses[self.rulebook]
        return next((dep for m in decision.decided_by if (dep := self.tree.department_of(m))), None)

    def responsible(self, decision_id: str | None) -> tuple[Responsible, ...]:
        """Who owed the coordination for a decision, each with its role."""
        d = self.decisions.get(decision_id) if decision_id else None
        if d is None:
            return ()
        return tuple(Responsible(organisation=o, role=r, name=self.name(o)) for o, r in d.roles())

    def in_effect_by(self, when: FuzzyDate | None, start: FuzzyDate | None) -> str:
        """'ok', 'late' or 'undetermined': whether something dated `when` was in effect by `start`.
        No start: only existence is checked ('ok'); no date: `undated`."""
        if start is None:
            return "ok"
        if when is None:
            return self.undated
        t = when.timing(start)
        if t in (Timing.before, Timing.same_day):
            return "ok"
        return "late" if t is Timing.after else "undetermined"

    def creating_decision(self, decision_ids: Iterable[str]) -> str | None:
        """Of the decisions that create an interface, the earliest (then by id)."""
        ds = [self.decisions[d] for d in decision_ids if d in self.decisions]
        if not ds:
            return None
        return min(ds, key=lambda d: (d.date.start, d.date.end, d.id)).id

    def restrict(self, *, decisions=None, cells=None, interfaces=None) -> "Questions":
        """A view with only the given decisions, cells and interfaces (the runner's scope filter)."""
        changes: dict[str, Any] = {}
        if decisions is not None:
            changes["decisions"] = {k: v for k, v in self.decisions.items() if k in decisions}
        if cells is not None:
            changes["cells"] = tuple(cells)
        if interfaces is not None:
            changes["interfaces"] = tuple(interfaces)
        return replace(self, **changes)
