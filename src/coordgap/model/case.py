"""Typed records of a case: who the organisations are, what was decided, who
was told what and when, and the evidence for each.

Field meanings are documented in docs/data-model.md; the JSON Schemas in
schemas/ are generated from these classes.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Annotated

from pydantic import BeforeValidator, ConfigDict, Field, PlainValidator, Strict, WithJsonSchema, model_validator

from .base import ID_PATTERN, STATUS_ORDER, Id, Record, Status, Text  # noqa: F401 (also named here)
from .conclusions import Conclusion
from .dates import FORMS, MAX_YEAR, MIN_YEAR, PATTERN, FuzzyDate

if TYPE_CHECKING:
    from .tree import OrgTree



def _not_a_flag(value):
    """true/false are not numbers (pydantic would read true as 1)."""
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    return value


# Numbers with documented ranges (docs/data-model.md), small enough that nothing computed
# from them can overflow: a lead time of at most 100 years, a deadline of at most 100 years.
MAX_LEAD_DAYS = 36_500
MAX_DEADLINE_HOURS = 876_000
LeadDays = Annotated[int, BeforeValidator(_not_a_flag), Field(ge=0, le=MAX_LEAD_DAYS)]
Hours = Annotated[float, BeforeValidator(_not_a_flag), Field(gt=0, le=MAX_DEADLINE_HOURS, allow_inf_nan=False)]
FootnoteNumber = Annotated[int, BeforeValidator(_not_a_flag), Field(ge=0, le=1_000_000)]
# A yes/no field takes true or false only (not 1, 0 or "yes").
Flag = Annotated[bool, Strict()]




class Branch(StrEnum):
    executive = "executive"
    judicial = "judicial"
    legislative = "legislative"
    non_governmental = "non_governmental"


class OrgKind(StrEnum):
    department = "department"
    component = "component"
    office = "office"
    field_office = "field_office"
    agency = "agency"
    court = "court"
    committee = "committee"
    public = "public"  # the general public (branch non_governmental)
    private = "private"  # a private party: a company, association or person outside government
    other = "other"


# Kinds that stand outside government, whatever else the tree says: their branch must be
# non_governmental (the loader checks it), so no rule can take them for an agency.
PRIVATE_KINDS = frozenset({OrgKind.public, OrgKind.private})

# Written as a sender or recipient when the source does not say who: it needs no row in
# stakeholders.csv and then matches no organisation, so it is never the decision's side and
# reaches no stakeholder. (Cases written by older `coordgap ingest` have an `unknown` row of
# branch non_governmental: outside every side and tree, it behaves the same.)
UNKNOWN_PARTY = "unknown"


class Channel(StrEnum):
    email = "email"
    phone_call = "phone_call"
    conference_call = "conference_call"
    meeting = "meeting"
    briefing = "briefing"
    memorandum = "memorandum"
    letter = "letter"
    court_order = "court_order"
    speech = "speech"
    press_release = "press_release"
    media_report = "media_report"
    testimony = "testimony"
    social_media = "social_media"
    other = "other"


class CommKind(StrEnum):
    consultation = "consultation"
    request = "request"
    notification = "notification"
    directive = "directive"
    response = "response"
    assurance = "assurance"
    public_statement = "public_statement"
    concern = "concern"
    discussion = "discussion"  # the matter was discussed both ways, but nobody asked for the recipient's input


# The kind in which the sender seeks the recipient's input: two-way. A request
# from the decision's side (for data, say) tells the recipient of the matter
# but does not ask for its view of the decision, so it counts as one-way. So does
# a discussion: both sides spoke of the matter, which shows the recipient knew of
# it, but not that its input on the decision was sought (docs/methodology.md).
TWO_WAY_KINDS = frozenset({CommKind.consultation})




class Grade(StrEnum):
    """How strong a piece of evidence is, strongest first (docs/data-model.md, "Evidence grades").

    First-hand before second-hand, and among the second-hand a verbatim quotation before a
    paraphrase. `primary` and `other_primary` are primary evidence: a primary document read
    first-hand."""

    primary = "primary"  # the oversight body's own words, read in its own document
    other_primary = "other_primary"  # another primary document (a memo, an e-mail, a transcript), read first-hand
    quoted = "quoted"  # the oversight body's words as quoted in a secondary source
    paraphrase = "paraphrase"  # a secondary source's account in its own words

    @property
    def rank(self) -> int:
        """0 for the strongest."""
        return GRADE_ORDER.index(self)

    @property
    def words(self) -> str:
        """The grade as words for a reader ("other primary")."""
        return self.value.replace("_", " ")

    @property
    def phrase(self) -> str:
        """What evidence of this grade is, for a sentence: "this rests on a paraphrase"."""
        return {
            "primary": "the oversight body's own words",
            "other_primary": "another primary document",
            "quoted": "a secondary source quoting the oversight body",
            "paraphrase": "a paraphrase",
        }[self.value]


GRADE_ORDER: tuple[Grade, ...] = tuple(Grade)
# The grade an evidence record has when evidence.csv has no `grade` column or leaves the cell
# empty: what the format promised before grades existed (a verbatim quote of the source it names).
DEFAULT_GRADE = Grade.primary


class Evidence(Record):
    id: Id
    source: Id
    section: Text
    footnote: FootnoteNumber | None = None
    quote: Text
    grade: Grade = Field(DEFAULT_GRADE, description=(
        "How strong the evidence is: primary (the oversight body's own words), other_primary (another "
        "primary document), quoted (the oversight body's words quoted in a secondary source), "
        "paraphrase. Default primary."))


class Source(Record):
    id: Id
    title: Text
    number: str | None = None
    publisher: str | None = None
    date: FuzzyDate | None = None
    path: str | None = Field(None, description="Path to the text, relative to the case folder.")
    evidence: tuple[Id, ...] = Field((), description="Where the case's main source cites this document.")


class Topic(Record):
    id: Id
    description: Text


class Window(Record):
    start: date
    end: date

    @model_validator(mode="after")
    def _in_range(self) -> "Window":
        for name in ("start", "end"):
            if not MIN_YEAR <= getattr(self, name).year <= MAX_YEAR:
                raise ValueError(f"the window's {name} must be in the years {MIN_YEAR} to {MAX_YEAR}")
        if self.end < self.start:
            raise ValueError("the window ends before it starts")
        return self


class Stakeholder(Record):
    """An organisation: a node of the organisation tree."""

    id: Id
    name: Text
    parent: Id | None = None
    kind: OrgKind
    branch: Branch
    evidence: tuple[Id, ...] = ()


class Actor(Record):
    """A named person, holding one post in one organisation for a tenure."""

    id: Id
    name: Text
    title: Text
    organisation: Id
    tenure_start: FuzzyDate | None = None
    tenure_end: FuzzyDate | None = None
    evidence: tuple[Id, ...] = ()


class Impact(Record):
    """How a decision reaches one stakeholder, through one topic."""

    id: Id
    stakeholder: Id
    topic: Id
    description: Text
    required_lead_days: LeadDays | None = None
    evidence: tuple[Id, ...] = ()


def _one_or_many(value):
    """A single id as a list of one (decided_by was a single id before it took a list)."""
    return (value,) if isinstance(value, str) else value


_ID_SCHEMA = {"type": "string", "pattern": ID_PATTERN, "maxLength": 120}
_ONE_OR_MANY_IDS = {"anyOf": [_ID_SCHEMA, {"type": "array", "items": _ID_SCHEMA, "minItems": 1}]}

IMMEDIATELY = "immediately"


def _effective(value):
    """`immediately` or a date, in the one message for a bad date."""
    if value == IMMEDIATELY:
        return IMMEDIATELY
    try:
        return FuzzyDate.of(value)
    except (ValueError, TypeError):
        raise ValueError(f"{str(value)[:40]!r} is neither {IMMEDIATELY!r} nor a date; {FORMS}") from None


Effective = Annotated[
    FuzzyDate | str,
    PlainValidator(_effective),
    WithJsonSchema({"anyOf": [{"const": IMMEDIATELY}, {"type": "string", "pattern": PATTERN}],
                    "description": "When the change took effect: 'immediately' (on its date) or a date."}),
]


class Decision(Record):
    id: Id
    title: Text
    date: FuzzyDate = Field(description="When it was decided (signed, issued, announced).")
    decided_by: Annotated[tuple[Id, ...], BeforeValidator(_one_or_many), WithJsonSchema(_ONE_OR_MANY_IDS)] = Field(
        min_length=1, description="Who made it: one or more organisations or people (a person stands "
        "for the organisation of their post); a single id is a list of one.")
    acting_for: tuple[Id, ...] = Field((), description="Offices drafting, vetting or announcing it.")
    urged_by: tuple[Id, ...] = Field((), description="Offices that urged the decision.")
    effective: Effective | None = Field(None, description=(
        "When the change took effect, where the source says: 'immediately' or a date. Lead times "
        "are counted to it; the status still compares contacts with `date`."))
    covers: tuple[Id, ...] = Field((), description=(
        "Topics the decision's text covers. A communication about the text or a draft of it "
        "(about_text) counts for these topics and for no topic the text is silent on."))
    significant: Flag = True
    summary: Text
    dispute: Id | None = None
    evidence: tuple[Id, ...] = ()
    impacts: tuple[Impact, ...] = ()

    @property
    def side(self) -> tuple[Id, ...]:
        """Every office (or person) whose contact counts as contact from the decision's side."""
        return (*self.decided_by, *self.acting_for, *self.urged_by)

    @property
    def takes_effect(self) -> FuzzyDate:
        """When the change took effect: `effective` when it is a date, else the decision's date."""
        return self.effective if isinstance(self.effective, FuzzyDate) else self.date


