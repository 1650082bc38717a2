"""Which gaps are the worst: a documented measure of harm, computed once per case.

A *gap* here is one stakeholder, with the offices below it, left without
advance coordination on one decision: all the findings of that decision on
that organisation's impacts and interfaces, taken together. "The Marshals
Service and five of its district offices, on detention capacity, budget and
medical care" is one gap; so is "the Office of Refugee Resettlement, on child
separation and reunification". The organisation is the stakeholder's
*component*: the one directly below the top of its tree (a department's
component, a court system's court), or the stakeholder itself when it is a
top or a component. Field offices that sit directly below the top (a
department's district offices) are taken together as one group, "the field
offices of" that top, since each alone is one of many alike.

    harm = (sum over the gap's topics of  severity x shortfall x lead factor)
           x (1 + log2(offices reached))
           x 1.5 when the component is in another department or branch than the decider

* **severity**: high 3, medium 2, low 1 (the rule's own grading, docs/rules/);
* **shortfall**: how far the stakeholder stood from advance coordination, by its
  status: none or after 1.0, same day 0.9, indirect 0.6, leadership only 0.5,
  informed 0.3, consulted 0.2 (a consulted or informed cell only has a finding
  when its notice was short of the lead time needed, or disputed); a finding
  with no status on the ladder (a missing procedure or agreement) 1.0;
* **lead factor**: 1 + (days of the lead time the impact needs that were
  missed) / 180, at most 3: a stakeholder that needed six months to open
  detention space and was told the same day weighs double;
* **breadth**: the topics add up, and the offices reached count by their log,
  so a gap across many benches of one court does not outweigh one across
  every impact of an agency.
* **across a boundary**: Recommendation 1 names other executive agencies and
  the courts; a gap outside the decider's own tree weighs 1.5 times.

The report lists the gaps in this order, and `coordgap check` ranks a
proposal's gaps by the same measure (the proposal is one decision, its issuing
office the decider); docs/reports.md repeats this text.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model.findings import Finding
from ..words import plural

if TYPE_CHECKING:
    from ..model.case import Case
    from ..model.tree import OrgTree

SEVERITY_WEIGHT = {"high": 3.0, "medium": 2.0, "low": 1.0}
SHORTFALL = {"none": 1.0, "after": 1.0, "same_day": 0.9, "indirect": 0.6, "leadership_only": 0.5,
             "informed": 0.3, "consulted": 0.2}
LEAD_DAYS_SCALE = 180
LEAD_FACTOR_MAX = 3.0
ACROSS_BOUNDARY = 1.5


@dataclass(frozen=True)
class Gap:
    decision: str
    component: str
    harm: float
    findings: tuple[Finding, ...]
    topics: tuple[str, ...]  # topics or interfaces, worst first
    offices: tuple[str, ...]  # the stakeholders reached, in id order


FIELD_OFFICES = "/field-offices"  # suffix of a group key: the field offices directly below a top


def component_of(tree: Case | OrgTree, org: str) -> str:
    """The organisation directly below the top of org's tree (org itself when it is a top or one of
    those); for a field office directly below the top, the group key '<top>/field-offices'.
    tree: a Case or an OrgTree (a proposal's reference)."""
    chain = [org, *tree.ancestors(org)]
    if len(chain) < 2:
        return chain[-1]
    comp = chain[-2]
    if tree.orgs[comp].kind.value == "field_office":
        return chain[-1] + FIELD_OFFICES
    return comp


def _lead_factor(f: Finding) -> float:
    if f.required_lead_days is None:
        return 1.0
    missed = f.required_lead_days - max(f.lead_time_days or 0, 0)
    return min(1.0 + max(missed, 0) / LEAD_DAYS_SCALE, LEAD_FACTOR_MAX)


def finding_harm(f: Finding) -> float:
    return SEVERITY_WEIGHT[f.severity.value] * SHORTFALL.get(f.status, 1.0) * _lead_factor(f)


def gaps(case: Case, findings: Iterable[Finding], topic_of: dict[str, str]) -> list[Gap]:
    """Every gap of a case, worst first (ties by decision date, then component id).
    topic_of: impact id -> topic."""
    deciders = {d.id: tuple(case.org_of(m) for m in d.decided_by) for d in case.decisions}
    dates = {d.id: (d.date.start, d.date.end) for d in case.decisions}
    return rank(case.tree, findings, topic_of, deciders, dates)


def rank(tree: OrgTree, findings: Iterable[Finding], topic_of: Mapping[str, str],
         deciders: Mapping[str, Iterable[str]], order: Mapping[str, object]) -> list[Gap]:
    """Every gap, worst first: the measure above over any organisation tree (a case's, or a
    proposal's reference). deciders: decision id -> the organisations that decided it; order:
    decision id -> its sort key on a tie (its dates). A finding's topic is topic_of[impact], else
    the impact itself, else its interface, else its rule."""
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.decision in deciders and f.stakeholder and f.stakeholder in tree.orgs:
            groups[(f.decision, component_of(tree, f.stakeholder))].append(f)
    out = []
    for (d_id, comp), fs in groups.items():
        by_topic: dict[str, float] = defaultdict(float)
        for f in fs:
            topic = topic_of.get(f.impact or "", f.impact or f.interface or f.rule)
            by_topic[topic] = max(by_topic[topic], finding_harm(f))
        offices = tuple(sorted({f.stakeholder for f in fs}))
        across = tree.root_of(comp.removesuffix(FIELD_OFFICES)) not in {tree.root_of(o) for o in deciders[d_id]}
        harm = sum(by_topic.values()) * (1 + math.log2(len(offices))) * (ACROSS_BOUNDARY if across else 1.0)
        topics = tuple(sorted(by_topic, key=lambda t: (-by_topic[t], t)))
        out.append(Gap(d_id, comp, round(harm, 2), tuple(fs), topics, offices))
    out.sort(key=lambda g: (-g.harm, order[g.decision], g.decision, g.component))
    return out


def label(tree: Case | OrgTree, g: Gap) -> str:
    """Who a gap is about, in words: the component, with the offices below it that it reached
    ("U.S. Marshals Service and 5 offices below it", "5 field offices of the ...")."""
    return label_of(tree, g.component, g.offices)


def label_of(tree: Case | OrgTree, component: str, offices: tuple[str, ...]) -> str:
    """A component (as component_of gives it) and the offices of it reached, in words."""
    name = tree.orgs[component].name if component in tree.orgs else component
    if component.endswith(FIELD_OFFICES):
        top = component.removesuffix(FIELD_OFFICES)
        top = tree.orgs[top].name if top in tree.orgs else top
        names = [tree.orgs[o].name for o in offices]
        if len(names) == 1:
            return names[0]
        return f"{len(names)} field offices of the {top} ({names[0]} and {plural(len(names) - 1, 'other')})"
    below = [o for o in offices if o != component]
    if not below:
        return name
    if component not in offices:
        if len(below) == 1:
            return tree.orgs[below[0]].name
        return f"{len(below)} offices of the {name}"
    return f"{name} and {plural(len(below), 'office')} below it"


def worst(all_gaps: list[Gap], n: int) -> list[Gap]:
    """The n worst gaps, one per component, so the summary shows the breadth of the harm."""
    out, seen = [], set()
    for g in all_gaps:
        if g.component not in seen:
            seen.add(g.component)
            out.append(g)
        if len(out) == n:
            break
    return out
