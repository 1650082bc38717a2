"""GAO-LP8, Develop and Update Written Guidance and Agreements: the parties to an interface a
decision creates have a documented agreement covering it, in force, binding every party, and
signed or reviewed since the decision that created the interface. docs/rules/GAO-LP8.md."""

from __future__ import annotations

from ..model.dates import Timing
from ..model.findings import Severity
from .base import Rule, StatusDef
from .gao_common import IN_FORCE, KEY_CONSIDERATIONS_EXIST, NOT_FOLLOWED, Practice, covers, interface_scope, practice
from .questions import EXISTED_BUT, InterfaceQ, Questions, RecordQ

CODE = "GAO-LP8"
PRACTICE = Practice(name=practice("Develop and Update Written Guidance and Agreements", 8),
                    gao_text=(KEY_CONSIDERATIONS_EXIST,))
RATIONALE = (
    "A written agreement records who does what between organisations so that it survives changes of staff. "
    "It helps only while it matches the work: one signed before a decision changed the interface, past its "
    "own review date, or replaced by another is a record of an arrangement that may no longer hold."
)
STATUSES = (
    StatusDef("none", Severity.high, "Nothing in the record shows a written agreement covering the interface."),
    StatusDef("absent", Severity.high, "The record states there was no written agreement."),
    StatusDef("superseded", Severity.high, "Only agreements no longer in force cover the interface."),
    StatusDef("not_followed", Severity.medium,
              "An agreement covered the interface, but the record states it was bypassed or not used."),
    StatusDef("partial", Severity.medium, "An agreement is in force, but it does not bind every party."),
    StatusDef("outdated", Severity.medium,
              "Neither signed nor reviewed since the decision that created the interface, or past its own "
              "review date, or out of date as the record states."),
    StatusDef("review_undetermined", Severity.low,
              "Whether the agreement is up to date cannot be told at the precision recorded, or no date is recorded."),
)

CHECKS = """That the parties to an interface a decision creates have a written
agreement covering it that is in force, binds every party, and has been
signed or reviewed since the decision that created the interface and is not
past its own review date."""

HOW = """1. **Scope.** Every interface with a `created_by` decision. Unlike OIG-R3
   the parties need not belong to different agencies: GAO counts
   collaboration within one entity's components.
2. **In force.** An agreement listing the interface, `status: in_place` or
   `late` (when it was signed is OIG-R3's question; here its date only
   feeds step 4), with neither `superseded` nor `superseded_by` set. An agreement replaced by
   another is judged through its successor when the successor covers the
   interface.
3. **Binding.** Every party is a signatory or below one (as OIG-R3).
4. **Up to date.** The later of `signed` and `reviewed`, compared with the
   date of the decision that creates the interface (the earliest, when
   several do), as intervals at the precision recorded: on or after it, up to
   date; before it, outdated; overlapping, review_undetermined. An agreement whose
   `review_due` falls before the interface starts (or, without a start, before
   the decision) is outdated whatever its other dates.
5. **Nothing in force.** Then, in this order: agreements only superseded;
   an agreement the record calls `bypassed` or `unused` (it existed but did
   not govern the work); one it calls `outdated`; one it says did not exist
   (`absent`); nothing.
6. **One finding per interface**, from the best agreement in force:

   | status | meaning | severity |
   |---|---|---|
   | `none` | nothing in the record | high |
   | `absent` | the record says there was none | high |
   | `superseded` | only superseded agreements cover it | high |
   | `not_followed` | the record says the agreement was bypassed or not used | medium |
   | `partial` | in force, but not every party is bound | medium |
   | `outdated` | neither signed nor reviewed since the decision, or past its review date, or the record says so | medium |
   | `review_undetermined` | the dates cannot tell at the precision recorded, or none is recorded | low |"""


def _missing(q: Questions, a: RecordQ, iface: InterfaceQ) -> list[str]:
    return [p for p in iface.parties if not covers(q, a.holders, p)]