class Communication(Record):
    id: Id
    date: FuzzyDate
    channel: Channel
    kind: CommKind
    sender: Id
    recipients: tuple[Id, ...] = Field(min_length=1)
    topics: tuple[Id, ...] = ()
    about_text: Flag = Field(False, description=(
        "The contact was about the text of its decisions (or a draft of it): for each decision "
        "it names, it also counts for the topics that decision covers."))
    decisions: tuple[Id, ...] = ()
    responds_to: tuple[Id, ...] = ()
    dispute: Id | None = None
    summary: Text
    evidence: tuple[Id, ...] = ()

    @model_validator(mode="after")
    def _not_its_own_answer(self) -> "Communication":
        if self.id in self.responds_to:
            raise ValueError(f"responds_to: a communication cannot answer itself ({self.id!r})")
        return self

    def topics_for(self, decision: "Decision") -> frozenset[str]:
        """The topics this contact counts for when judged against one decision: its own,
        plus the decision's covered topics when it was about the decision's text."""
        if self.about_text:
            return frozenset(self.topics) | frozenset(decision.covers)
        return frozenset(self.topics)


class Flow(Record):
    """A handoff in the process map: what passes from one organisation to another."""

    id: Id
    source: Id
    target: Id
    handover: Text
    population: tuple[Id, ...] = ()
    deadline_hours: Hours | None = None
    deadline: str | None = None
    evidence: tuple[Id, ...] = ()


