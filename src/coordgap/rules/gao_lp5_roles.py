"""GAO-LP5, Clarify Roles and Responsibilities: each party to an interface a decision creates has
a written procedure for the interface that names the party's role. docs/rules/GAO-LP5.md."""

from __future__ import annotations

from ..model.findings import Severity
from .base import Rule, StatusDef, possessive
from .gao_common import (
    IN_FORCE,
    KEY_CONSIDERATIONS_EXIST,
    NOT_ASSESSABLE,
    NOT_FOLLOWED,
    NOT_ASSESSABLE_STATUS,
    Practice,
    covers,
    interface_scope,
    practice,
)
from .questions import EXISTED_BUT, InterfaceQ, Questions, RecordQ

CODE = "GAO-LP5"
PRACTICE = Practice(name=practice("Clarify Roles and Responsibilities", 5), gao_text=(KEY_CONSIDERATIONS_EXIST,))
RATIONALE = (
    "Staff on each side of a hand-off need to know, in writing, what their organisation does there and what "
    "it leaves to the other: who calls whom, who records what, who decides. A procedure that exists but does "
    "not say what role it gives its holder does not settle that."
)
STATUSES = (
    StatusDef("none", Severity.high, "Nothing shows a written procedure naming the party's role at the interface."),
    StatusDef("absent", Severity.high, "The record states the party had no procedure for the interface."),
    StatusDef("not_followed", Severity.medium,
              "The party had a written procedure for the interface, but the record states it was bypassed or not used."),
    StatusDef("outdated", Severity.medium,
              "The party's written procedure for the interface was out of date, as the record states."),
    StatusDef(NOT_ASSESSABLE, Severity.low,
              "A procedure is in place, but the record does not say what role it gives the party."),
)
assert STATUSES[-1].severity is NOT_ASSESSABLE_STATUS.severity

CHECKS = """For every party to an interface a decision creates, that a written procedure
for the interface, held by the party or by an organisation above it, names the
role it gives the party (`procedures.csv`, column `role`)."""

HOW = """1. **Scope.** Every interface with a `created_by` decision, whatever its
   parties' place in the tree.
2. **Coverage.** A procedure covers a party as in OIG-R2: it lists the
   interface and is held by the party or by an organisation above it.
3. **A finding per party** not covered by an in-place procedure with a
   recorded role:

   | status | meaning | severity |
   |---|---|---|
   | `none` | nothing in the record about such a procedure | high |
   | `absent` | the record says there was none | high |
   | `not_followed` | the record says the party's procedure was bypassed or not used | medium |
   | `outdated` | the record says the party's procedure was out of date | medium |
   | `not_assessable` | a procedure is in place, but the record does not say what role it gives the party | low |

When the procedure took effect is OIG-R2's question and is not asked again
here: a procedure the record calls `late` counts as in place. One it calls
`bypassed` or `unused` names a role nobody followed; one it calls `outdated`
may name a role the interface no longer has. A procedure in place decides
before either, and either before `absent`."""


def _status(q: Questions, iface: InterfaceQ, party: str) -> tuple[str | None, list[RecordQ]]:
    """(status, the procedures it rests on); None when an in-place procedure names the party's role."""
    mine = sorted((p for p in q.procedures if iface.id in p.interfaces and covers(q, p.holders, party)),
                  key=lambda p: p.id)
    in_place = [p for p in mine if p.state in IN_FORCE]
    if any(p.role for p in in_place):
        return None, []
    if in_place:
        return NOT_ASSESSABLE, in_place  # a procedure exists; the record does not say what role it gives
    for status, states in (("not_followed", NOT_FOLLOWED), ("outdated", ("outdated",)), ("absent", ("absent",))):
        used = [p for p in mine if p.state in states]
        if used:
            return status, used
    return "none", []


def _message(q: Questions, iface: InterfaceQ, party: str, status: str, used: list[RecordQ]) -> str:
    who, what = q.name(party), f"the interface “{iface.title}”"
    if status == NOT_ASSESSABLE:
        return (f"Not assessable: no record of the role {possessive(who)} procedure for {what} gives it "
                f"({', '.join(p.id for p in used)}: `role` not recorded).")
    if status == "absent":
        return f"{who} had no written procedure for {what}, as the record states, so nothing in writing names its role there."
    if status in ("not_followed", "outdated"):
        how = "; ".join(f"{p.id} {EXISTED_BUT[p.state]}" for p in used)
        then = ("so the role it names did not govern the work" if status == "not_followed"
                else "so it may not name the role the interface gives it")
        return f"{who} had a written procedure for {what}, but {how}, as the record states, {then}."
    return f"Nothing in the record shows a written procedure naming {possessive(who)} role in {what}."


def check(q: Questions):
    for iface in sorted(q.interfaces, key=lambda i: i.id):
        for party in iface.parties:
            status, used = _status(q, iface, party)
            if status is None:
                continue
            cited = [(f"interface {iface.id}", iface.evidence)] + [(f"procedure {p.id}", p.evidence) for p in used]
            yield RULE.finding(q, status, cited=cited, decision=q.creating_decision(iface.created_by),
                               stakeholder=party, interface=iface.id,
                               message=_message(q, iface, party, status, used))


RULE = Rule(code=CODE, title="Each party to an interface has a written procedure naming its role",
            source_quote=PRACTICE.name, rationale=RATIONALE, statuses=STATUSES, check=check,
            scope=interface_scope, what=CHECKS, how=HOW, same_as=("OIG-R2",))
