"""GAO-LP7, Leverage Resources and Information: each party to an interface a decision creates has
a way to share the information the interface needs: an agreement in force that binds it, a
procedure of its own, or a collaborative mechanism it takes part in, covering the interface.
docs/rules/GAO-LP7.md."""

from __future__ import annotations

from ..model.findings import Severity
from .base import Quote, Rule, StatusDef
from .gao_common import (
    IN_FORCE,
    KEY_CONSIDERATIONS_EXIST,
    NOT_FOLLOWED,
    Practice,
    collaborations_for,
    covers,
    interface_scope,
    practice,
)
from .questions import EXISTED_BUT, InterfaceQ, Questions, RecordQ

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
STATUSES = (
    StatusDef("absent", Severity.high,
              "The record states the agreement or procedure that would have covered the party did not exist, "
              "and nothing else in force covers it."),
    StatusDef("not_followed", Severity.medium,
              "The agreement or procedure that would have covered the party existed, but the record states it was "
              "bypassed or not used, and nothing else in force covers it."),
    StatusDef("none", Severity.medium, "Nothing in the record gives the party a way to share what the interface needs."),
)

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
   is not asked (OIG-R2 and OIG-R3 ask it), so one the record calls `late`
   or `outdated` still counts: GAO-LP8 judges whether it is up to date. One
   the record calls `bypassed` or `unused` does not: it carried nothing.
3. **A finding per party** with none:

   | status | meaning | severity |
   |---|---|---|
   | `absent` | the record says the agreement or procedure that would have covered it did not exist | high |
   | `not_followed` | one existed, but the record says it was bypassed or not used | medium |
   | `none` | nothing in the record gives the party a way to share | medium |

The record does not say which information each interface needs, so the rule
cannot check that a channel carries the right information; it checks that
one exists."""


def _channels(q: Questions, iface: InterfaceQ, party: str) -> tuple[list[str], dict[str, list[tuple[str, RecordQ]]]]:
    """(labels of records in force that give the party a channel, the records the source says
    did not serve it, by status: `not_followed` and `absent`)."""
    ways: list[str] = []
    failed: dict[str, list[tuple[str, RecordQ]]] = {"not_followed": [], "absent": []}
    records = [("agreement", a) for a in sorted(q.agreements, key=lambda a: a.id)]
    records += [("procedure", p) for p in sorted(q.procedures, key=lambda p: p.id)]
    for kind, r in records:
        if iface.id not in r.interfaces or not covers(q, r.holders, party):
            continue
        label = f"{kind} {r.id}"
        if r.state in NOT_FOLLOWED:
            failed["not_followed"].append((label, r))
        elif r.state == "absent":
            failed["absent"].append((label, r))
        elif r.state in IN_FORCE + ("outdated",) and not r.superseded:
            ways.append(label)
    ways += [f"collaboration {m.id}" for m in collaborations_for(q, iface) if covers(q, m.participants, party)]
    return ways, failed


def check(q: Questions):
    for iface in sorted(q.interfaces, key=lambda i: i.id):
        for party in iface.parties:
            ways, failed = _channels(q, iface, party)
            if ways:
                continue
            who, what = q.name(party), f"the interface “{iface.title}”"
            if failed["not_followed"]:
                status, used = "not_followed", failed["not_followed"]
                how = "; ".join(f"{label} {EXISTED_BUT[r.state]}" for label, r in used)
                message = (f"Nothing in force gave {who} a way to share the information {what} needs: {how}, as "
                           f"the record states.")
            elif failed["absent"]:
                status, used = "absent", failed["absent"]
                message = (f"Nothing in the record gives {who} a way to share the information {what} needs: the "
                           f"record states there was none ({', '.join(label for label, _ in used)}), and nothing "
                           f"else in force covers it.")
            else:
                status, used = "none", []
                message = (f"Nothing in the record gives {who} a way to share the information {what} needs: no "
                           f"agreement in force binding it, no procedure of its own and no collaboration covering it.")
            cited = [(f"interface {iface.id}", iface.evidence), *((label, r.evidence) for label, r in used)]
            yield RULE.finding(q, status, cited=cited,
                               decision=q.creating_decision(iface.created_by), stakeholder=party,
                               interface=iface.id, message=message)


RULE = Rule(code=CODE, title="Each party to an interface has a way to share the information it needs",
            source_quote=PRACTICE.name, rationale=RATIONALE, statuses=STATUSES, check=check,
            scope=interface_scope, what=CHECKS, how=HOW)
