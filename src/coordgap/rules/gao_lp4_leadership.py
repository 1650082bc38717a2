"""GAO-LP4, Identify and Sustain Leadership: a lead organisation is named for each interface a
decision creates (on the interface, or on a collaboration that coordinates it) and for each
collaborative mechanism. docs/rules/GAO-LP4.md."""

from __future__ import annotations

from ..model.findings import Severity
from .base import Rule, ScopeNote, StatusDef
from .gao_common import (
    KEY_CONSIDERATIONS_EXIST,
    Practice,
    collaborations_for,
    considered_2012,
    interface_scope,
    practice,
)
from .questions import Questions

CODE = "GAO-LP4"
PRACTICE = Practice(
    name=practice("Identify and Sustain Leadership", 4),
    gao_text=(KEY_CONSIDERATIONS_EXIST,),
    cross_check=(considered_2012("Has a lead agency or individual been identified?", "Leadership"),),
)
RATIONALE = (
    "When several organisations share a task and none leads it, each can wait for another to act: nobody "
    "convenes the parties, settles disputes or answers for the result. Naming a lead is the first step; "
    "keeping one through changes of staff and administration is the rest."
)

STATUSES = (StatusDef("none", Severity.medium, "No organisation is named to lead it."),)

CHECKS = """That a lead organisation is named for every interface a decision creates
(the interface's `lead`, or the `lead` of a collaboration that lists the
interface) and for every collaborative mechanism (its `lead`)."""

HOW = """1. **Scope.** Every interface with a `created_by` decision (whatever its
   parties' place in the tree: GAO counts coordination within one entity's
   components as collaboration), and every record of `collaborations.yaml`.
2. **Interfaces.** No finding when the interface names a `lead`, or when a
   collaboration whose `interfaces` include it names one. Otherwise a finding
   (`none`, medium) on the interface, citing the interface's evidence and that
   of any collaboration coordinating it.
3. **Collaborations.** A finding (`none`, medium) for each collaboration
   without a `lead`.

Whether leadership is *sustained* (kept through changes of staff) needs dated
records of who led when, which a case does not hold; the rule checks only
that a lead is named."""


def scope(q: Questions) -> list[ScopeNote]:
    notes = interface_scope(q)
    notes += [ScopeNote("collaboration", m.id, True, f"a collaborative mechanism of {q.names(m.participants)}")
              for m in sorted(q.collaborations, key=lambda m: m.id)]
    return notes


def check(q: Questions):
    for iface in sorted(q.interfaces, key=lambda i: i.id):
        mechanisms = collaborations_for(q, iface)
        if iface.lead or any(m.lead for m in mechanisms):
            continue
        via = (f"; the collaboration(s) coordinating it ({', '.join(m.id for m in mechanisms)}) name none either"
               if mechanisms else "")
        cited = [(f"interface {iface.id}", iface.evidence)] + [(f"collaboration {m.id}", m.evidence) for m in mechanisms]
        yield RULE.finding(q, "none", cited=cited, decision=q.creating_decision(iface.created_by),
                           interface=iface.id, parties=tuple(iface.parties),
                           message=(f"No organisation is named to lead the interface “{iface.title}” between "
                                    f"{q.names(iface.parties)}{via}."))
    for m in sorted(q.collaborations, key=lambda m: m.id):
        if not m.lead:
            yield RULE.finding(q, "none", cited=[(f"collaboration {m.id}", m.evidence)], collaboration=m.id,
                               parties=tuple(m.participants),
                               message=(f"No organisation is named to lead “{m.title}”, whose participants are "
                                        f"{q.names(m.participants)}."))


RULE = Rule(code=CODE, title="A lead organisation is named for each interface and each collaborative mechanism",
            source_quote=PRACTICE.name, rationale=RATIONALE, statuses=STATUSES, check=check, scope=scope,
            what=CHECKS, how=HOW)