def _currency(q: Questions, a: RecordQ, iface: InterfaceQ) -> tuple[str, str]:
    """('ok' | 'outdated' | 'review_undetermined', why) for an agreement in force that binds every party."""
    decision = q.decisions.get(q.creating_decision(iface.created_by) or "")
    as_of = iface.starts or (decision.date if decision else None)
    if a.review_due is not None and as_of is not None and a.review_due.timing(as_of) is Timing.before:
        return "outdated", f"its review was due {a.review_due}, before {as_of}"
    last = max((d for d in (a.when, a.reviewed) if d is not None), key=lambda d: (d.end, d.start), default=None)
    if last is None:
        return ("ok", "") if q.undated == "ok" else ("review_undetermined", "no date of signature or review is recorded")
    if decision is None:
        return "ok", ""
    timing = last.timing(decision.date)
    if timing in (Timing.after, Timing.same_day):
        return "ok", ""
    if timing is Timing.before:
        return "outdated", (f"it was last signed or reviewed ({last}) before the decision {decision.id} of "
                            f"{decision.date} that created the interface, and no review since is recorded")
    return "review_undetermined", (f"whether it was signed or reviewed ({last}) after the decision {decision.id} of "
                            f"{decision.date} cannot be told at the precision recorded")


def _status(q: Questions, iface: InterfaceQ) -> tuple[str | None, list[RecordQ], str]:
    mine = sorted((a for a in q.agreements if iface.id in a.interfaces), key=lambda a: a.id)
    in_force = [a for a in mine if a.state in IN_FORCE and not a.superseded]
    if not in_force:
        superseded = [a for a in mine if a.state in IN_FORCE and a.superseded]
        if superseded:
            return "superseded", superseded, ""
        for status, states in (("not_followed", NOT_FOLLOWED), ("outdated", ("outdated",)), ("absent", ("absent",))):
            used = [a for a in mine if a.state in states]
            if used:
                why = "; ".join(f"{a.id} {EXISTED_BUT[a.state]}" for a in used) if status != "absent" else ""
                return status, used, why
        return "none", [], ""
    binding = [a for a in in_force if not _missing(q, a, iface)]
    if not binding:
        best = min(in_force, key=lambda a: (len(_missing(q, a, iface)), a.id))
        return "partial", [best], q.names(q.tree.minimal(_missing(q, best, iface)))
    graded = [(_currency(q, a, iface), a) for a in binding]
    for wanted in ("ok", "review_undetermined", "outdated"):
        hits = [(why, a) for (state, why), a in graded if state == wanted]
        if hits:
            return (None if wanted == "ok" else wanted), [hits[0][1]], hits[0][0]
    raise AssertionError("unreachable: every agreement is ok, undetermined or outdated")


def _message(q: Questions, iface: InterfaceQ, status: str, used: list[RecordQ], why: str) -> str:
    what = f"“{iface.title}”"
    parties = q.names(q.tree.minimal(iface.parties))
    if status == "none":
        return f"Nothing in the record shows a written agreement on {what} among {parties}."
    if status == "absent":
        return f"There was no written agreement on {what} among {parties}, as the record states."
    if status == "superseded":
        gone = "; ".join(f"{a.id} (superseded{f' on {a.superseded_on}' if a.superseded_on else ''}"
                         f"{f' by {a.superseded_by}, which does not cover it' if a.superseded_by else ''})" for a in used)
        return f"The only written agreements on {what} are no longer in force: {gone}."
    if status == "not_followed" or (status == "outdated" and used[0].state == "outdated"):
        return f"A written agreement on {what} among {parties} existed, but {why}, as the record states."
    a = used[0]
    if status == "partial":
        return f"The agreement {a.id} on {what} does not bind {why}; it would have to bind {parties}."
    if status == "outdated":
        return f"The agreement {a.id} on {what} may be out of date: {why}."
    return f"Whether the agreement {a.id} on {what} is up to date cannot be told: {why}."


def check(q: Questions):
    for iface in sorted(q.interfaces, key=lambda i: i.id):
        status, used, why = _status(q, iface)
        if status is None:
            continue
        cited = [(f"interface {iface.id}", iface.evidence)] + [(f"agreement {a.id}", a.evidence) for a in used]
        yield RULE.finding(q, status, cited=cited, decision=q.creating_decision(iface.created_by),
                           interface=iface.id, parties=tuple(q.tree.minimal(iface.parties)),
                           message=_message(q, iface, status, used, why))


RULE = Rule(code=CODE, title="The parties to an interface have a written agreement, in force and kept up to date",
            source_quote=PRACTICE.name, rationale=RATIONALE, statuses=STATUSES, check=check,
            scope=interface_scope, what=CHECKS, how=HOW, same_as=("OIG-R3",))