class Interface(Record):
    """Organisations a decision makes work together (e.g. parent and child in two custodies),
    or one custodian's hand-off; with no `created_by`, a standing interface checked from `starts`."""

    id: Id
    title: Text
    created_by: tuple[Id, ...] = Field(
        (), description="Decisions that create the interface; none for a standing interface (checked from `starts`).")
    parties: tuple[Id, ...] = Field(min_length=1, description="One party (a single custodian's procedure) or more.")
    starts: FuzzyDate | None = None
    lead: Id | None = Field(None, description="The organisation that leads the work at the interface; none recorded by default.")
    evidence: tuple[Id, ...] = ()


class Presence(StrEnum):
    """What the record says of a procedure or agreement (docs/data-model.md). Only `in_place`
    can cover an interface; `late` is one that came after the interface started, dated by the
    record's `in_effect` / `signed`."""

    in_place = "in_place"
    absent = "absent"
    outdated = "outdated"  # existed, but out of date for the interface
    bypassed = "bypassed"  # existed, but was set aside when the interface came
    unused = "unused"  # existed, but nobody used it
    late = "late"  # came only after the interface started (the date it came: in_effect / signed)


class Procedure(Record):
    id: Id
    organisation: Id
    title: Text
    interfaces: tuple[Id, ...] = ()
    status: Presence = Presence.in_place
    in_effect: FuzzyDate | None = None
    role: Text | None = Field(None, description="The role the procedure gives its organisation at the interface "
                                                "(your own words); none recorded by default.")
    evidence: tuple[Id, ...] = ()


