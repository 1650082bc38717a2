"""The tutorial's cases (tests/cases/tutorial/), asserted cell by cell, and the tutorial itself.

Every expected value below was worked out by hand from the records and the rules of
docs/methodology.md and docs/rules/ (the reasoning is in the comments), not copied from
the program's output. The last tests replay docs/writing-a-case.md command by command:
each command must print exactly what the tutorial shows, and the files the tutorial has
the reader write must end up exactly as the cases here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coordgap import consultation_matrix, load_case
from coordgap.assess.case import assess

from tutorial_doc import DOC, parse, replay

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases" / "tutorial"
DORIAN = CASES / "dorian"
EXERCISE = CASES / "exercise"

# The matrix's columns, in order, for every row below.
COLUMNS = ("decision", "impact", "stakeholder", "topic", "status", "undisputed_status", "first_contact",
           "first_contact_date", "timing_uncertain", "lead_time_days", "lead_time_at_least",
           "required_lead_days", "lead_time_met", "contacts", "evidence", "other_topic_contacts", "raised",
           "unanswered", "disputed", "grade", "status_all_grades", "grade_all_grades")


def row(decision, stakeholder, topic, status, first=None, date=None, lead=None, at_least=None, required=None,
        met=None, evidence=(), uncertain=False, grade=None):
    """A matrix row with no dispute, no concern raised, no contact on another topic and no minimum
    grade (so the status and grade with every grade counted are the same)."""
    return {
        "decision": decision, "impact": f"{decision}.{stakeholder}.{topic}", "stakeholder": stakeholder,
        "topic": topic, "status": status, "undisputed_status": status, "first_contact": first,
        "first_contact_date": date, "timing_uncertain": uncertain, "lead_time_days": lead,
        "lead_time_at_least": at_least, "required_lead_days": required, "lead_time_met": met,
        "contacts": (first,) if first else (), "evidence": tuple(evidence), "other_topic_contacts": (),
        "raised": (), "unanswered": (), "disputed": False,
        "grade": grade, "status_all_grades": status, "grade_all_grades": grade,
    }


# --------------------------------------------------------------------------- Dorian (a real review)
# The decision d-statement (2019-09-06, no time) is decided by the Office of the Secretary (doc-os)
# and Neil Jacobs, who stands for the Office of the NOAA Administrator (noaa-admin); urged by the
# White House (eop). Its side: doc-os, noaa-admin, eop and their units (none).
DORIAN_MATRIX = [
    # Contacts about d-statement: c-wh-request (eop's chief of staff -> doc-os) reaches only doc-os,
    # which is neither NWS Birmingham nor above it; c-statement reaches only the public. The tweet
    # c-bmx-tweet names no decision. So nothing reaches the two NWS offices: none.
    row("d-statement", "nws-bmx", "forecast-messaging", "none"),
    row("d-statement", "nws", "forecast-messaging", "none"),
    # c-statement: from p-jacobs (the side) to the public, on public-safety, dated 2019-09-06 like the
    # decision, neither with a time: same_day, lead time 0, closed dates. Its three quotes.
    row("d-statement", "public", "public-safety", "same_day", "c-statement", "2019-09-06", 0, False,
        evidence=("e-adg-jacobs", "e-noaa-statement", "e-oig-statement"), grade="primary"),
]

# The grade each status rests on (docs/data-model.md, Evidence grades): a contact is as strong as the
# best of its quotes; a status with no contact has none (the two NWS rows). c-statement cites primary
# (the OIG), other_primary (NOAA's memo) and paraphrase (the paper): it rests on primary.

DORIAN_EVIDENCE_GRADES = {
    "e-oig-statement": "primary", "e-oig-rebuke": "primary", "e-oig-request": "primary", "e-oig-dept": "primary",
    "e-oig-backlash": "primary", "e-oig-safety": "primary", "e-noaa-tweet": "other_primary",
    "e-noaa-statement": "other_primary", "e-adg-flawed": "quoted", "e-adg-jacobs": "paraphrase",
}

# GAO-LP6 asks OIG-R1's cell test of every decision, with organisations outside government kept in
# (docs/rules/GAO-LP6.md): all three cells are stakeholders outside the side, none is consulted.
# Severities are OIG-R1's: none and same_day are high. GAO-LP1..3 judge collaborative mechanisms; the
# case records none, so each gives one not-assessable finding (low). LP4, LP5, LP7 and LP8 judge
# interfaces and collaborations, of which the case has none: no finding. Grades: a finding carries its
# cell's grade (public: primary; the NWS cells, with no contact: none); LP1..3 judge no cell: none.
GAO_RESPONSIBLE = ("doc-os", "noaa-admin", "eop")
DORIAN_GAO = [
    ("GAO-LP1", "GAO-LP1", "low", "not_assessable", None,
     "Not assessable: no record of a collaborative mechanism (collaborations.yaml), so nothing shows the "
     "outcomes the participants agreed."),
    ("GAO-LP2", "GAO-LP2", "low", "not_assessable", None,
     "Not assessable: no record of a collaborative mechanism (collaborations.yaml), so nothing shows how "
     "progress is tracked and reported."),
    ("GAO-LP3", "GAO-LP3", "low", "not_assessable", None,
     "Not assessable: no record of a collaborative mechanism (collaborations.yaml), so nothing shows what "
     "bridges the participants' organisational cultures."),
    ("GAO-LP6", "GAO-LP6/d-statement/d-statement.nws-bmx.forecast-messaging/nws-bmx", "high", "none", None,
     "Nothing in the record shows that NWS Birmingham was told about forecast-messaging."),
    ("GAO-LP6", "GAO-LP6/d-statement/d-statement.nws.forecast-messaging/nws", "high", "none", None,
     "Nothing in the record shows that National Weather Service was told about forecast-messaging."),
    ("GAO-LP6", "GAO-LP6/d-statement/d-statement.public.public-safety/public", "high", "same_day", "primary",
     "The public first learned of public-safety on the day of the decision."),
]


# --------------------------------------------------------------------------- the exercise (made up)
# d-closure: 2025-03-10T16:00, decided by p-director (the Office of the Water Director, water-chief)
# and the Department of Roads (roads, a department: its components stay stakeholders).
EXERCISE_MATRIX = [
    # c-ambulance, 2025-03-05, sender unknown: never the side, so before the decision it is indirect;
    # lead 2025-03-10 - 2025-03-05 = 5 days, closed.
    row("d-closure", "ambulance", "response-routes", "indirect", "c-ambulance", "2025-03-05", 5, False,
        evidence=("e-c-ambulance",), grade="paraphrase"),  # the note is known only from the paper
    # c-bus, 17:15 the same day from roads (the side): both times known and local, 17:15 after 16:00:
    # after; lead minus 0 days = 0.
    row("d-closure", "bus-agency", "bus-routes", "after", "c-bus", "2025-03-10T17:15", 0, False,
        evidence=("e-c-bus",), grade="primary"),
    # c-public, 16:30 the same day from water-chief: after, 0.
    row("d-closure", "public", "bridge-access", "after", "c-public", "2025-03-10T16:30", 0, False,
        evidence=("e-c-public",), grade="primary"),
    # c-traffic, 'before 2025-03-01' (last possible day 28 February) from roads to its own component:
    # informed; lead 10 March - 28 February = 10 days, a lower bound (the open side).
    row("d-closure", "roads-traffic", "detours", "informed", "c-traffic", "before 2025-03-01", 10, True,
        evidence=("e-c-traffic",), grade="primary"),
    # c-school, 'T16' (some minute of 16:00-16:59) holds the decision's 16:00: the same day, 0 days.
    row("d-closure", "school-transport", "school-runs", "same_day", "c-school", "2025-03-10T16", 0, False,
        evidence=("e-c-school",), grade="primary"),
    # c-gates, 09:30 the same day, a consultation from p-director: consulted, 0 days' lead, short of the 7
    # the impact needs (lead_time_met false).
    row("d-closure", "water-gates", "gate-crews", "consulted", "c-gates", "2025-03-10T09:30", 0, False,
        required=7, met=False, evidence=("e-c-gates",), grade="primary"),
]

# OIG-R1: addressed = the Department of Water (the first maker's department). The decision reaches
# another department's component and three agencies: in scope. The public is outside the rule. Every
# other cell is not consulted (or consulted too late) -> a finding; severity from the status
# (docs/rules/OIG-R1.md), consulted with too short a notice raised to medium.
# OIG-R2, per party not covered in time (an in_place record in effect by the start clears it):
#   i-detour: roads-traffic cleared (2024-06); ambulance outdated (medium).
#   i-diversion: roads-traffic late (2025-04-01, medium); bus-agency bypassed (high).
#   i-crossing: water-gates unused (high); school-transport absent (high).
#   i-flood-rescue (2020), i-stops, i-school-crossings: every party in place in time, no finding.
# OIG-R3, per cross-agency interface: i-detour cleared (in place 2024-07, both parties); i-diversion
#   bypassed, i-crossing unused, i-stops absent (high); i-flood-rescue outdated (medium; a standing
#   interface: no decision in its key, nobody responsible); i-school-crossings late (medium).
# Grade: an OIG-R1 finding carries its cell's grade (the ambulance's paraphrase, which its message
# then names; the others primary); OIG-R2 and OIG-R3 rest on records, not on contacts: no grade.
# Order: rule, then decision (none first), then subject, then stakeholder.
EXERCISE_FINDINGS = [
    ("OIG-R1", "OIG-R1/d-closure/d-closure.ambulance.response-routes/ambulance", "medium", "indirect", "paraphrase",
     "Ambulance Service learned of response-routes in advance only from a sender the record does not name, "
     "not from the decision's side; this rests on a paraphrase."),
    ("OIG-R1", "OIG-R1/d-closure/d-closure.bus-agency.bus-routes/bus-agency", "high", "after", "primary",
     "Bus Agency first learned of bus-routes only after the decision (2025-03-10T17:15)."),
    ("OIG-R1", "OIG-R1/d-closure/d-closure.roads-traffic.detours/roads-traffic", "low", "informed", "primary",
     "Traffic Division was only informed about detours (at least 10 days before the decision), not asked for "
     "its input."),
    ("OIG-R1", "OIG-R1/d-closure/d-closure.school-transport.school-runs/school-transport", "high", "same_day",
     "primary",
     "School Transport Office first learned of school-runs on the day of the decision."),
    ("OIG-R1", "OIG-R1/d-closure/d-closure.water-gates.gate-crews/water-gates", "medium", "consulted", "primary",
     "Flood Gates Unit was consulted on gate-crews; it had 0 days' notice where the impact needs 7."),
    ("OIG-R2", "OIG-R2/d-closure/i-crossing/school-transport", "high", "absent", None,
     "School Transport Office had no written procedure for the interface “Shared crossing times”, which starts "
     "on 2025-03-10, as the record states."),
    ("OIG-R2", "OIG-R2/d-closure/i-crossing/water-gates", "high", "unused", None,
     "Flood Gates Unit had a written procedure for the interface “Shared crossing times”, which starts on "
     "2025-03-10, but it was not used, as the record states (pr-gates-crossing)."),
    ("OIG-R2", "OIG-R2/d-closure/i-detour/ambulance", "medium", "outdated", None,
     "Ambulance Service had a written procedure for the interface “Shared detour routes”, which starts on "
     "2025-03-10, but it was out of date, as the record states (pr-ambulance-routes)."),
    ("OIG-R2", "OIG-R2/d-closure/i-diversion/bus-agency", "high", "bypassed", None,
     "Bus Agency had a written procedure for the interface “Shared bus diversions”, which starts on "
     "2025-03-10, but it was bypassed, as the record states (pr-bus-diversion)."),
    ("OIG-R2", "OIG-R2/d-closure/i-diversion/roads-traffic", "medium", "late", None,
     "Traffic Division's procedure for the interface “Shared bus diversions” took effect only after the "
     "interface started on 2025-03-10 (pr-traffic-diversion in effect 2025-04-01)."),
    ("OIG-R3", "OIG-R3/i-flood-rescue", "medium", "outdated", None,
     "A formal agreement on “Flood rescues (a standing interface)” existed (ag-flood-rescue), but it was out "
     "of date, as the record states; it would have to bind Flood Gates Unit and Ambulance Service."),
    ("OIG-R3", "OIG-R3/d-closure/i-crossing", "high", "unused", None,
     "A formal agreement on “Shared crossing times” existed (ag-crossing), but it was not used, as the record "
     "states; it would have to bind Flood Gates Unit and School Transport Office."),
    ("OIG-R3", "OIG-R3/d-closure/i-diversion", "high", "bypassed", None,
     "A formal agreement on “Shared bus diversions” existed (ag-diversion), but it was bypassed, as the "
     "record states; it would have to bind Traffic Division and Bus Agency."),
    ("OIG-R3", "OIG-R3/d-closure/i-school-crossings", "medium", "late", None,
     "The agreement ag-school-crossings on “Shared school crossings” among Traffic Division and School "
     "Transport Office was signed (2025-06) only after the interface started on 2025-03-10."),
    ("OIG-R3", "OIG-R3/d-closure/i-stops", "high", "absent", None,
     "No formal agreement on “Shared stops” existed, as the record states; it would have to bind Ambulance "
     "Service and Bus Agency."),
]


def _plain(value):
    """A matrix cell as a plain Python value (pandas' missing values as None)."""
    if value is None or (not isinstance(value, tuple) and str(value) in ("<NA>", "nan", "None")):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def matrix_rows(case) -> list[dict]:
    m = consultation_matrix(case)
    assert tuple(m.columns[:len(COLUMNS)]) == COLUMNS
    return [{c: _plain(r[c]) for c in COLUMNS} for r in m.to_dict("records")]


@pytest.fixture(scope="module")
def dorian():
    return load_case(DORIAN)


@pytest.fixture(scope="module")
def exercise():
    return load_case(EXERCISE)


@pytest.mark.parametrize("which", ["dorian", "exercise"])
def test_matrix_cell_by_cell(which, request):
    case = request.getfixturevalue(which)
    expected = DORIAN_MATRIX if which == "dorian" else EXERCISE_MATRIX
    got = matrix_rows(case)
    assert [r["impact"] for r in got] == [r["impact"] for r in expected]
    for g, e in zip(got, expected):
        for col in COLUMNS:
            assert g[col] == e[col], (e["impact"], col)


def test_a_minimum_grade_drops_the_paraphrase(exercise):
    # With minimum_grade other_primary only primary evidence earns a status: c-ambulance rests on the
    # paper's paraphrase alone, so the Ambulance Service has nothing (none), and status_all_grades keeps
    # what every grade would give (indirect). The other cells rest on primary quotes and keep theirs.
    m = consultation_matrix(exercise, minimum_grade="other_primary").set_index("impact")
    cell = m.loc["d-closure.ambulance.response-routes"]
    assert (cell.status, _plain(cell.grade), cell.status_all_grades, cell.grade_all_grades) == \
        ("none", None, "indirect", "paraphrase")
    others = m.drop("d-closure.ambulance.response-routes")
    assert list(others.status) == list(others.status_all_grades)
    # Its OIG-R1 finding: status none (high), and the message says what weaker evidence shows
    # (rules/r1_coordinate.py: the none sentence, then the fallback clause).
    strict = exercise.with_minimum_grade("other_primary")  # as case.yaml's minimum_grade or --minimum-grade
    assert list(consultation_matrix(strict).status) == list(m.status)
    found = [f for f in assess(strict).findings if f.stakeholder == "ambulance" and f.rule == "OIG-R1"]
    assert [(f.status, f.severity.value, f.message) for f in found] == [(
        "none", "high", "Nothing in the record shows that Ambulance Service was told about response-routes; only a "
        "paraphrase, weaker than the minimum grade (other primary), shows indirect.")]


def test_dorian_evidence_grades(dorian):
    assert {e.id: str(e.grade.value if hasattr(e.grade, "value") else e.grade) for e in dorian.evidence} == \
        DORIAN_EVIDENCE_GRADES


def _findings(case, rulebook):
    a = assess(case, rulebook)
    return a, [(f.rule, f.key, f.severity.value, f.status, f.grade, f.message) for f in a.findings]


def test_dorian_is_outside_oig_r1_with_its_reason(dorian):
    # Addressed: the Department of Commerce (doc-os's department). Affected: nws-bmx and nws (both in the
    # one component NOAA) and the public (outside government): one component, no other agency or court.
    a, found = _findings(dorian, "oig-21-028")
    assert found == []
    assert [(code, n.subject, n.id, n.reason) for code, n in a.outside] == [
        ("OIG-R1", "decision", "d-statement",
         "a significant decision, but it affects only one component of Department of Commerce and no other "
         "agency or court"),
    ]


def test_dorian_gao_findings(dorian):
    a, found = _findings(dorian, "gao-23-105520")
    assert found == DORIAN_GAO
    for f in a.findings:
        if f.rule == "GAO-LP6":
            assert tuple(r.organisation for r in f.responsible) == GAO_RESPONSIBLE
            assert [r.role.value for r in f.responsible] == ["decided", "decided", "urged"]


def test_findings_outside_says_when_nothing_is_outside():
    # GAO-LP6 keeps the public in and applies to the decision; LP1..LP5, LP7, LP8 have no collaboration
    # or interface to leave out: nothing is outside, and the command says so instead of printing nothing.
    from click.testing import CliRunner

    from coordgap.cli.main import main

    out = CliRunner().invoke(main, ["findings", str(DORIAN), "--rulebook", "gao-23-105520", "--outside"])
    assert (out.exit_code, out.output) == (0, "Nothing is outside the rules: each applies to every decision, "
                                              "interface and stakeholder of the case.\n")


def test_dorian_runs_both_rulebooks_it_names(dorian):
    assert tuple(dorian.meta.rulebooks) == ("oig-21-028", "gao-23-105520")
    _, found = _findings(dorian, None)
    assert found == DORIAN_GAO


def test_exercise_findings(exercise):
    a, found = _findings(exercise, None)
    assert found == EXERCISE_FINDINGS
    assert [(code, n.subject, n.id, n.reason) for code, n in a.outside] == [
        ("OIG-R1", "stakeholder", "public",
         "the public is not a component of Department of Water, an executive agency or a court"),
    ]
    for f in a.findings:
        want = () if f.interface == "i-flood-rescue" else ("water-chief", "roads")
        assert tuple(r.organisation for r in f.responsible) == want, f.key


def test_exercise_has_every_record_state(exercise):
    states = {"in_place", "absent", "outdated", "bypassed", "unused", "late"}
    assert {str(getattr(p.status, "value", p.status)) for p in exercise.procedures} == states
    assert {str(getattr(a.status, "value", a.status)) for a in exercise.agreements} == states


def test_the_exercise_says_it_is_fictional():
    for name in ("source.md", "paper.md"):
        head = (EXERCISE / name).read_text(encoding="utf-8")[:400].lower()
        assert "invented" in head and "fictional" in head, name


def test_every_quote_is_verbatim_in_its_source():
    from click.testing import CliRunner

    from coordgap.cli.main import main

    for case in (DORIAN, EXERCISE):
        out = CliRunner().invoke(main, ["validate", str(case)])
        assert out.exit_code == 0, out.output
        assert "not checked" not in out.output


# --------------------------------------------------------------------------- the tutorial itself

def test_every_command_prints_what_the_tutorial_shows(tmp_path):
    ran = 0
    for _step, cmd, expected, got in replay(tmp_path):
        assert got == expected, f"`{cmd}` printed:\n{got}\n--- the tutorial shows:\n{expected}"
        ran += 1
    assert ran >= 15


def test_the_tutorial_builds_exactly_the_cases(tmp_path):
    for _ in replay(tmp_path):
        pass
    for name, folder in (("dorian", DORIAN), ("exercise", EXERCISE)):
        built = sorted(p.relative_to(tmp_path / name) for p in (tmp_path / name).rglob("*") if p.is_file())
        kept = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
        assert built == kept, name
        for rel in kept:
            assert (tmp_path / name / rel).read_bytes() == (folder / rel).read_bytes(), f"{name}/{rel}"


def test_the_tutorial_shows_every_mistake_it_explains():
    """Each message the tutorial explains in its table occurs in a console block it replays."""
    text = DOC.read_text(encoding="utf-8")
    shown = "\n".join(out for s in parse(text) if s.kind == "console" for _, out in s.commands)
    for fragment in ("is not one of", "kind public stands outside government", "did you mean",
                     "urged_by: unknown organisation", "unknown topic (declare it in case.yaml topics)",
                     "was itself rejected", "has 7 cells, the header has 6", "is not a date",
                     "no file at", "not found verbatim", "has no impacts"):
        assert fragment in shown, fragment


def test_readme_links_the_tutorial():
    assert "(docs/writing-a-case.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
