"""A policy proposal, before it is issued, and the reference it is checked against.

A proposal file (YAML, documented in docs/checking-a-proposal.md, JSON Schema
in schemas/proposal.schema.json) says what a policy changes in a process map,
whom its authors list as affected, whom they plan to consult and how, and
which procedures and agreements are in place. It names the reference it is
checked against: a case folder (its organisation tree, flows.yaml and
interfaces.yaml), or a stakeholders CSV and a flows YAML standing on their
own, plus an optional annotations file (what each handoff is about, how early
each organisation needs to hear of a change, which populations come with
which).

`load_proposal(path)` reads and validates all of it and raises
`InvalidInputError` listing every problem with its file, line and field,
the same way case folders are reported. Nothing here computes findings:
that is coordgap.assess.proposal.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from .case import (
    TWO_WAY_KINDS,
    AgreementKind,
    Case,
    Channel,
    CommKind,
    Flag,
    Flow,
    Hours,
    Id,
    LeadDays,
    Interface,
    Stakeholder,
    Text,
    Topic,
)
from .dates import FuzzyDate
from .tree import OrgTree

# A flow id, or a glob pattern over flow ids ("f-referral-*").
FLOW_REF_PATTERN = r"^[a-z0-9*?\[][a-z0-9._\-*?\[\]!]*$"
FlowRef = Annotated[str, StringConstraints(pattern=FLOW_REF_PATTERN, max_length=120)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ------------------------------------------------------------ the proposal ----
class Volume(StrEnum):
    more = "more"
    less = "less"


class NewDeadline(_Model):
    """A legal or administrative deadline the proposal puts on a handoff."""

    hours: Hours = Field(description="The deadline, in hours after the handoff starts (at most 876,000: 100 years).")
    description: str | None = Field(None, description="The deadline in words, e.g. 'within 48 hours'.")


class Change(_Model):
    """What the proposal changes on one or more flows of the process map."""

    id: Id
    flows: tuple[FlowRef, ...] = Field(
        min_length=1, description="Flow ids of the process map, or glob patterns over them ('f-referral-*')."
    )
    description: Text
    volume: Volume | None = Field(None, description="More (or less) of what already passes along the flows.")
    add_populations: tuple[Id, ...] = Field(
        (), description="Populations that start to pass along the flows (e.g. family-unit-adults)."
    )
    populations: tuple[Id, ...] = Field(
        (), description="Limit the change to these populations: with `volume`, only more (or less) of them "
        "passes, and the change reaches only the flows that carry them (e.g. single-adults). "
        "Empty: everything the flows carry.")
    new_deadline: NewDeadline | None = None
    topic: Id | None = Field(
        None,
        description="The topic every organisation this change reaches must be consulted on, "
        "besides the topic of the handoff that reaches it (e.g. family-unit-prosecution).",
    )

    @model_validator(mode="after")
    def _says_what_changes(self) -> "Change":
        if self.volume is None and not self.add_populations and self.new_deadline is None:
            raise ValueError("a change needs at least one of volume, add_populations or new_deadline")
        return self


class PlannedKind(StrEnum):
    """How a planned contact works. Only a consultation is two-way (the recipient's view is sought);
    the others tell or ask for something (coordgap.model.TWO_WAY_KINDS)."""

    consultation = "consultation"
    request = "request"
    notification = "notification"
    directive = "directive"
    public_statement = "public_statement"

    @property
    def two_way(self) -> bool:
        return CommKind(self.value) in TWO_WAY_KINDS


class PlannedConsultation(_Model):
    """A contact the authors plan with one or more organisations before the policy is issued."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_by_name=True, validate_by_alias=True)

    id: Id | None = None
    with_: tuple[Id, ...] = Field(alias="with", min_length=1, description="Organisations contacted.")
    date: FuzzyDate = Field(description="When it is planned, at any precision (docs/data-model.md#dates).")
    kind: PlannedKind
    channel: Channel | None = None
    topics: tuple[Id, ...] = Field(
        min_length=1, description="Topic ids it covers (from the reference's topics), or flow ids."
    )
    note: str | None = None


COVERS = ("What it covers: interface ids of the reference (interfaces.yaml of the case), "
          "or flow ids (or glob patterns) of the handoffs it covers.")


class PlannedProcedure(_Model):
    """A written procedure an organisation has (or will have) for an interface or handoffs of the process map."""

    id: Id
    organisation: Id
    title: Text
    covers: tuple[FlowRef, ...] = Field(min_length=1, description=COVERS)
    in_effect: FuzzyDate | None = Field(None, description="When it takes effect; leave out when already in effect.")
    note: str | None = None


class PlannedAgreement(_Model):
    """A formal agreement (MOU, MOA ...) among organisations covering handoffs of the process map."""

    id: Id
    title: Text
    kind: AgreementKind = AgreementKind.other
    parties: tuple[Id, ...] = Field(min_length=2)
    covers: tuple[FlowRef, ...] = Field(min_length=1, description=COVERS)
    signed: FuzzyDate | None = Field(None, description="When it is signed; leave out when already signed.")
    note: str | None = None


class AcceptedGap(_Model):
    """A gap the authors accept, with the reason: reported as suppressed, never hidden, never blocking."""

    rule: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$", max_length=60,
                      description="A rule code of the rulebooks checked, e.g. OIG-R1.")
    status: str | None = Field(None, description="Only findings with this status (e.g. informed); all when left out.")
    stakeholder: Id | None = Field(None, description="Only findings about this organisation; all when left out.")
    justification: Text