class AgreementKind(StrEnum):
    mou = "mou"
    moa = "moa"
    interagency_agreement = "interagency_agreement"
    other = "other"


class Agreement(Record):
    id: Id
    title: Text
    kind: AgreementKind = AgreementKind.other
    parties: tuple[Id, ...] = ()
    interfaces: tuple[Id, ...] = ()
    status: Presence = Presence.in_place
    signed: FuzzyDate | None = None
    reviewed: FuzzyDate | None = Field(None, description="When the parties last reviewed or updated it; none recorded by default.")
    review_due: FuzzyDate | None = Field(None, description="When it says it is due for review or expires; none by default.")
    superseded: FuzzyDate | None = Field(None, description="When it stopped being in force (replaced or ended); in force by default.")
    superseded_by: Id | None = Field(None, description="The agreement that replaced it, when the case holds it.")
    evidence: tuple[Id, ...] = ()

    @property
    def is_superseded(self) -> bool:
        return self.superseded is not None or self.superseded_by is not None


class Collaboration(Record):
    """A collaborative mechanism (a task force, working group, council, joint office): who takes part,
    who leads, what the participants agreed to achieve, how they track progress and what they did to
    work across their organisations' differences. GAO's leading practices judge what it records.

    For `outcomes`, `tracking` and `bridging`, leaving the field out means the case does not say
    (the practice cannot be assessed); an empty list means the source says there was none."""

    id: Id
    title: Text
    participants: tuple[Id, ...] = Field(min_length=2, description="Organisations taking part.")
    lead: Id | None = Field(None, description="The organisation that leads it; none recorded by default.")
    interfaces: tuple[Id, ...] = Field((), description="Interfaces it coordinates.")
    outcomes: tuple[Text, ...] | None = Field(None, description="The outcomes the participants agreed (your words).")
    tracking: tuple[Text, ...] | None = Field(None, description="How progress towards them is tracked and reported.")
    bridging: tuple[Text, ...] | None = Field(
        None, description="What bridges the participants' cultures: compatible policies, common terminology, trust.")
    agreements: tuple[Id, ...] = Field((), description="The agreements it rests on.")
    evidence: tuple[Id, ...] = ()


class Suppression(Record):
    """A finding a case owner has accepted, with the reason; listed, never hidden."""

    rule: Text
    decision: Id | None = None
    stakeholder: Id | None = None
    impact: Id | None = None
    status: str | None = Field(None, description="Only findings with this status; any when left out.")
    interface: Id | None = Field(None, description="Only findings about this interface; any when left out.")
    justification: Text


