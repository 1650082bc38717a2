"""The pre-rollout check: is a proposed policy's stakeholder list complete?

`check_proposal(path)` reads a proposal (coordgap.io.proposal) and its process
map and answers, in a typed `CheckResult`:

1. who is affected: the process map is followed downstream from every flow a
   change touches (networkx), keeping for each organisation the shortest
   route that explains why, and the deadlines met on the way. A flow passes
   on the populations its list names (no list: everyone); an organisation
   also makes the handoffs of the organisations above it (a Border Patrol
   sector hands defendants over as Border Patrol does); the populations a
   change adds also leave the changed flow's source by their own handoffs
   (the child's transfer when the parent is referred); and a population
   brings those the annotations say come with it (family-unit adults bring
   children);
2. who is missing from the authors' stakeholder list (the headline);
3. for each affected organisation and each topic through which it is
   affected: whether a contact is planned before the issue date, two-way or
   not, with the organisation itself or only its parent, and with enough
   lead time (the status ladder of docs/methodology.md, per topic);
4. the interfaces the change creates: the reference's known interfaces
   (a case's interfaces.yaml) whose parties it all reaches, and every
   handoff that only the populations it adds set going; with the
   procedures (OIG-R2) and agreements (OIG-R3) missing for them;
5. whether OIG-R1 applies, read from the organisation tree (coordgap.rules.scope).

Every gap is a `CheckFinding` (a coordgap Finding with the line of the
proposal file it is about), so the terminal table, JSON and SARIF renderers
only format what is here.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import networkx as nx
from pydantic import BaseModel, ConfigDict, computed_field

from ..io.proposal import load_proposal
from ..model.case import Flow, Status, Suppression
from ..model.dates import FuzzyDate, Timing
from ..model.findings import EvidenceRef, Finding, Severity, evidence_refs
from ..model.proposal import LoadedProposal, PlannedConsultation, ProcessMap
from ..model.tree import OrgTree
from ..rules.questions import Questions
from ..rules.r1_coordinate import LEAD_TIME_SEVERITY
from ..rules.r1_coordinate import STATUS_SEVERITY as R1_STATUS_SEVERITY
from ..rules.r2_procedures import SEVERITY as R2_SEVERITY
from ..rules.r3_agreement import SEVERITY as R3_SEVERITY
from ..rules.scope import Relation, breadth, categories
from ..rules.scope import relation as _relation


def in_effect_by(when, start) -> str:
    return Questions(kind="proposal", subject="", tree=OrgTree({}), decisions={}).in_effect_by(when, start)


def _dept(orgs, org):
    return OrgTree(orgs).root_of(org)


def relation(orgs, decided_by, affected):
    return _relation(OrgTree(orgs), _dept(orgs, decided_by), affected, decided_by)


def r1_applies(orgs, decided_by, affected):
    return breadth(OrgTree(orgs), _dept(orgs, decided_by), affected, decided_by)


def r1_categories(orgs, decided_by, affected):
    return categories(OrgTree(orgs), _dept(orgs, decided_by), affected, decided_by)

R1, R2, R3 = "OIG-R1", "OIG-R2", "OIG-R3"

# Every status a check finding can carry, per rule, with its severity and what it means.
# The rulebook's own severities are reused so a proposal and a case are judged alike.
STATUSES: dict[str, dict[str, tuple[Severity, str]]] = {
    R1: {
        "missing": (Severity.high, "affected, but not on the proposal's stakeholder list"),
        "listed_via_parent": (Severity.low, "on the stakeholder list only through an organisation above it"),
        Status.none.value: (R1_STATUS_SEVERITY[Status.none],
                            "no contact planned before the issue date on a topic through which it is affected"),
        Status.after.value: (R1_STATUS_SEVERITY[Status.after], "the only contact on the topic comes after the issue date"),
        Status.same_day.value: (R1_STATUS_SEVERITY[Status.same_day],
                                "the only contact on the topic is on the issue date (no advance notice)"),
        Status.leadership_only.value: (R1_STATUS_SEVERITY[Status.leadership_only],
                                       "only an organisation above it is contacted on the topic"),
        Status.informed.value: (R1_STATUS_SEVERITY[Status.informed], "told one-way; its input is not sought"),
        "short_lead_time": (LEAD_TIME_SEVERITY, "contacted with less lead time than it needs"),
    },
    R2: {
        "none": (R2_SEVERITY["none"], "a party to a new interface has no procedure covering its handoffs"),
        "late": (R2_SEVERITY["late"], "the procedure takes effect only after the issue date"),
        "undetermined": (R2_SEVERITY["undetermined"],
                         "when the procedure takes effect cannot be told against the issue date"),
    },
    R3: {
        "none": (R3_SEVERITY["none"], "no agreement covers an interagency handoff of a new interface"),
        "partial": (R3_SEVERITY["partial"], "an agreement covers the handoff, but not every agency is party to it"),
        "late": (R3_SEVERITY["late"], "the agreement is signed only after the issue date"),
        "undetermined": (R3_SEVERITY["undetermined"], "when the agreement is signed cannot be told against the issue date"),
    },
}


class Listing(StrEnum):
    listed = "listed"
    listed_via_parent = "listed_via_parent"
    missing = "missing"


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Step(_Out):
    """One handoff on a route: a flow of the process map."""

    flow: str
    source: str
    target: str
    handover: str
    populations: tuple[str, ...] = ()  # who passes along it here; empty: not restricted
    deadline_hours: float | None = None
    deadline: str | None = None
    changed: bool = False  # a flow the proposal changes
    new_deadline: bool = False  # the deadline is the one the proposal sets
    evidence: tuple[str, ...] = ()


class Route(_Out):
    """Why an organisation is affected by one change: the handoffs from the changed flow to it.

    The first step is always the changed flow. When `start` is its target, the
    other steps continue from there; when `start` is its source, they are the
    handoffs the source starts for the population the change adds (e.g. a
    child's transfer when the parent is referred for prosecution).
    """

    change: str
    changed_flow: str
    start: str
    steps: tuple[Step, ...]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def text(self) -> str:
        """The route in one line: `a -[flow]-> b ...`."""
        first, rest = self.steps[0], self.steps[1:]
        out = f"{first.source} -[{_step_label(first)}]-> {first.target}"
        at = first.target
        if rest and self.start == first.source:
            out += f"; with it, {first.source}"
            at = first.source
        for s in rest:
            if s.source != at:
                out += f" (as part of {s.source})"
            out += f" -[{_step_label(s)}]-> {s.target}"
            at = s.target
        return out


def _step_label(s: Step) -> str:
    bits = [s.flow]
    if s.changed:
        bits.append("changed")
    if s.deadline_hours:
        bits.append(s.deadline or f"within {s.deadline_hours:g} hours")
    return ", ".join(bits)


class Deadline(_Out):
    flow: str
    source: str
    target: str
    hours: float | None = None  # None when the source gives the deadline in words only
    text: str | None = None
    new: bool = False  # set by the proposal


class TopicStatus(_Out):
    """The planned contact with one affected organisation on one topic through which it is affected."""

    topic: str
    status: Status
    contacts: tuple[str, ...] = ()  # planned consultations (id or consultations[i]) that earned the status
    via: str | None = None  # the organisation above it that is contacted (leadership_only)
    first_contact: str | None = None
    lead_time_days: int | None = None
    required_lead_days: int | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def lead_time_ok(self) -> bool | None:
        if self.required_lead_days is None or self.lead_time_days is None:
            return None
        return self.lead_time_days >= self.required_lead_days


class AffectedOrg(_Out):
    organisation: str
    name: str
    relation: Relation
    listing: Listing
    listed_as: str | None = None  # the listed organisation that covers it
    routes: tuple[Route, ...]
    deadlines: tuple[Deadline, ...] = ()
    topics: tuple[TopicStatus, ...] = ()

    @property
    def route(self) -> Route:
        """The shortest of its routes (the first change's on a tie)."""
        return min(self.routes, key=lambda r: len(r.steps))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def why(self) -> str:
        """The shortest route, in words, and the other changes that reach the organisation."""
        others = sorted({r.change for r in self.routes} - {self.route.change})
        also = f" (also reached by change {', '.join(others)})" if others else ""
        return f"change {self.route.change}: {self.route.text}{also}"

    @property
    def status(self) -> Status:
        """The worst status over its topics."""
        return max((t.status for t in self.topics), key=lambda s: s.rank, default=Status.none)

    @property
    def two_way(self) -> bool:
        return any(t.status is Status.consulted for t in self.topics)

    @property
    def topics_missing(self) -> tuple[str, ...]:
        return tuple(t.topic for t in self.topics if t.status not in (Status.consulted, Status.informed))


class PartyProcedure(_Out):
    """OIG-R2 for one party to an interface: a procedure held by it (or above it) in effect by the issue date."""

    organisation: str
    covered_by: tuple[str, ...] = ()
    status: str  # ok, none, late, undetermined


class AgreementCheck(_Out):
    """OIG-R3 for an interface: an agreement binding every party (itself or an organisation above it),
    signed by the issue date."""

    needed: bool  # only when the parties belong to two or more roots of the tree (agencies, the courts)
    covered_by: tuple[str, ...] = ()
    missing_parties: tuple[str, ...] = ()  # parties the best covering agreement does not bind
    status: str  # ok, none, partial, late, undetermined


class NewInterface(_Out):
    """Organisations the change makes work together.

    `known`: an interface of the reference (a case's interfaces.yaml) whose
    parties the change all reaches. `inferred`: a handoff only the
    populations the change adds set going (its id is `i-` and the flow id).
    """

    id: str
    kind: str  # known or inferred
    title: str
    parties: tuple[str, ...]
    agencies: tuple[str, ...]
    flows: tuple[Step, ...]  # the new handoffs within it
    created_by: tuple[str, ...]  # change ids
    procedures: tuple[PartyProcedure, ...]
    agreement: AgreementCheck
    evidence: tuple[str, ...] = ()


class CheckFinding(Finding):
    """A finding about a proposal, with the line of the proposal file it points at."""

    line: int | None = None
    field: str | None = None
    related_lines: tuple[int, ...] = ()  # e.g. the changes that make the organisation affected

    @property
    def subrule(self) -> str:
        return f"{self.rule}/{self.status}"


class R1Scope(_Out):
    applies: bool
    reason: str
    categories: dict[str, tuple[str, ...]]


class ProposalInfo(_Out):
    id: str
    title: str
    file: str
    issuing_office: str
    planned_issue_date: str
    significant: bool


class CheckResult(_Out):
    """Everything the check found about one proposal."""

    proposal: ProposalInfo
    reference: str
    fail_on: Severity
    r1: R1Scope
    affected: tuple[AffectedOrg, ...]
    missing: tuple[str, ...]  # the headline: affected organisations not on the list
    listed_not_affected: tuple[str, ...]  # listed, but the process map shows no way they are affected
    interfaces: tuple[NewInterface, ...]
    findings: tuple[CheckFinding, ...]
    unused_accepted_gaps: tuple[int, ...] = ()  # indexes of accepted_gaps that matched no finding
    ignored_reference_problems: int = 0  # problems of the case in files the check does not read

    @computed_field  # type: ignore[prop-decorator]
    @property
    def blocking(self) -> int:
        """Unsuppressed findings at or above fail_on."""
        return sum(1 for f in self.findings if is_blocking(f, self.fail_on))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> bool:
        return self.blocking == 0

    def org(self, org_id: str) -> AffectedOrg:
        for a in self.affected:
            if a.organisation == org_id:
                return a
        raise KeyError(org_id)


def is_blocking(f: Finding, fail_on: Severity) -> bool:
    return not f.suppressed and f.severity.rank <= fail_on.rank


# ================================================================ propagation ====
def process_graph(pmap: ProcessMap) -> nx.MultiDiGraph:
    """The process map as a directed multigraph: organisations, one edge per flow (key: flow id)."""
    g = nx.MultiDiGraph()
    g.add_nodes_from(pmap.orgs)
    for f in sorted(pmap.flows.values(), key=lambda f: f.id):
        g.add_edge(f.source, f.target, key=f.id, flow=f)
    return g


Pops = frozenset[str] | None  # None: not restricted (everyone passes)


def _passes(flow: Flow, pops: Pops) -> Pops | bool:
    """What passes along a flow from a stream of `pops`; False when nothing does."""
    if not flow.population:
        return pops
    if pops is None:
        return frozenset(flow.population)
    out = pops & frozenset(flow.population)
    return out if out else False


@dataclass
class _Reach:
    """What one changed flow reaches."""

    routes: dict[str, tuple[str, tuple[tuple[Flow, Pops], ...]]]  # org -> (start, steps with what passes)
    flows: dict[str, Pops]  # flow id -> what passes along it
    new_flows: set[str]  # flows only the added populations set going


def _union(a: Pops | bool, b: Pops) -> Pops:
    if a is False:
        return b
    return None if a is None or b is None else a | b


def _reach(graph: nx.MultiDiGraph, pmap: ProcessMap, flow: Flow, added: frozenset[str], volume: bool) -> _Reach:
    """Follow the map downstream from one changed flow, breadth first (so routes are shortest).

    What passes along the changed flow is the populations the change adds
    (plus, with a volume change, what already passed: its population list,
    or everyone when it has none), with everything they bring. A flow
    passes on the part of the stream its population list names (no list:
    everything). At each organisation reached, the handoffs of the
    organisations above it are followed too. The populations the change
    adds also leave the changed flow's source (or an organisation above it)
    by the handoffs that carry them.
    """
    closure = pmap.closure
    added_c = closure(added)
    if added and not volume:
        stream: Pops = added_c
    elif flow.population:
        stream = closure(frozenset(flow.population) | added)
    else:
        stream = None
    # what passed before the change: a flow that carries none of it, but some of what the change
    # adds, is set going by the change (a new handoff)
    baseline = closure(frozenset(flow.population) - added) if flow.population else frozenset()

    def is_new(g: Flow) -> bool:
        pops = set(g.population)
        return bool(pops) and not (pops & baseline) and bool(pops & added_c)

    def passes(g: Flow, pops: Pops) -> Pops | bool:
        if not g.population:
            return pops
        if pops is None:
            return closure(frozenset(g.population))
        out = pops & frozenset(g.population)
        return closure(out) if out else False

    def out_flows(node: str) -> list[Flow]:
        """Handoffs made by the organisation and by those above it, nearest first."""
        out = []
        for org in [node, *pmap.ancestors(node)]:
            if org in graph:
                out += sorted((f for _, _, f in graph.out_edges(org, data="flow")), key=lambda f: f.id)
        return out

    first = ((flow, stream),)
    routes: dict[str, tuple[str, tuple]] = {flow.source: (flow.source, first), flow.target: (flow.target, first)}
    reached: dict[str, Pops] = {flow.id: stream}
    new: set[str] = set()
    # queue items: (node, what arrives there, steps so far, where the route starts, flows to follow)
    queue: deque = deque([(flow.target, stream, first, flow.target, out_flows(flow.target))])
    if added:
        own = [f for f in out_flows(flow.source) if f.id != flow.id and set(f.population) & added_c]
        if own:
            queue.append((flow.source, added_c, first, flow.source, own))
    seen: set[tuple[str, Pops]] = {(flow.target, stream)}
    while queue:
        node, pops, path, start, candidates = queue.popleft()
        for g_flow in candidates:
            if g_flow.id == flow.id:
                continue
            out = passes(g_flow, pops)
            if out is False:
                continue
            reached[g_flow.id] = _union(reached.get(g_flow.id, False), out)
            if added and is_new(g_flow):
                new.add(g_flow.id)
            steps = path + ((g_flow, out),)
            routes.setdefault(g_flow.target, (start, steps))
            if (g_flow.target, out) not in seen:
                seen.add((g_flow.target, out))
                queue.append((g_flow.target, out, steps, start, out_flows(g_flow.target)))
    return _Reach(routes=routes, flows=reached, new_flows=new)


# ================================================================ the check ====
def _step(f: Flow, pops: Pops, changed: bool, new_deadline=None) -> Step:
    hours, text = f.deadline_hours, f.deadline
    if changed and new_deadline is not None:
        hours, text = new_deadline.hours, new_deadline.description or f"within {new_deadline.hours:g} hours"
    return Step(flow=f.id, source=f.source, target=f.target, handover=f.handover,
                populations=tuple(sorted(pops)) if pops else (), deadline_hours=hours, deadline=text,
                changed=changed, new_deadline=changed and new_deadline is not None, evidence=f.evidence)


def _lead_days(contact: FuzzyDate, issue: FuzzyDate) -> int:
    """Days of notice a contact gives at the least (latest possible contact, earliest possible issue)."""
    return (issue.start - contact.end).days


class _Checker:
    def __init__(self, lp: LoadedProposal, fail_on: Severity):
        self.lp = lp
        self.p = lp.proposal
        self.pmap = lp.reference
        self.fail_on = fail_on
        self.issue = self.p.planned_issue_date
        self.findings: list[CheckFinding] = []

    # ---------------------------------------------------------------- helpers
    def name(self, org: str) -> str:
        o = self.pmap.orgs.get(org)
        return o.name if o else org

    def consultation_ref(self, i: int, c: PlannedConsultation) -> str:
        return c.id or f"consultations[{i}]"

    def evidence(self, cited: Iterable[tuple[str, Iterable[str]]]) -> tuple[EvidenceRef, ...]:
        if self.pmap.case is None:
            return ()
        return evidence_refs(self.pmap.case, cited)

    def add(self, rule: str, status: str, message: str, *, stakeholder=None, impact=None, interface=None,
            line=None, field=None, related=(), parties=(), lead=None, need=None, evidence=()) -> None:
        severity = STATUSES[rule][status][0]
        self.findings.append(CheckFinding(
            rule=rule, decision=self.p.id, stakeholder=stakeholder, impact=impact, interface=interface,
            status=status, severity=severity, message=message, parties=tuple(parties), lead_time_days=lead,
            required_lead_days=need, evidence=tuple(evidence), line=line, field=field,
            related_lines=tuple(sorted({x for x in related if x is not None and x != line})),
        ))

    # ---------------------------------------------------------------- 1. affected
    def reach(self):
        graph = process_graph(self.pmap)
        routes: dict[str, dict[str, Route]] = defaultdict(dict)  # org -> change -> shortest route
        incoming_topics: dict[str, set[str]] = defaultdict(set)
        flow_pops: dict[str, Pops] = {}
        new_by_change: dict[str, set[str]] = defaultdict(set)
        new_flows: set[str] = set()
        for change in self.p.changes:
            added = frozenset(change.add_populations)
            for fid in self.lp.change_flows[change.id]:
                flow = self.pmap.flows[fid]
                r = _reach(graph, self.pmap, flow, added, change.volume is not None)
                changed = _step(flow, r.flows[fid], True, change.new_deadline)
                for org, (start, steps) in r.routes.items():
                    route = Route(change=change.id, changed_flow=fid, start=start, steps=tuple(
                        changed if f.id == fid else _step(f, pops, False) for f, pops in steps))
                    known = routes[org].get(change.id)
                    if known is None or len(route.steps) < len(known.steps):
                        routes[org][change.id] = route
                # topics through which each organisation is reached
                incoming_topics[flow.source].add(self.pmap.topic_of(fid))
                for g_id, pops in r.flows.items():
                    incoming_topics[self.pmap.flows[g_id].target].add(self.pmap.topic_of(g_id))
                    flow_pops[g_id] = _union(flow_pops.get(g_id, False), pops)
                if change.topic:
                    for org in r.routes:
                        incoming_topics[org].add(change.topic)
                new_by_change[change.id] |= r.new_flows
                new_flows |= r.new_flows
        return routes, incoming_topics, flow_pops, new_by_change, new_flows

    def on_side(self, org: str) -> bool:
        return any(self.pmap.within(org, s) for s in self.p.side)

    # ---------------------------------------------------------------- 3. consultation
    def topic_status(self, org: str, topic: str) -> TopicStatus:
        issue = self.issue
        direct, parent, not_advance = [], [], []
        for i, c in enumerate(self.p.consultations):
            if topic not in c.topics:
                continue
            timing = c.date.timing(issue)
            ref = self.consultation_ref(i, c)
            if org in c.with_:
                (direct if timing is Timing.before else not_advance).append((i, c, ref, timing))
            elif timing is Timing.before:
                above = [w for w in c.with_ if w != org and self.pmap.within(org, w)]
                if above:
                    parent.append((i, c, ref, above[0]))
        need, _ = self.need(org, topic)

        def earned(items, status):
            first = min(items, key=lambda x: (x[1].date.start, x[1].date.end))
            return TopicStatus(topic=topic, status=status, contacts=tuple(x[2] for x in items),
                               first_contact=str(first[1].date), lead_time_days=_lead_days(first[1].date, issue),
                               required_lead_days=need, via=first[3] if status is Status.leadership_only else None)

        two_way = [x for x in direct if x[1].kind.two_way]
        if two_way:
            return earned(two_way, Status.consulted)
        if direct:
            return earned(direct, Status.informed)
        if parent:
            return earned(parent, Status.leadership_only)
        same = [x for x in not_advance if x[3] in (Timing.same_day, Timing.overlap)]
        if same:
            return TopicStatus(topic=topic, status=Status.same_day, contacts=tuple(x[2] for x in same),
                               first_contact=str(same[0][1].date), required_lead_days=need)
        if not_advance:
            return TopicStatus(topic=topic, status=Status.after, contacts=tuple(x[2] for x in not_advance),
                               first_contact=str(min(x[1].date for x in not_advance)), required_lead_days=need)
        return TopicStatus(topic=topic, status=Status.none, required_lead_days=need)

    def need(self, org: str, topic: str):
        best = None
        for lt in self.pmap.lead_times:
            if any(self.pmap.within(org, o) for o in lt.organisations) and lt.topic in (None, topic):
                if best is None or lt.days > best.days:
                    best = lt
        return (best.days, best) if best else (None, None)

    # ---------------------------------------------------------------- run
    def run(self) -> CheckResult:
        p, pmap = self.p, self.pmap
        routes, topics_of, flow_pops, new_by_change, new_flows = self.reach()
        affected_ids = sorted(o for o in routes if not self.on_side(o))
        listed = set(p.stakeholders)
        change_line = {c.id: self.lp.line("changes", i) for i, c in enumerate(p.changes)}
        stake_line = self.lp.line("stakeholders") if "stakeholders" in _keys(self.lp) else None
        cons_line = self.lp.line("consultations") if "consultations" in _keys(self.lp) else None

        affected: list[AffectedOrg] = []
        for org in affected_ids:
            org_routes = tuple(routes[org].values())
            related = [change_line[r.change] for r in org_routes]
            if org in listed:
                listing, listed_as = Listing.listed, org
            else:
                above = [s for s in p.stakeholders if pmap.within(org, s)]
                listing = Listing.listed_via_parent if above else Listing.missing
                listed_as = above[0] if above else None
            deadlines = {}
            for r in org_routes:
                for s in r.steps:
                    if (s.deadline_hours or s.deadline) and s.flow not in deadlines:
                        deadlines[s.flow] = Deadline(flow=s.flow, source=s.source, target=s.target,
                                                     hours=s.deadline_hours, text=s.deadline, new=s.new_deadline)
            statuses = tuple(self.topic_status(org, t) for t in sorted(topics_of[org]))
            a = AffectedOrg(organisation=org, name=self.name(org), relation=relation(pmap.orgs, p.issuing_office, org),
                            listing=listing, listed_as=listed_as, routes=org_routes,
                            deadlines=tuple(deadlines.values()), topics=statuses)
            affected.append(a)
            ev = self.evidence((f"flow {s.flow}", s.evidence) for r in org_routes for s in r.steps)
            why = a.why
            if listing is Listing.missing:
                self.add(R1, "missing", f"{org} ({a.name}) is affected but not on the stakeholder list. Why: {why}",
                         stakeholder=org, line=stake_line or related[0], field="stakeholders", related=related,
                         evidence=ev)
            elif listing is Listing.listed_via_parent:
                i = p.stakeholders.index(listed_as)
                self.add(R1, "listed_via_parent",
                         f"{org} ({a.name}) is listed only as part of {listed_as}; name it so its own needs are "
                         f"weighed. Why it is affected: {why}", stakeholder=org,
                         line=self.lp.line("stakeholders", i), field=f"stakeholders.{i}", related=related, evidence=ev)
            self.consultation_findings(a, related, cons_line or stake_line, ev)

        r1_ok, r1_reason = r1_applies(pmap.orgs, p.issuing_office, affected_ids)
        r1 = R1Scope(applies=r1_ok and p.significant,
                     reason=(r1_reason if p.significant else f"not marked significant (although {r1_reason})"),
                     categories={k: tuple(v) for k, v in r1_categories(pmap.orgs, p.issuing_office, affected_ids).items()})
        if not r1.applies:  # outside OIG-R1's scope, consultation gaps are reported but do not block
            self.findings = [f if f.rule != R1 or f.status == "missing"
                             else f.model_copy(update={"severity": Severity.low}) for f in self.findings]

        interfaces = self.interfaces(routes, new_flows, new_by_change, flow_pops)
        findings, unused = self.apply_accepted_gaps()
        reached_or_side = set(affected_ids) | {o for o in routes if self.on_side(o)}
        return CheckResult(
            proposal=ProposalInfo(id=p.id, title=p.title, file=self.lp.label, issuing_office=p.issuing_office,
                                  planned_issue_date=str(p.planned_issue_date), significant=p.significant),
            reference=pmap.label,
            fail_on=self.fail_on,
            r1=r1,
            affected=tuple(affected),
            missing=tuple(a.organisation for a in affected if a.listing is Listing.missing),
            listed_not_affected=tuple(s for s in p.stakeholders if not self.on_side(s)
                                      and not any(pmap.within(o, s) for o in reached_or_side)),
            interfaces=interfaces,
            findings=findings,
            unused_accepted_gaps=unused,
            ignored_reference_problems=pmap.ignored_problems,
        )

    def consultation_findings(self, a: AffectedOrg, related: list, fallback_line, ev) -> None:
        """One finding per status short of consulted (listing the topics at it), and one per short lead time."""
        org = a.organisation
        contacts = [(i, c) for i, c in enumerate(self.p.consultations) if org in c.with_]
        groups: dict[tuple, list[TopicStatus]] = defaultdict(list)
        for ts in a.topics:
            if ts.status is not Status.consulted:
                groups[(ts.status, ts.via)].append(ts)
        why = a.why
        for (status, via), items in groups.items():
            topics = ", ".join(t.topic for t in items)
            line, field = fallback_line, "consultations"
            if items[0].contacts:
                i = self._consultation_index(items[0].contacts[0])
                line, field = self.lp.line("consultations", i), f"consultations.{i}"
            elif contacts:
                line, field = self.lp.line("consultations", contacts[0][0]), f"consultations.{contacts[0][0]}"
            other = sorted({t for _, c in contacts for t in c.topics if self._advance(c)} - {t.topic for t in items})
            refs = ", ".join(dict.fromkeys(r for t in items for r in t.contacts))
            msg = {
                Status.none: f"no contact with {org} on {topics} is planned before the issue date"
                             + (f" (it is contacted on {', '.join(other)} only)" if other else ""),
                Status.after: f"{org} is contacted on {topics} only after the issue date ({refs})",
                Status.same_day: f"{org} is contacted on {topics} only on the issue date ({refs}), "
                                 "or at a precision that cannot show it is earlier",
                Status.leadership_only: f"only {via} ({self.name(via)}), above {org}, is contacted on {topics}; "
                                        f"{org} itself is not",
                Status.informed: f"{org} is only told about {topics} ({refs}); its input is not sought "
                                 "(plan a two-way consultation)",
            }[status]
            self.add(R1, status.value, f"{msg}. It is affected through {topics}: {why}",
                     stakeholder=org, impact=",".join(t.topic for t in items), line=line, field=field,
                     related=related, lead=items[0].lead_time_days, need=items[0].required_lead_days, evidence=ev)
        for ts in a.topics:
            if ts.lead_time_ok is False:
                _, lt = self.need(org, ts.topic)
                i = self._consultation_index(ts.contacts[0])
                self.add(R1, "short_lead_time",
                         f"{org} is first contacted on {ts.topic} {ts.lead_time_days} days before the issue date "
                         f"({ts.first_contact}); it needs {ts.required_lead_days} days: {lt.basis}",
                         stakeholder=org, impact=ts.topic, line=self.lp.line("consultations", i, "date"),
                         field=f"consultations.{i}.date", related=related, lead=ts.lead_time_days,
                         need=ts.required_lead_days, evidence=self.evidence([(f"lead time of {org}", lt.evidence)]))

    def _advance(self, c: PlannedConsultation) -> bool:
        return c.date.timing(self.issue) is Timing.before

    def _consultation_index(self, ref: str) -> int:
        for i, c in enumerate(self.p.consultations):
            if self.consultation_ref(i, c) == ref:
                return i
        raise KeyError(ref)

    # ---------------------------------------------------------------- 4. interfaces
    def _timing(self, when: FuzzyDate | None) -> str:
        """Against the issue date. In a proposal a missing date means already in effect (or signed)."""
        return "ok" if when is None else in_effect_by(when, self.issue)

    def interfaces(self, routes, new_flows, new_by_change, flow_pops) -> tuple[NewInterface, ...]:
        p, pmap, lp = self.p, self.pmap, self.lp
        reached = set(routes)
        change_line = {c.id: lp.line("changes", i) for i, c in enumerate(p.changes)}
        found: list[tuple[str, str, str, tuple[str, ...], list[str], tuple[str, ...]]] = []
        folded: set[str] = set()
        for iface in sorted(pmap.interfaces.values(), key=lambda i: i.id):
            if not all(any(pmap.within(o, party) for o in reached) for party in iface.parties):
                continue
            inside = [f for f in sorted(new_flows) if all(
                any(pmap.within(end, party) for party in iface.parties)
                for end in (pmap.flows[f].source, pmap.flows[f].target))]
            folded |= set(inside)
            by = tuple(c.id for c in p.changes if any(
                pmap.within(o, party) for o in reached if c.id in routes[o] for party in iface.parties))
            found.append((iface.id, "known", iface.title, tuple(iface.parties), inside, by))
        for fid in sorted(new_flows - folded):
            f = pmap.flows[fid]
            by = tuple(c for c in new_by_change if fid in new_by_change[c])
            found.append((f"i-{fid}", "inferred", f"{f.handover} ({f.source} -> {f.target})",
                          tuple(dict.fromkeys((f.source, f.target))), [fid], by))
        out = []
        for iid, kind, title, parties, fids, by in found:
            related = [change_line[c] for c in by]
            agencies = tuple(sorted({pmap.root(o) for o in parties}))
            ev_ids = pmap.interfaces[iid].evidence if kind == "known" else pmap.flows[fids[0]].evidence
            ev = self.evidence([(f"interface {iid}", ev_ids)] + [(f"flow {f}", pmap.flows[f].evidence) for f in fids])

            def covers(rec_id: str) -> bool:
                return iid in lp.covers_interfaces[rec_id] or (kind == "inferred" and fids[0] in lp.covers_flows[rec_id])

            # OIG-R2: each party holds (or sits below the holder of) a procedure in effect by the issue date
            procs = []
            for party in parties:
                cover = [pr for pr in p.procedures if covers(pr.id) and pmap.within(party, pr.organisation)]
                status = min((self._timing(pr.in_effect) for pr in cover), key=_STATUS_ORDER.index, default="none")
                procs.append(PartyProcedure(organisation=party, covered_by=tuple(pr.id for pr in cover), status=status))
            failing = {pp.organisation: pp for pp in procs if pp.status != "ok"}
            for party, pp in failing.items():
                if any(a in failing for a in pmap.ancestors(party)):
                    continue  # reported with the party above it
                below = [o for o in failing if o != party and pmap.within(o, party)]
                idx = next((i for i, pr in enumerate(p.procedures) if pr.id in pp.covered_by), None)
                line = lp.line("procedures", idx) if idx is not None else self.section_line("procedures", related)
                what = {"none": "has no procedure for", "late": "has a procedure only after the issue date for",
                        "undetermined": "has a procedure, at a date that cannot be compared with the issue date, for"}
                self.add(R2, pp.status, f"{party} ({self.name(party)}){' and ' + ', '.join(below) if below else ''} "
                         f"{what[pp.status]} interface {iid}: {title}", stakeholder=party, interface=iid, line=line,
                         field="procedures" if idx is None else f"procedures.{idx}", related=related, parties=parties,
                         evidence=ev)
            # OIG-R3: when the interface spans agencies, an agreement they are all party to, signed by the issue date
            needed = len(agencies) >= 2
            cover = [ag for ag in p.agreements if covers(ag.id)]
            missing_of = {ag.id: tuple(o for o in parties if not any(pmap.within(o, q) for q in ag.parties))
                          for ag in cover}
            full = [ag for ag in cover if not missing_of[ag.id]]
            if not needed:
                status = "ok"
            elif full:
                status = min((self._timing(ag.signed) for ag in full), key=_STATUS_ORDER.index)
            else:
                status = "partial" if cover else "none"
            missing = () if full or not cover else min(missing_of.values(), key=len)
            agreement = AgreementCheck(needed=needed, covered_by=tuple(ag.id for ag in (full or cover)),
                                       missing_parties=missing if cover else (parties if needed else ()),
                                       status=status)
            if status != "ok":
                idx = next((i for i, ag in enumerate(p.agreements) if ag.id in agreement.covered_by), None)
                line = lp.line("agreements", idx) if idx is not None else self.section_line("agreements", related)
                detail = {"none": "no agreement covers it",
                          "partial": f"the agreement covering it ({', '.join(agreement.covered_by)}) does not "
                                     f"bind {', '.join(agreement.missing_parties)}",
                          "late": "the agreement is signed only after the issue date",
                          "undetermined": "when the agreement is signed cannot be compared with the issue date"}[status]
                self.add(R3, status, f"interface {iid} ({title}) spans {', '.join(agencies)}: {detail}",
                         interface=iid, line=line, field="agreements" if idx is None else f"agreements.{idx}",
                         related=related, parties=parties, evidence=ev)
            out.append(NewInterface(
                id=iid, kind=kind, title=title, parties=parties, agencies=agencies,
                flows=tuple(_step(pmap.flows[f], flow_pops.get(f), False) for f in fids), created_by=by,
                procedures=tuple(procs), agreement=agreement, evidence=tuple(ev_ids)))
        return tuple(out)

    def section_line(self, key: str, related: list) -> int | None:
        """The line of a top-level key of the proposal, else of the first related change."""
        if key in _keys(self.lp):
            return self.lp.line(key)
        return next((x for x in related if x is not None), None)

    # ---------------------------------------------------------------- accepted gaps
    def apply_accepted_gaps(self) -> tuple[tuple[CheckFinding, ...], tuple[int, ...]]:
        gaps = self.p.accepted_gaps
        used: set[int] = set()
        out = []
        for f in self.findings:
            n = next((i for i, g in enumerate(gaps) if g.rule == f.rule
                      and g.status in (None, f.status) and g.stakeholder in (None, f.stakeholder)), None)
            if n is not None:
                used.add(n)
                g = gaps[n]
                f = f.model_copy(update={"suppression": Suppression(
                    rule=g.rule, decision=self.p.id, stakeholder=g.stakeholder, justification=g.justification)})
            out.append(f)
        rule_order = {R1: 0, R2: 1, R3: 2}
        out.sort(key=lambda f: (f.severity.rank, rule_order[f.rule], f.stakeholder or "", f.interface or "",
                                f.impact or "", f.status))
        return tuple(out), tuple(i for i in range(len(gaps)) if i not in used)


_STATUS_ORDER = ["ok", "undetermined", "late", "partial", "none"]  # best first


def _keys(lp: LoadedProposal) -> set:
    return {k[0] for k in lp.lines if len(k) == 1}


def check_loaded(lp: LoadedProposal, fail_on: Severity | str = Severity.medium) -> CheckResult:
    """Check a proposal already read with coordgap.io.proposal.load_proposal."""
    return _Checker(lp, Severity(fail_on)).run()


def check_proposal(path: str | Path, *, case: str | Path | None = None,
                   fail_on: Severity | str = Severity.medium) -> CheckResult:
    """Check a proposal file against the process map it names (or `case`, when given).

    Raises UnusablePathError when the file is missing and InvalidInputError,
    listing every problem with file, line and field, when it is invalid.
    A finding blocks when it is not an accepted gap and its severity is at
    least `fail_on` (default: medium).
    """
    return check_loaded(load_proposal(path, case=case), fail_on)


__all__ = [
    "AffectedOrg",
    "CheckFinding",
    "CheckResult",
    "Deadline",
    "Listing",
    "AgreementCheck",
    "NewInterface",
    "PartyProcedure",
    "Route",
    "STATUSES",
    "Step",
    "TopicStatus",
    "check_loaded",
    "check_proposal",
    "is_blocking",
    "process_graph",
]