class Reference(_Model):
    """What the proposal is checked against. Paths are relative to the proposal file."""

    case: str | None = Field(None, description="A case folder, or the name of a bundled case.")
    organisations: str | None = Field(None, description="A stakeholders CSV (the organisation tree), without a case.")
    flows: str | None = Field(None, description="A flows YAML (the process map), without a case.")
    annotations: str | None = Field(
        None, description="An annotations file: topics of handoffs, lead times organisations need, "
        "how populations relate.")

    @model_validator(mode="after")
    def _one_source(self) -> "Reference":
        standalone = self.organisations is not None or self.flows is not None
        if self.case is not None and standalone:
            raise ValueError("give either case, or organisations and flows, not both")
        if self.case is None and not (self.organisations and self.flows):
            raise ValueError("give a case folder (case), or both organisations and flows")
        return self


class Proposal(_Model):
    """A policy before it is issued: what it changes, whom it names, whom it will consult."""

    id: Id
    title: Text
    issuing_office: Id
    acting_for: tuple[Id, ...] = Field((), description="Offices drafting or vetting it for the issuing office.")
    urged_by: tuple[Id, ...] = Field((), description="Offices urging it (they share the responsibility to coordinate).")
    addresses: dict[str, Id] = Field(
        default_factory=dict,
        description="Which organisation each rulebook addresses, by rulebook name; default: the "
        "department of the issuing office.")
    rulebooks: tuple[Id, ...] = Field(
        (), description="The rulebooks to check it with, by name (e.g. [oig-21-028, gao-23-105520]), when the "
        "command line names none. Empty: the default rulebook, oig-21-028.")
    planned_issue_date: FuzzyDate
    significant: Flag = True
    summary: str = ""
    checked_against: Reference
    changes: tuple[Change, ...] = Field(min_length=1)
    stakeholders: tuple[Id, ...] = Field((), description="The organisations the authors list as affected.")
    consultations: tuple[PlannedConsultation, ...] = ()
    procedures: tuple[PlannedProcedure, ...] = ()
    agreements: tuple[PlannedAgreement, ...] = ()
    accepted_gaps: tuple[AcceptedGap, ...] = ()

    @property
    def side(self) -> tuple[str, ...]:
        return (self.issuing_office, *self.acting_for)


# ------------------------------------------------------------ the annotations file ----
class FlowTopic(_Model):
    flows: tuple[FlowRef, ...] = Field(min_length=1)
    topic: Id