class CaseMeta(Record):
    """The contents of case.yaml."""

    id: Id
    title: Text
    summary: str = ""
    window: Window
    sources: tuple[Source, ...] = Field(min_length=1)
    topics: tuple[Topic, ...] = ()
    suppressions: tuple[Suppression, ...] = ()
    addresses: dict[str, Id] = Field(
        default_factory=dict,
        description="Which organisation each rulebook addresses, by rulebook name (e.g. "
        "{oig-21-028: doj}). A rulebook not named here addresses the department of each "
        "decision's maker.")
    rulebooks: tuple[Id, ...] = Field(
        (), description="The rulebooks to evaluate the case with, by name (e.g. [oig-21-028, gao-23-105520]), "
        "when the command line or the caller names none. Empty: the default rulebook, oig-21-028.")
    minimum_grade: Grade | None = Field(
        None, description="The weakest evidence grade that may earn a status in the consultation matrix "
        "(e.g. other_primary: primary evidence only). A contact whose evidence is all weaker earns nothing, "
        "and each cell falls back to what the evidence at that grade or stronger shows. Default: none, "
        "every grade counts.")


class Rejected(Record):
    """An input record left out of the case because it is wrong; kept so nothing is lost."""

    table: str
    file: str
    line: int | None = None
    record: str | None = None
    problems: tuple[str, ...]




class Case(Record):
    """A whole validated case. Build it with coordgap.load_case()."""

    def with_minimum_grade(self, grade: "Grade | str | None") -> "Case":
        """The same case with another `minimum_grade` (a command line's): no record is validated
        again, since only the option changes."""
        meta = self.meta.model_copy(update={"minimum_grade": None if grade is None else Grade(grade)})
        return self.model_copy(update={"meta": meta})

    meta: CaseMeta
    stakeholders: tuple[Stakeholder, ...]
    actors: tuple[Actor, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    communications: tuple[Communication, ...] = ()
    decisions: tuple[Decision, ...] = ()
    flows: tuple[Flow, ...] = ()
    interfaces: tuple[Interface, ...] = ()
    procedures: tuple[Procedure, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    collaborations: tuple[Collaboration, ...] = ()
    conclusions: tuple[Conclusion, ...] = Field((), description="The oversight body's checkable conclusions.")
    rejected: tuple[Rejected, ...] = Field((), description="Records read but left out, with why.")

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    # Lookups, computed once per case.
    @cached_property
    def orgs(self) -> dict[str, Stakeholder]:
        return {s.id: s for s in self.stakeholders}

    @cached_property
    def actor_index(self) -> dict[str, Actor]:
        return {a.id: a for a in self.actors}

    @cached_property
    def evidence_index(self) -> dict[str, Evidence]:
        return {e.id: e for e in self.evidence}

    @cached_property
    def decision_index(self) -> dict[str, Decision]:
        return {d.id: d for d in self.decisions}

    @cached_property
    def communication_index(self) -> dict[str, Communication]:
        return {c.id: c for c in self.communications}

    def org_of(self, party: str) -> str:
        """The organisation a sender or recipient stands for (an actor's, or itself)."""
        actor = self.actor_index.get(party)
        return actor.organisation if actor else party

    @cached_property
    def tree(self) -> "OrgTree":
        """The organisation tree (coordgap.model.tree): every question about `parent` links."""
        from .tree import OrgTree

        return OrgTree(self.orgs)

    @property
    def lineage(self) -> dict[str, tuple[str, ...]]:
        """Each organisation's parent, grandparent, ... (nearest first)."""
        return self.tree.lineage

    def ancestors(self, org: str) -> list[str]:
        """Parent, grandparent, ... of an organisation (nearest first); [] for an unknown id."""
        return self.tree.ancestors(org)

    def is_within(self, org: str, ancestor: str) -> bool:
        """True when org is ancestor itself or lies below it in the tree."""
        return self.tree.is_within(org, ancestor)

    def root_of(self, org: str) -> str:
        return self.tree.root_of(org)
