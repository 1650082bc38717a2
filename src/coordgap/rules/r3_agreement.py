"""OIG-R3: the parties to a cross-agency interface have a formal agreement covering it.

An interface is interagency when its parties belong to two or more
departments or agencies (roots of the organisation tree of those kinds). An agreement
covers the interface when it names it, is in place, was signed by the time
the interface starts, and every party signed it, itself or through an
organisation above it.
"""

from __future__ import annotations

from ..model.case import Branch, OrgKind
from ..model.findings import Severity
from .base import Quote, Rule, ScopeNote, StatusDef
from .questions import EXISTED_BUT, InterfaceQ, Questions, RecordQ
from .scope import is_government

CODE = "OIG-R3"

SOURCE_QUOTE = Quote(
    text=(
        "Work with the Department of Health and Human Services' Office of Refugee Resettlement and the "
        "Department of Homeland Security to develop a formal interagency agreement (such as a memorandum of "
        "understanding) regarding the facilitation of communication between separated children in Office of "
        "Refugee Resettlement custody and their parents in U.S. Marshals Service custody."
    ),
    source="doj-oig-21-028",
    section="Conclusion and Recommendations > Recommendations > To the USMS and the Department",
    locator="recommendation 3",
)
RECOMMENDATION = SOURCE_QUOTE

RATIONALE = (
    "Procedures inside each agency do not settle who does what between agencies: who may call whom, how a "
    "detainee is located, who pays. A written agreement among all the agencies at the interface does. The "
    "OIG recommended one among the Marshals Service, HHS's Office of Refugee Resettlement and DHS because "
    "each held one side of the separated families."
)

STATUSES = (
    StatusDef("none", Severity.high, "Nothing shows a formal agreement covering the interface."),
    StatusDef("absent", Severity.high, "The record states no such agreement existed."),
    StatusDef("partial", Severity.medium, "An agreement covers the interface but does not bind every party."),
    StatusDef("bypassed", Severity.high, "The record states an agreement existed but was bypassed."),
    StatusDef("unused", Severity.high, "The record states an agreement existed but was not used."),
    StatusDef("outdated", Severity.medium, "The record states an agreement existed but was out of date."),
    StatusDef("late", Severity.medium, "The agreement was signed only after the interface started."),
    StatusDef("undetermined", Severity.low,
              "Whether the agreement was signed before the interface started cannot be told at the "
              "precision recorded."),
)
SEVERITY = {s.name: s.severity for s in STATUSES}

WHAT = """\
For every interface a decision creates whose parties belong to more than one
department or agency: that a formal agreement (an MOU, MOA,
interagency agreement or similar) covering the interface binds every party,
and was signed by the time the interface starts. One finding per interface
without one, naming who would have to be party to it."""

HOW = """\
1. **Scope.** Interfaces with at least one creating decision, or standing
   (no creating decision, checked from their `starts` date), whose parties
   belong to two or more departments or agencies (roots of the organisation
   tree of kind `department` or `agency`, or the courts: roots of the
   judicial branch). Interfaces inside one department are listed as outside
   the rule, and so are parties under none of these (the White House,
   Congress, the public), each with the reason.
2. **Coverage.** An agreement in place that names the interface counts,
   whatever its kind. It binds a party when the party, or an organisation
   above it, is among its parties (a department signs for its components).
3. **Timing.** As in OIG-R2: signed before or on the interface's start,
   compared at the precision recorded; with no start date only existence is
   checked; an agreement with no date is `undetermined` in a case and signed
   already in a proposal.
4. **A finding per interface** not covered, with the status of the best
   agreement in place (fewest parties missing, then best timing; one the
   record calls `late` counts as signed after the start, dated by `signed`).
   With none in place, a record that says there was none (`absent`), then
   one that says an agreement existed but was `bypassed`, `unused` or
   `outdated`, in that order.
5. **The finding** carries the interface, the decision that creates it (the
   earliest, when several do), who owed the agreement (`responsible`) and, in
   `parties`, every organisation that would have to be party to it."""


AGENCY_KINDS = (OrgKind.department, OrgKind.agency)


def _agency_of(q: Questions, party: str) -> str | None:
    """The department, agency or court system (a root of the tree of kind department or agency,
    or of the judicial branch) a party belongs to, or None."""
    root = q.tree.root_of(party)
    if not is_government(q.tree, party):
        return None
    return root if q.tree.kind(root) in AGENCY_KINDS or q.tree.branch(root) is Branch.judicial else None


def _roots(q: Questions, parties) -> list[str]:
    return sorted({a for p in parties if (a := _agency_of(q, p)) is not None})


