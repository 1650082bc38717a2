"""GAO-LP7, Leverage Resources and Information: each party to an interface a decision creates has
a way to share the information the interface needs: an agreement in force that binds it, a
procedure of its own, or a collaborative mechanism it takes part in, covering the interface.
docs/rules/GAO-LP7.md."""

from __future__ import annotations

import pandas as pd

from ..model.case import Case, Interface, Presence
from ..model.findings import Finding, Severity, evidence_refs
from .base import Quote, Rule, covers, creating_decision, interfaces_in_scope, name_of
from .gao_common import KEY_CONSIDERATIONS_EXIST, Practice, collaborations_for, interface_scope, practice

CODE = "GAO-LP7"
PRACTICE = Practice(
    name=practice("Leverage Resources and Information", 7),
    gao_text=(
        KEY_CONSIDERATIONS_EXIST,
        Quote(text=("These mechanisms can address things like policy development, program implementation, oversight "
                    "and monitoring, information sharing and communication, and building organizational capacity "
                    "(e.g., staffing and training)."),
              source="gao-key-issue-collaboration",
              section="GAO key issue page: leading practices for collaboration", locator="paragraph 2"),
    ),
)
RATIONALE = (
    "An interface runs on information passing between its parties: where a person is held, who their "
    "relative is, when a case is heard. A party with no agreement, procedure or shared mechanism covering "
    "the interface has no settled way to send or receive it, and each exchange depends on who happens to call."
)
SEVERITY = {"none": Severity.medium, "absent": Severity.high}


def _channels(case: Case, iface: Interface, party: str) -> tuple[list[str], list[str]]:
    """(records in force that give the party a channel, records saying there was none), as 'kind id' labels."""
    ways, absent = [], []
    for a in sorted(case.agreements, key=lambda a: a.id):
        if iface.id in a.interfaces and any(covers(case, q, party) for q in a.parties):
            if a.status is Presence.absent:
                absent.append(f"agreement {a.id}")
            elif not a.is_superseded:
                ways.append(f"agreement {a.id}")
    for p in sorted(case.procedures, key=lambda p: p.id):
        if iface.id in p.interfaces and covers(case, p.organisation, party):
            (ways if p.status is Presence.in_place else absent).append(f"procedure {p.id}")
    for m in collaborations_for(case, iface):
        if any(covers(case, q, party) for q in m.participants):
            ways.append(f"collaboration {m.id}")
    return ways, absent


def check(case: Case, matrix: pd.DataFrame) -> list[Finding]:
    out = []
    records = {f"agreement {a.id}": a.evidence for a in case.agreements}
    records |= {f"procedure {p.id}": p.evidence for p in case.procedures}
    for iface in interfaces_in_scope(case, interface_scope):
        for party in iface.parties:
            ways, absent = _channels(case, iface, party)
            if ways:
                continue
            status = "absent" if absent else "none"
            who, what = name_of(case, party), f"the interface “{iface.title}”"
            if absent:
                message = (f"Nothing in the record gives {who} a way to share the information {what} needs: the "
                           f"record states there was none ({', '.join(absent)}), and nothing else in force covers it.")
            else:
                message = (f"Nothing in the record gives {who} a way to share the information {what} needs: no "
                           f"agreement in force binding it, no procedure of its own and no collaboration covering it.")
            cited = [(f"interface {iface.id}", iface.evidence)] + [(label, records[label]) for label in absent]
            out.append(Finding(rule=CODE, decision=creating_decision(case, iface.created_by), stakeholder=party,
                               interface=iface.id, status=status, severity=SEVERITY[status], message=message,
                               evidence=evidence_refs(case, cited)))
    return out


CHECKS = """For every party to an interface a decision creates, that it has a way to
share the information the interface needs: an agreement in force that binds
it, a procedure of its own (or of an organisation above it), or a
collaborative mechanism it takes part in, covering the interface."""

HOW = """1. **Scope.** Every interface with a `created_by` decision.
2. **Ways to share.** For each party: an agreement listing the interface, in
   place and not superseded, signed by the party or by an organisation above
   it; a procedure listing the interface, in place, held by the party or above
   it; a collaboration listing the interface whose participants include the
   party or an organisation above it. Any one is enough; when it took effect
   is not asked (OIG-R2 and OIG-R3 ask it).
3. **A finding per party** with none:

   | status | meaning | severity |
   |---|---|---|
   | `absent` | the record says the agreement or procedure that would have covered it did not exist | high |
   | `none` | nothing in the record gives the party a way to share | medium |

The record does not say which information each interface needs, so the rule
cannot check that a channel carries the right information; it checks that
one exists."""


RULE = Rule(code=CODE, title="Each party to an interface has a way to share the information it needs",
            recommendation=PRACTICE.name, rationale=RATIONALE, check=check, scope=interface_scope,
            doc="docs/rules/GAO-LP7.md")
