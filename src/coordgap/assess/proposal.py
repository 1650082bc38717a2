"""The pre-rollout check: is a proposed policy's stakeholder list complete?

`check_proposal(path_or_loaded, rulebook=...)` answers, in a typed `CheckResult`:

1. who is affected: the process map followed downstream from every flow a
   change touches (coordgap.engine.propagation), each organisation with the
   shortest route that explains why and the deadlines on the way;
2. who is missing from the authors' stakeholder list (the headline);
3. the rulebooks' findings. The rules are the same objects `coordgap
   findings` runs on a case: this module only builds their questions from
   the proposal (`proposal_questions`): one cell per affected organisation
   and topic, its status from the planned consultations (the ladder of
   coordgap.engine.ladder), and the interfaces the change creates with the
   procedures and agreements planned for them.

Then it places each finding on a line of the proposal file, merges an
organisation's consultation findings into one, applies the accepted gaps
(the same suppressions a case has) and lists what the rules leave outside.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, computed_field

from ..engine.ladder import Contact, ladder
from ..engine.propagation import Pops, process_graph, reach, union
from ..io.proposal import load_proposal
from ..model.case import Flow, Status, Suppression
from ..model.findings import Finding, Severity, evidence_refs
from ..model.proposal import LoadedProposal, NewDeadline
from ..rules.questions import CellQ, DecisionQ, InterfaceQ, Location, Questions, RecordQ
from ..rules.scope import Relation, on_side, relation
from . import harm
from .case import DEFAULT_RULEBOOK, apply_suppressions, sort_key, suppression_matches


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Listing(StrEnum):
    """How the stakeholder list names an affected organisation."""

    listed = "listed"
    listed_via_parent = "listed_via_parent"
    missing = "missing"


class Step(_Out):
    """One handoff on a route: a flow of the process map."""

    flow: str
    source: str
    target: str
    handover: str
    populations: tuple[str, ...] = ()  # who passes along it here; empty: not restricted
    deadline_hours: float | None = None
    deadline: str | None = None  # the deadline in words
    changed: bool = False  # a flow the proposal changes
    new_deadline: bool = False  # the deadline is the one the proposal sets
    evidence: tuple[str, ...] = ()


class Route(_Out):
    """Why an organisation is affected by one change: the handoffs from the changed flow to it.

    When `start` is the changed flow's target, the steps continue from there;
    when it is its source, they are the handoffs the source starts for the
    population the change adds (a child's transfer when the parent is referred).
    """

    change: str
    changed_flow: str
    start: str
    steps: tuple[Step, ...]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def text(self) -> str:
        """The route with its flows and their deadlines: `a -[flow, deadline]-> b ...`."""
        return self.words()

    def words(self, deadlines: bool = True) -> str:
        """The route with its flows (`a -[flow]-> b ...`), with the deadlines on them or without
        (the terminal lists an organisation's deadlines under its route, once)."""
        first, rest = self.steps[0], self.steps[1:]
        out = f"{first.source} -[{_step_label(first, deadlines)}]-> {first.target}"
        at = first.target
        if rest and self.start == first.source:
            out += f"; with it, {first.source}"
            at = first.source
        for s in rest:
            if s.source != at:
                out += f" (as part of {s.source})"
            out += f" -[{_step_label(s, deadlines)}]-> {s.target}"
            at = s.target
        return out

    @property
    def short(self) -> str:
        """The organisations on the route only: `a > b > c`."""
        first, rest = self.steps[0], self.steps[1:]
        # a route that continues from the changed flow's sender skips its receiver
        orgs = [first.source] if rest and self.start == first.source else [first.source, first.target]
        orgs += [s.target for s in rest]
        return " > ".join(dict.fromkeys(orgs))


def _step_label(s: Step, deadlines: bool = True) -> str:
    bits = [s.flow]
    if s.changed:
        bits.append("changed")
    if deadlines and (s.deadline or s.deadline_hours):
        bits.append(s.deadline or f"within {s.deadline_hours:g} hours")
    return ", ".join(bits)


class Deadline(_Out):
    flow: str
    source: str
    target: str
    hours: float | None = None  # None when the deadline is given in words only
    text: str | None = None
    new: bool = False  # set by the proposal

    @property
    def words(self) -> str:
        return self.text or f"within {self.hours:g} hours"


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
        return self.why_words()

    def why_words(self, deadlines: bool = True) -> str:
        others = sorted({r.change for r in self.routes} - {self.route.change})
        also = f" (also reached by change {', '.join(others)})" if others else ""
        return f"change {self.route.change}: {self.route.words(deadlines)}{also}"

    @property
    def status(self) -> Status:
        """The worst status over its topics."""
        return max((t.status for t in self.topics), key=lambda s: s.rank, default=Status.none)


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
    evidence: tuple[str, ...] = ()


class CheckFinding(Finding):
    """A finding about a proposal, with the line of the proposal file it points at."""

    line: int | None = None
    field: str | None = None
    related_lines: tuple[int, ...] = ()  # e.g. the changes that make the organisation affected
    listing: Listing | None = None  # OIG-R1: how the stakeholder list names the organisation

    @property
    def subrule(self) -> str:
        return f"{self.rule}/{self.status}"


class Outside(_Out):
    """Something a rule's scope leaves out, with the reason."""

    rule: str
    subject: str
    id: str
    reason: str
    within: str | None = None


class RuleResult(_Out):
    """One rule's result on the proposal: whether it applies, and its findings by severity."""

    code: str
    title: str
    applies: bool
    why: str  # why it applies, or the reason it does not
    findings: int  # unaccepted findings
    blocking: int
    accepted: int
    by_severity: dict[str, int]  # severity -> unaccepted findings


class RankedGap(_Out):
    """One organisation (a component, with the offices below it that are affected) left without
    advance coordination, with its harm (coordgap.assess.harm: the measure the report's worst gaps
    use), worst first in `CheckResult.gaps`."""

    organisation: str  # the component's id, or '<top>/field-offices' for field offices below a top
    who: str  # in words
    offices: tuple[str, ...]
    topics: tuple[str, ...]  # topics or interfaces, worst first
    harm: float
    severity: Severity  # the worst of its findings
    missing: tuple[str, ...]  # its offices that are not on the stakeholder list
    lead_missed_days: int | None = None  # the most days of needed notice the plan leaves out
    rules: tuple[str, ...]


class TopicGap(_Out):
    """Who is not to be consulted (two-way, in time) about one topic, among those it affects."""

    topic: str
    affected: tuple[str, ...]
    not_consulted: tuple[str, ...]  # the affected organisations with an unaccepted finding on it
    groups: tuple[str, ...]  # not_consulted in words, by component (as the gaps are grouped)


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
    rulebooks: tuple[str, ...]
    fail_on: Severity
    applies: dict[str, str]  # rule code -> why it applies to the proposal ("" when it does not)
    affected: tuple[AffectedOrg, ...]
    missing: tuple[str, ...]  # the headline: affected organisations not on the list
    listed_not_affected: tuple[str, ...]  # listed, but the process map shows no way they are affected
    interfaces: tuple[NewInterface, ...]
    findings: tuple[CheckFinding, ...]
    outside: tuple[Outside, ...] = ()
    warnings: tuple[str, ...] = ()
    unused_accepted_gaps: tuple[int, ...] = ()  # indexes of accepted_gaps that matched no finding
    ignored_reference_problems: int = 0  # problems of the case in files the check does not read
    # the executive summary's figures, computed here once (the table, JSON and SARIF show them)
    rules: tuple[RuleResult, ...] = ()
    gaps: tuple[RankedGap, ...] = ()  # every gap, worst first
    topics: tuple[TopicGap, ...] = ()  # by topic, the most not consulted first
    missing_groups: tuple[str, ...] = ()  # `missing` in words, by component (as the gaps are grouped)

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


# ================================================================ 1. who is affected ====
@dataclass
class Propagation:
    """Everything the changes reach, over all changes."""

    routes: dict[str, dict[str, Route]]  # org -> change -> shortest route
    topics: dict[str, set[str]]  # org -> topics through which it is reached
    flow_pops: dict[str, Pops]  # flow -> what passes along it
    new_by_change: dict[str, set[str]]  # change -> new flows
    warnings: list[str]


def _step(f: Flow, pops: Pops, changed: bool, deadlines: dict[str, NewDeadline]) -> Step:
    hours, text, new = f.deadline_hours, f.deadline, False
    if f.id in deadlines:  # the proposal's deadline wins over the map's, whichever change set it
        d = deadlines[f.id]
        hours, text, new = d.hours, d.description or f"within {d.hours:g} hours", True
    return Step(flow=f.id, source=f.source, target=f.target, handover=f.handover,
                populations=tuple(sorted(pops)) if pops else (), deadline_hours=hours, deadline=text,
                changed=changed, new_deadline=new, evidence=f.evidence)


def _deadlines(lp: LoadedProposal, warnings: list[str]) -> dict[str, NewDeadline]:
    """The deadline the proposal sets on each flow; the shortest when two changes set one."""
    out: dict[str, NewDeadline] = {}
    for c in lp.proposal.changes:
        if c.new_deadline is None:
            continue
        for fid in lp.change_flows[c.id]:
            known = out.get(fid)
            if known is not None and known.hours != c.new_deadline.hours:
                warnings.append(f"flow {fid} gets two deadlines ({known.hours:g} and {c.new_deadline.hours:g} "
                                "hours): the shorter is used")
            if known is None or c.new_deadline.hours < known.hours:
                out[fid] = c.new_deadline
    return out


def _flows(fids: list[str]) -> str:
    return f"flow {fids[0]}" if len(fids) == 1 else f"{len(fids)} flows ({', '.join(fids)})"


def propagate(lp: LoadedProposal) -> Propagation:
    p, pmap = lp.proposal, lp.reference
    graph = process_graph(pmap)
    warnings: list[str] = []
    deadlines = _deadlines(lp, warnings)
    routes: dict[str, dict[str, Route]] = defaultdict(dict)
    topics: dict[str, set[str]] = defaultdict(set)
    flow_pops: dict[str, Pops] = {}
    new_by_change: dict[str, set[str]] = defaultdict(set)
    already: dict[tuple, list[str]] = defaultdict(list)
    empty: dict[str, list[str]] = defaultdict(list)
    for change in p.changes:
        volume = change.volume is not None or not change.add_populations
        for fid in lp.change_flows[change.id]:
            flow = pmap.flows[fid]
            r = reach(graph, pmap, flow, volume=volume, adds=frozenset(change.add_populations),
                      limit=frozenset(change.populations))
            if r.already:
                already[(change.id, r.already)].append(fid)
            if r.stream is False:
                empty[change.id].append(fid)
                continue
            for org, (start, steps) in r.routes.items():
                route = Route(change=change.id, changed_flow=fid, start=start, steps=tuple(
                    _step(f, pops, f.id == fid, deadlines) for f, pops in steps))
                known = routes[org].get(change.id)
                if known is None or len(route.steps) < len(known.steps):
                    routes[org][change.id] = route
            topics[flow.source].add(pmap.topic_of(fid))
            for g_id, pops in r.flows.items():
                topics[pmap.flows[g_id].target].add(pmap.topic_of(g_id))
                flow_pops[g_id] = union(flow_pops.get(g_id, False), pops)
            if change.topic:
                for org in r.routes:
                    topics[org].add(change.topic)
            new_by_change[change.id] |= r.new_flows
    for (cid, pops), fids in already.items():
        warnings.append(f"change {cid} adds {', '.join(pops)}, which {_flows(fids)} already carry: "
                        "treated as more of it, not as a new population")
    for cid, fids in empty.items():
        change = next(c for c in p.changes if c.id == cid)
        warnings.append(f"change {cid}: {_flows(fids)} carry none of "
                        f"{', '.join(change.populations or change.add_populations)}; it reaches nobody there")
    return Propagation(routes=routes, topics=topics, flow_pops=flow_pops, new_by_change=new_by_change,
                       warnings=warnings)


# ================================================================ 2. the questions ====
def _ref(i: int, c) -> str:
    return c.id or f"consultations[{i}]"


def _keys(lp: LoadedProposal) -> set:
    return {k[0] for k in lp.lines if len(k) == 1}


def _section_line(lp: LoadedProposal, key: str, related: Sequence[int | None]) -> int | None:
    """The line of a top-level key of the proposal, else of the first related change."""
    if key in _keys(lp):
        return lp.line(key)
    return next((x for x in related if x is not None), None)


@dataclass
class ProposalQuestions:
    """The questions a proposal asks of the rules, and what the check shows around them."""

    questions: Questions
    propagation: Propagation
    affected: tuple[AffectedOrg, ...]
    interfaces: tuple[NewInterface, ...]
    change_lines: dict[str, int | None]


def _lead_time(pmap, org: str, topic: str):
    best = None
    for lt in pmap.lead_times:
        if any(pmap.tree.is_within(org, o) for o in lt.organisations) and lt.topic in (None, topic):
            if best is None or lt.days > best.days:
                best = lt
    return best


def proposal_questions(lp: LoadedProposal) -> ProposalQuestions:
    """The neutral questions of a proposal: the proposal as a decision, one cell per affected
    organisation and topic (status from the planned consultations), the interfaces the change
    creates, and the procedures and agreements it plans."""
    p, pmap = lp.proposal, lp.reference
    tree, issue = pmap.tree, p.planned_issue_date
    prop = propagate(lp)
    decision = DecisionQ(id=p.id, title=p.title, date=issue, decided_by=(p.issuing_office,), acting_for=p.acting_for,
                         urged_by=p.urged_by, significant=p.significant)
    side = decision.side
    affected_ids = sorted(o for o in prop.routes if not on_side(tree, side, o))
    decision = replace(decision, affected=tuple(affected_ids))
    change_lines = {c.id: lp.line("changes", i) for i, c in enumerate(p.changes)}
    case = pmap.case
    evidence = (lambda cited: evidence_refs(case, cited)) if case is not None else (lambda cited: ())
    dept = tree.department_of(p.issuing_office) or tree.root_of(p.issuing_office)
    addressed = p.addresses.get(DEFAULT_RULEBOOK, dept)

    affected, cells = [], []
    for org in affected_ids:
        org_routes = tuple(prop.routes[org].values())
        related = tuple(sorted({change_lines[r.change] for r in org_routes} - {None}))
        if org in p.stakeholders:
            listing, listed_as = Listing.listed, org
        else:
            above = [s for s in p.stakeholders if tree.is_within(org, s)]
            listing = Listing.listed_via_parent if above else Listing.missing
            listed_as = above[0] if above else None
        deadlines: dict[str, Deadline] = {}
        for r in org_routes:
            for s in r.steps:
                if (s.deadline_hours or s.deadline) and s.flow not in deadlines:
                    deadlines[s.flow] = Deadline(flow=s.flow, source=s.source, target=s.target,
                                                 hours=s.deadline_hours, text=s.deadline, new=s.new_deadline)
        route_cited = tuple((f"flow {s.flow}", s.evidence) for r in org_routes for s in r.steps)
        statuses = []
        for topic in sorted(prop.topics[org]):
            contacts = [Contact(id=_ref(i, c), date=c.date, from_side=True,
                                direct=any(tree.is_within(w, org) for w in c.with_), two_way=c.kind.two_way,
                                above=tuple(w for w in c.with_ if w != org and tree.is_within(org, w)))
                        for i, c in enumerate(p.consultations) if topic in c.topics]
            rung = ladder(contacts, issue)
            lt = _lead_time(pmap, org, topic)
            need = lt.days if lt else None
            via = tuple(dict.fromkeys(w for c in rung.contacts for w in c.above)) \
                if rung.status is Status.leadership_only else ()
            statuses.append(TopicStatus(
                topic=topic, status=rung.status, contacts=tuple(c.id for c in rung.contacts),
                via=via[0] if via else None, first_contact=str(rung.first.date) if rung.first else None,
                lead_time_days=rung.lead_time_days if rung.status.rank <= Status.indirect.rank else None,
                required_lead_days=need))
            other = tuple(_ref(i, c) for i, c in enumerate(p.consultations)
                          if topic not in c.topics and any(tree.is_within(w, org) for w in c.with_))
            first = rung.contacts[0] if rung.contacts else None
            idx = next((i for i, c in enumerate(p.consultations) if first and _ref(i, c) == first.id), None)
            if idx is None and other:
                idx = next(i for i, c in enumerate(p.consultations) if _ref(i, c) == other[0])
            if listing is Listing.missing:
                loc = Location(line=_section_line(lp, "stakeholders", related), field="stakeholders",
                               related_lines=related)
            elif idx is not None:
                short = lt is not None and rung.status is Status.consulted
                loc = Location(line=lp.line("consultations", idx, *(("date",) if short else ())),
                               field=f"consultations.{idx}" + (".date" if short else ""), related_lines=related)
            else:
                loc = Location(line=_section_line(lp, "consultations", related), field="consultations",
                               related_lines=related)
            cited = route_cited + ((f"lead time of {org}", lt.evidence),) if lt else route_cited
            cells.append(CellQ(
                decision=p.id, stakeholder=org, impact=topic, topic=topic, status=rung.status,
                undisputed_status=rung.undisputed_status, first_contact_date=statuses[-1].first_contact,
                timing_uncertain=rung.timing_uncertain, lead_time_days=statuses[-1].lead_time_days,
                required_lead_days=need, contacts=statuses[-1].contacts, other_topic_contacts=other,
                via=via, cited=cited, location=loc))
        affected.append(AffectedOrg(
            organisation=org, name=tree.name(org), relation=relation(tree, addressed, org, p.issuing_office),
            listing=listing, listed_as=listed_as, routes=org_routes, deadlines=tuple(deadlines.values()),
            topics=tuple(statuses)))

    interfaces, iface_qs = _interfaces(lp, prop, change_lines)
    covered = {rec: tuple(lp.covers_interfaces.get(rec, ())) + tuple(f"i-{f}" for f in lp.covers_flows.get(rec, ()))
               for rec in [x.id for x in p.procedures] + [x.id for x in p.agreements]}
    procedures = tuple(RecordQ(id=pr.id, title=pr.title, holders=(pr.organisation,), interfaces=covered[pr.id],
                               when=pr.in_effect, location=Location(line=lp.line("procedures", i),
                                                                    field=f"procedures.{i}"))
                       for i, pr in enumerate(p.procedures))
    agreements = tuple(RecordQ(id=ag.id, title=ag.title, holders=ag.parties, interfaces=covered[ag.id],
                               when=ag.signed, location=Location(line=lp.line("agreements", i),
                                                                 field=f"agreements.{i}"))
                       for i, ag in enumerate(p.agreements))
    q = Questions(kind="proposal", subject=p.id, tree=tree, decisions={p.id: decision}, cells=tuple(cells),
                  interfaces=iface_qs, procedures=procedures, agreements=agreements,
                  addresses=dict(p.addresses), undated="ok", evidence_of=evidence, source=pmap.case)
    return ProposalQuestions(questions=q, propagation=prop, affected=tuple(affected), interfaces=interfaces,
                             change_lines=change_lines)


def _interfaces(lp: LoadedProposal, prop: Propagation, change_lines) -> tuple[tuple[NewInterface, ...],
                                                                               tuple[InterfaceQ, ...]]:
    """Known interfaces whose parties the change all reaches, and every handoff only it sets going."""
    p, pmap, tree = lp.proposal, lp.reference, lp.reference.tree
    reached = set(prop.routes)
    new_flows = set().union(*prop.new_by_change.values()) if prop.new_by_change else set()
    deadlines = _deadlines(lp, [])
    found = []
    folded: set[str] = set()
    for iface in sorted(pmap.interfaces.values(), key=lambda i: i.id):
        if not all(any(tree.is_within(o, party) for o in reached) for party in iface.parties):
            continue
        inside = [f for f in sorted(new_flows) if all(any(tree.is_within(end, party) for party in iface.parties)
                                                      for end in (pmap.flows[f].source, pmap.flows[f].target))]
        folded |= set(inside)
        by = tuple(c.id for c in p.changes if any(tree.is_within(o, party) for o in reached
                                                  if c.id in prop.routes[o] for party in iface.parties))
        found.append((iface.id, "known", iface.title, tuple(iface.parties), inside, by, tuple(iface.evidence)))
    for fid in sorted(new_flows - folded):
        f = pmap.flows[fid]
        by = tuple(c for c in prop.new_by_change if fid in prop.new_by_change[c])
        found.append((f"i-{fid}", "inferred", f"{f.handover} ({f.source} -> {f.target})",
                      tuple(dict.fromkeys((f.source, f.target))), [fid], by, tuple(f.evidence)))
    out, qs = [], []
    for iid, kind, title, parties, fids, by, ev in found:
        related = tuple(sorted({change_lines[c] for c in by} - {None}))
        out.append(NewInterface(
            id=iid, kind=kind, title=title, parties=parties, agencies=tuple(sorted({tree.root_of(o) for o in parties})),
            flows=tuple(_step(pmap.flows[f], prop.flow_pops.get(f), False, deadlines) for f in fids),
            created_by=by, evidence=ev))
        cited_ev = tuple(e for f in fids for e in pmap.flows[f].evidence)
        qs.append(InterfaceQ(id=iid, title=title, parties=parties, created_by=(p.id,), starts=p.planned_issue_date,
                             evidence=tuple(dict.fromkeys(ev + cited_ev)), location=Location(related_lines=related)))
    return tuple(out), tuple(qs)


# ================================================================ 3. findings ====
def _rank(status: str) -> int:
    return Status(status).rank if status in Status._value2member_map_ else 0


def _merge_r1(findings: list[Finding], cells: dict, listing: dict[str, str], names) -> list[CheckFinding]:
    """One finding per rule and organisation (and acceptance) for its consultation gaps on every topic
    (several rules ask about consultation when several rulebooks run: OIG-R1 and GAO-LP6)."""
    groups: dict[tuple, list[Finding]] = defaultdict(list)
    for f in findings:
        groups[(f.rule, f.stakeholder, f.suppression)].append(f)
    out = []
    for (_rule, org, sup), fs in groups.items():
        worst = min(fs, key=lambda f: (f.severity.rank, -_rank(f.status)))
        lead = next((f for f in fs if f.required_lead_days is not None and f.lead_time_days is not None
                     and f.lead_time_days < f.required_lead_days), worst)
        loc = cells[(org, worst.impact)].location
        head = f"{names(org)} ({org}) is not on the stakeholder list. " if listing[org] == Listing.missing else ""
        # sentences that differ only in their topic are said once, for all those topics
        said: dict[str, list[str]] = {}
        for f in fs:
            said.setdefault(re.sub(rf"(?<![\w-]){re.escape(f.impact)}(?![\w-])", "\0", f.message, count=1),
                            []).append(f.impact)
        body = " ".join(t.replace("\0", ", ".join(topics), 1) for t, topics in said.items())
        evidence = tuple(dict.fromkeys(e for f in fs for e in f.evidence))
        out.append(CheckFinding(**{
            **worst.model_dump(exclude={"evidence", "responsible", "suppression"}),
            "evidence": evidence, "responsible": worst.responsible, "suppression": sup,
            "impact": ",".join(f.impact for f in fs), "message": head + body,
            "lead_time_days": lead.lead_time_days, "required_lead_days": lead.required_lead_days,
            "line": loc.line if loc else None, "field": loc.field if loc else None,
            "related_lines": tuple(x for x in (loc.related_lines if loc else ()) if x != (loc.line if loc else None)),
            "listing": listing[org]}))
    return out


def _accepted(lp: LoadedProposal) -> tuple[Suppression, ...]:
    return tuple(Suppression(rule=g.rule, decision=lp.proposal.id, stakeholder=g.stakeholder, status=g.status,
                             justification=g.justification) for g in lp.proposal.accepted_gaps)


def check_loaded(lp: LoadedProposal, fail_on: Severity | str = Severity.medium,
                 rulebook=None) -> CheckResult:
    """Check a proposal already read with coordgap.io.proposal.load_proposal; with no rulebook
    given, those the proposal names (`rulebooks`), else the default."""
    from ..rules import get_rulebooks, run_rulebooks

    if rulebook is None or (isinstance(rulebook, (list, tuple)) and not rulebook):
        rulebook = list(lp.proposal.rulebooks) or None
    books = get_rulebooks(rulebook)
    pq = proposal_questions(lp)
    q, p = pq.questions, lp.proposal
    run = run_rulebooks(books, q)
    gaps = _accepted(lp)
    raw = apply_suppressions(run.findings, gaps)
    listing = {a.organisation: a.listing for a in pq.affected}
    cells = {(c.stakeholder, c.impact): c for c in q.cells}
    per_cell = [f for f in raw if f.decision == p.id and f.interface is None and (f.stakeholder, f.impact) in cells]
    others = [f for f in raw if f not in per_cell]
    findings: list[CheckFinding] = _merge_r1(per_cell, cells, listing, q.name)
    for f in others:
        kind = "procedure" if f.interface is not None and f.stakeholder is not None else "agreement"
        findings.append(_place(f, q, lp, kind))
    order = {r.code: i for i, b in enumerate(books) for r in b.rules}
    findings.sort(key=lambda f: (f.severity.rank, *sort_key(order)(f)))
    used = {i for i, s in enumerate(gaps) if any(suppression_matches(s, f) for f in raw)}
    warnings = list(pq.propagation.warnings)
    flagged = {f.stakeholder for f in findings}
    for a in pq.affected:
        if a.listing == Listing.missing and a.organisation not in flagged:
            warnings.append(f"{a.organisation} is affected and consulted, but not on the stakeholder list: add it")
        if a.listing == Listing.listed_via_parent:
            warnings.append(f"{a.organisation} is listed only as part of {a.listed_as}: name it, so its own "
                            "needs are weighed")
    reached_or_side = set(pq.propagation.routes)
    applies = {}
    for code, notes in run.scope.items():
        note = next((n for n in notes if n.subject == "decision" and n.id == p.id), None)
        applies[code] = "" if note is not None and not note.applies else (note.reason if note else "applies")
    outside = tuple(Outside(rule=code, subject=n.subject, id=n.id, reason=n.reason, within=n.within)
                    for code, n in run.outside)
    return CheckResult(
        proposal=ProposalInfo(id=p.id, title=p.title, file=lp.label, issuing_office=p.issuing_office,
                              planned_issue_date=str(p.planned_issue_date), significant=p.significant),
        reference=lp.reference.label,
        rulebooks=tuple(b.name for b in books),
        fail_on=Severity(fail_on),
        applies=applies,
        affected=pq.affected,
        missing=tuple(a.organisation for a in pq.affected if a.listing == Listing.missing),
        listed_not_affected=tuple(s for s in p.stakeholders if not on_side(q.tree, q.decisions[p.id].side, s)
                                  and not any(q.tree.is_within(o, s) for o in reached_or_side)),
        interfaces=pq.interfaces,
        findings=tuple(findings),
        outside=outside,
        warnings=tuple(warnings),
        unused_accepted_gaps=tuple(i for i in range(len(gaps)) if i not in used),
        ignored_reference_problems=lp.reference.ignored_problems,
        rules=_rule_results(books, applies, outside, findings, Severity(fail_on), p.id),
        gaps=_ranked_gaps(q, p, raw, listing),
        topics=_topic_gaps(q, pq.affected, per_cell),
        missing_groups=_groups(q.tree, [a.organisation for a in pq.affected if a.listing == Listing.missing]),
    )


def _rule_results(books, applies: dict[str, str], outside, findings, fail_on: Severity,
                  subject: str) -> tuple[RuleResult, ...]:
    out = []
    for b in books:
        for r in b.rules:
            mine = [f for f in findings if f.rule == r.code]
            active = [f for f in mine if not f.suppressed]
            why = applies.get(r.code, "applies")
            if not why:
                why = next((o.reason for o in outside if o.rule == r.code and o.subject == "decision"
                            and o.id == subject), "outside its scope")
            out.append(RuleResult(
                code=r.code, title=r.title, applies=bool(applies.get(r.code, "applies")), why=why,
                findings=len(active), blocking=sum(is_blocking(f, fail_on) for f in mine),
                accepted=len(mine) - len(active),
                by_severity={s.value: sum(f.severity is s for f in active) for s in Severity}))
    return tuple(out)


def _ranked_gaps(q: Questions, p, raw: list[Finding], listing: dict[str, Listing]) -> tuple[RankedGap, ...]:
    """The proposal's gaps by the report's measure of harm: the proposal is the one decision, its
    issuing office the decider; the findings are the rules' own, before they are merged per
    organisation, so each topic weighs by its own status and lead time."""
    ranked = harm.rank(q.tree, [f for f in raw if not f.suppressed], {}, {p.id: (p.issuing_office,)}, {p.id: 0})
    out = []
    for g in ranked:
        missed = [f.required_lead_days - max(f.lead_time_days or 0, 0) for f in g.findings
                  if f.required_lead_days is not None]
        out.append(RankedGap(
            organisation=g.component, who=harm.label(q.tree, g), offices=g.offices, topics=g.topics,
            harm=g.harm, severity=min((f.severity for f in g.findings), key=lambda s: s.rank),
            missing=tuple(o for o in g.offices if listing.get(o) == Listing.missing),
            lead_missed_days=max((m for m in missed if m > 0), default=None),
            rules=tuple(dict.fromkeys(f.rule for f in g.findings))))
    return tuple(out)


def _group_words(tree, component: str, offices: list[str]) -> str:
    """A component and how many of its offices, briefly: 'U.S. Marshals Service (6)'."""
    if len(offices) == 1:
        return tree.name(offices[0])
    if component.endswith(harm.FIELD_OFFICES):
        return f"field offices of the {tree.name(component.removesuffix(harm.FIELD_OFFICES))} ({len(offices)})"
    return f"{tree.name(component)} ({len(offices)})"


def _groups(tree, orgs) -> tuple[str, ...]:
    """Organisations in words, by component (coordgap.assess.harm.component_of), in name order."""
    by_comp: dict[str, list[str]] = defaultdict(list)
    for o in orgs:
        by_comp[harm.component_of(tree, o)].append(o)
    return tuple(sorted((_group_words(tree, c, offices) for c, offices in by_comp.items()), key=str.casefold))


def _topic_gaps(q: Questions, affected, per_cell: list[Finding]) -> tuple[TopicGap, ...]:
    """For each topic, who it affects and who of them is not to be consulted on it in time."""
    reached: dict[str, list[str]] = defaultdict(list)
    for a in affected:
        for t in a.topics:
            reached[t.topic].append(a.organisation)
    gap: dict[str, set[str]] = defaultdict(set)
    for f in per_cell:
        if not f.suppressed:
            gap[f.impact].add(f.stakeholder)
    out = []
    for topic, orgs in reached.items():
        missing = tuple(o for o in orgs if o in gap[topic])
        out.append(TopicGap(topic=topic, affected=tuple(orgs), not_consulted=missing, groups=_groups(q.tree, missing)))
    out.sort(key=lambda t: (-len(t.not_consulted), -len(t.affected), t.topic))
    return tuple(out)


def _place(f: Finding, q: Questions, lp: LoadedProposal, kind: str) -> CheckFinding:
    """A finding on an interface, on the line of the procedure or agreement it rests on (else its section)."""
    iface = next((i for i in q.interfaces if i.id == f.interface), None) if f.interface else None
    related = iface.location.related_lines if iface and iface.location else ()
    records = q.procedures_for(f.interface) if kind == "procedure" else q.agreements_for(f.interface)
    rec = next((r for r in records
                if f.stakeholder is None or any(q.tree.is_within(f.stakeholder, h) for h in r.holders)), None)
    section = "procedures" if kind == "procedure" else "agreements"
    if rec is not None and rec.location:
        line, field = rec.location.line, rec.location.field
    else:
        line, field = _section_line(lp, section, related), section
    data = f.model_dump(exclude={"evidence", "responsible", "suppression"})
    return CheckFinding(**data, evidence=f.evidence, responsible=f.responsible, suppression=f.suppression,
                        line=line, field=field, related_lines=tuple(x for x in related if x != line))


def check_proposal(proposal: "str | Path | LoadedProposal", *, case: str | Path | None = None,
                   rulebook=None, fail_on: Severity | str = Severity.medium) -> CheckResult:
    """Check a proposal (a file, the name of a bundled proposal, or a loaded one) against the
    process map it names (or `case`, when given), with one or more rulebooks.

    Raises UnusablePathError when the file is missing and InvalidInputError,
    listing every problem with file, line and field, when it is invalid.
    A finding blocks when it is not an accepted gap and its severity is at
    least `fail_on` (default: medium).
    """
    lp = proposal if isinstance(proposal, LoadedProposal) else load_proposal(proposal, case=case)
    return check_loaded(lp, fail_on, rulebook)


__all__ = [
    "AffectedOrg",
    "CheckFinding",
    "CheckResult",
    "Deadline",
    "Listing",
    "NewInterface",
    "Outside",
    "RankedGap",
    "Route",
    "RuleResult",
    "Step",
    "TopicGap",
    "TopicStatus",
    "check_loaded",
    "check_proposal",
    "is_blocking",
    "proposal_questions",
]