EXAMPLE = """\
The example case's night transfer of ill passengers joins the Customs Service
(under the Department of Ports) and the Health Clinics (under the Department
of Health): cross-agency. The record says no agreement existed:

```csv
# agreements.csv
id,title,kind,parties,interfaces,status,signed,evidence
ag-night-transfer,Customs-clinics transfer agreement,other,ports-customs;health-clinics,i-night-transfer,absent,,e-agreement
```


An agreement in place since `2024-01` signed by `ports` and `health` (the two
departments) would clear it; one signed by `ports-customs` alone would be
`partial`, naming the Health Clinics as missing."""


def scope(q: Questions) -> list[ScopeNote]:
    out = []
    for i in sorted(q.interfaces, key=lambda i: i.id):
        roots = _roots(q, i.parties)
        if not i.created_by and i.starts is None:
            out.append(ScopeNote("interface", i.id, False, "created by no decision and no start date given"))
            continue
        if len(roots) < 2:
            within = f"belong to {q.names(roots)}" if roots else "belong to no department, agency or court"
            out.append(ScopeNote("interface", i.id, False, f"not cross-agency: its parties {within}"))
            continue
        out.append(ScopeNote("interface", i.id, True, f"cross-agency: its parties belong to {q.names(roots)}"))
        for p in i.parties:
            if _agency_of(q, p) is None:
                out.append(ScopeNote("stakeholder", p, False,
                                     f"{q.name(p)} belongs to no department, agency or court", within=i.id))
    return out


def _missing(q: Questions, a: RecordQ, iface: InterfaceQ) -> list[str]:
    return [p for p in iface.parties if not any(q.tree.is_within(p, h) for h in a.holders)]




def _status(q: Questions, iface: InterfaceQ) -> tuple[str | None, list[RecordQ], list[str]]:
    """(status, agreements it rests on, parties not bound); status None when covered."""
    mine = q.agreements_for(iface.id)
    in_place = [a for a in mine if a.state in ("in_place", "late")]
    rank = {"ok": 0, "undetermined": 1, "late": 2}

    def timing(a: RecordQ) -> str:
        return "late" if a.state == "late" else q.in_effect_by(a.when, iface.starts)

    graded = sorted(((len(_missing(q, a, iface)), rank[timing(a)], a.id, a) for a in in_place),
                    key=lambda g: g[:3])
    if graded:
        n_missing, t, _, best = graded[0]
        if n_missing:
            return "partial", [best], _missing(q, best, iface)
        if t == 0:
            return None, [], []
        return ("undetermined" if t == 1 else "late"), [best], []
    for status in ("absent", *EXISTED_BUT):
        used = [a for a in mine if a.state == status]
        if used:
            return status, used, []
    return "none", [], []


def _message(q: Questions, iface: InterfaceQ, status: str, used: list[RecordQ], missing: list[str]) -> str:
    parties = q.names(q.tree.minimal(iface.parties))
    what = f"“{iface.title}”"
    bind = f"it would have to bind {parties}"
    if status == "none":
        return f"Nothing in the record shows a formal agreement on {what}; {bind}."
    if status == "absent":
        return f"No formal agreement on {what} existed, as the record states; {bind}."
    if status in EXISTED_BUT:
        return (f"A formal agreement on {what} existed ({', '.join(a.id for a in used)}), but it "
                f"{EXISTED_BUT[status]}, as the record states; {bind}.")
    a = used[0]
    if status == "partial":
        return f"The agreement {a.id} on {what} does not bind {q.names(q.tree.minimal(missing))}; {bind}."
    if status == "late":
        on = f" on {iface.starts}" if iface.starts else ""
        return (f"The agreement {a.id} on {what} among {parties} was signed ({a.when or 'at an unrecorded date'}) "
                f"only after the interface started{on}.")
    return (f"Whether the agreement {a.id} on {what} among {parties} was signed before the interface started on "
            f"{iface.starts} cannot be told at the precision recorded (signed {a.when or 'at an unrecorded date'}).")


def check(q: Questions):
    for iface in sorted(q.interfaces, key=lambda i: i.id):
        status, used, missing = _status(q, iface)
        if status is None:
            continue
        cited = [(f"interface {iface.id}", iface.evidence)] + [(f"agreement {a.id}", a.evidence) for a in used]
        yield RULE.finding(
            q, status, cited=cited, decision=q.creating_decision(iface.created_by), interface=iface.id,
            message=_message(q, iface, status, used, missing), parties=tuple(q.tree.minimal(iface.parties)),
        )


RULE = Rule(
    code=CODE,
    title="The parties to a cross-agency interface have a formal agreement covering it",
    source_quote=SOURCE_QUOTE,
    rationale=RATIONALE,
    statuses=STATUSES,
    check=check,
    scope=scope,
    what=WHAT,
    how=HOW,
    example=EXAMPLE,
    examples=("OIG-R3/d-curfew/i-night-transfer",),
)