class LeadTime(_Model):
    """How many days of notice organisations (and everything below them) need."""

    organisations: tuple[Id, ...] = Field(min_length=1)
    days: LeadDays = Field(description="Days of notice needed, 0 to 36,500 (100 years).")
    topic: Id | None = Field(None, description="Only when affected through this topic; any topic when left out.")
    basis: Text = Field(description="Why: a sentence, ideally quoting the source with its section.")
    evidence: tuple[Id, ...] = Field((), description="Evidence ids of the case, when checked against a case.")


class PopulationNote(_Model):
    """Populations that come with another: where it passes a handoff, they pass too."""

    id: Id
    brings: tuple[Id, ...] = Field(
        min_length=1,
        description="e.g. family-unit-adults brings children (separated when the adult is prosecuted) and "
        "detained-defendants (what a prosecuted adult becomes).")
    note: str | None = None
    evidence: tuple[Id, ...] = Field((), description="Evidence ids of the case, when checked against a case.")


class Annotations(_Model):
    """What the process map does not say by itself: what each handoff is about, how early each
    organisation needs to hear of a change, and which populations come with which."""

    topics: tuple[Topic, ...] = ()
    flow_topics: tuple[FlowTopic, ...] = ()
    lead_times: tuple[LeadTime, ...] = ()
    populations: tuple[PopulationNote, ...] = ()


# ------------------------------------------------------------ loaded bundle ----
@dataclass
class ProcessMap:
    """The organisation tree and process map a proposal is checked against."""

    label: str  # how the reference is named in output
    orgs: dict[str, Stakeholder]
    flows: dict[str, Flow]
    topics: dict[str, str]  # topic id -> description
    flow_topic: dict[str, str]  # flow id -> topic id (flows without one use their own id)
    lead_times: tuple[LeadTime, ...] = ()
    brings: dict[str, tuple[str, ...]] = field(default_factory=dict)  # population -> populations it brings
    interfaces: dict[str, Interface] = field(default_factory=dict)  # known interfaces (a case's interfaces.yaml)
    case: Case | None = None  # when checked against a case folder
    ignored_problems: int = 0  # problems of the case in files the check does not read

    @property
    def populations(self) -> set[str]:
        return {p for f in self.flows.values() for p in f.population}

    def closure(self, pops: "frozenset[str]") -> "frozenset[str]":
        """The populations and everything they bring, transitively."""
        out, todo = set(pops), list(pops)
        while todo:
            for q in self.brings.get(todo.pop(), ()):
                if q not in out:
                    out.add(q)
                    todo.append(q)
        return frozenset(out)

    @cached_property
    def tree(self) -> OrgTree:
        """The organisation tree (coordgap.model.tree)."""
        return OrgTree(self.orgs)

    def ancestors(self, org: str) -> list[str]:
        """org's parent, grandparent, ... (nearest first)."""
        return self.tree.ancestors(org)

    def within(self, org: str, ancestor: str) -> bool:
        return self.tree.is_within(org, ancestor)

    def root(self, org: str) -> str:
        return self.tree.root_of(org)

    def topic_of(self, flow_id: str) -> str:
        return self.flow_topic.get(flow_id, flow_id)

    def match_flows(self, ref: str) -> list[str]:
        if ref in self.flows:
            return [ref]
        return sorted(fid for fid in self.flows if fnmatch.fnmatchcase(fid, ref))


@dataclass
class LoadedProposal:
    """A validated proposal with where each of its parts is written, and its reference."""

    proposal: Proposal
    path: Path
    label: str  # the file as named in output (the path given)
    lines: dict[tuple, int]
    reference: ProcessMap
    # patterns expanded to flow ids; covers split into flow ids and interface ids
    change_flows: dict[str, tuple[str, ...]] = field(default_factory=dict)
    covers_flows: dict[str, tuple[str, ...]] = field(default_factory=dict)  # procedure/agreement id -> flows
    covers_interfaces: dict[str, tuple[str, ...]] = field(default_factory=dict)  # ... -> interface ids

    def line(self, *path: Any) -> int | None:
        """The line of the deepest part of `path` written in the file (None when nothing of it is)."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get(())
