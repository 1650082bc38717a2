"""A small made-up process map outside immigration, and proposals against it, for the check's tests.

The Department of Education proposes that schools report every pupil absent
for ten days to child services, including pupils in care. Child services
pass the cases of pupils in care to the family court and to foster carers
(within 48 hours); every case gets a health check at the clinics. The police
refer welfare cases to child services (upstream: not affected).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import yaml

STAKEHOLDERS = """\
id,name,parent,kind,branch,evidence
edu,Department of Education,,department,executive,
edu-minister,Minister's Office,edu,office,executive,
edu-schools,Schools Directorate,edu,component,executive,
edu-inspect,School Inspectorate,edu,component,executive,
social,Department of Social Care,,department,executive,
social-child,Child Services,social,component,executive,
social-foster,Foster Care Office,social-child,office,executive,
health,Department of Health,,department,executive,
health-clinics,Community Clinics,health,component,executive,
family-court,Family Court,,court,judicial,
police,City Police,,agency,executive,
union,Teachers' Union,,other,non_governmental,
"""

FLOWS = """\
flows:
  - id: f-absence-report
    source: edu-schools
    target: social-child
    handover: report of a pupil absent for ten school days
    population: [pupils]
  - id: f-care-proceedings
    source: social-child
    target: family-court
    handover: care proceedings for a pupil in care
    population: [pupils-in-care]
  - id: f-placement
    source: social-child
    target: social-foster
    handover: emergency foster placement
    population: [pupils-in-care]
    deadline_hours: 48
    deadline: within 48 hours of the report
  - id: f-health-check
    source: social-child
    target: health-clinics
    handover: health assessment of the pupil
  - id: f-welfare-referral
    source: police
    target: social-child
    handover: welfare concern referred by the police
"""

ANNOTATIONS = """\
topics:
  - {id: caseload, description: Cases child services must open.}
  - {id: court-capacity, description: Hearings before the family court.}
  - {id: placements, description: Foster places.}
  - {id: clinic-capacity, description: Health assessments.}
  - {id: policy-text, description: The wording of the policy.}
  - {id: pupils-in-care, description: Pupils in the care of the state.}
flow_topics:
  - {flows: [f-absence-report], topic: caseload}
  - {flows: [f-care-proceedings], topic: court-capacity}
  - {flows: [f-placement], topic: placements}
  - {flows: [f-health-check], topic: clinic-capacity}
lead_times:
  - organisations: [family-court]
    days: 90
    basis: The court lists hearings three months ahead (made up for the tests).
"""

# A proposal that names everyone and plans two-way consultation in time, with the
# procedures and agreement the new handoffs need: the check passes it.
GOOD = {
    "id": "absence-reporting",
    "title": "Report every long absence to child services",
    "issuing_office": "edu-minister",
    "planned_issue_date": "2025-09-01",
    "checked_against": {"organisations": "map/stakeholders.csv", "flows": "map/flows.yaml",
                        "annotations": "map/annotations.yaml"},
    "changes": [{
        "id": "report-absences",
        "flows": ["f-absence-report"],
        "description": "Schools report every pupil absent for ten days, pupils in care included.",
        "volume": "more",
        "add_populations": ["pupils-in-care"],
        "topic": "pupils-in-care",
    }],
    "stakeholders": ["edu-schools", "social-child", "social-foster", "family-court", "health-clinics"],
    "consultations": [
        {"id": "c-schools", "with": ["edu-schools"], "date": "2025-03-03", "kind": "consultation",
         "topics": ["caseload", "pupils-in-care"]},
        {"id": "c-social", "with": ["social-child", "social-foster"], "date": "2025-03-04", "kind": "consultation",
         "topics": ["caseload", "placements", "pupils-in-care"]},
        {"id": "c-court", "with": ["family-court"], "date": "2025-04-01", "kind": "consultation",
         "topics": ["court-capacity", "pupils-in-care"]},
        {"id": "c-clinics", "with": ["health-clinics"], "date": "2025-03-05", "kind": "consultation",
         "topics": ["clinic-capacity", "pupils-in-care"]},
    ],
    "procedures": [
        {"id": "pr-social-court", "organisation": "social-child", "title": "Filing care proceedings",
         "covers": ["f-care-proceedings", "f-placement"]},
        {"id": "pr-court", "organisation": "family-court", "title": "Listing care proceedings",
         "covers": ["i-f-care-proceedings"], "in_effect": "2025-08-01"},
        {"id": "pr-foster", "organisation": "social-foster", "title": "Emergency placements",
         "covers": ["f-placement"]},
    ],
    "agreements": [
        {"id": "ag-court-protocol", "title": "Care proceedings protocol", "kind": "other",
         "parties": ["social", "family-court"], "covers": ["f-care-proceedings"], "signed": "2025-07-01"},
    ],
}


def write_map(folder: Path) -> Path:
    m = folder / "map"
    m.mkdir(parents=True, exist_ok=True)
    (m / "stakeholders.csv").write_text(STAKEHOLDERS, encoding="utf-8")
    (m / "flows.yaml").write_text(FLOWS, encoding="utf-8")
    (m / "annotations.yaml").write_text(ANNOTATIONS, encoding="utf-8")
    return m


def write_proposal(folder: Path, data: dict | None = None, name: str = "proposal.yaml", text: str | None = None) -> Path:
    """Write the map and a proposal (GOOD unless `data` or raw `text` is given); return the proposal path."""
    write_map(folder)
    path = folder / name
    if text is None:
        text = yaml.safe_dump(GOOD if data is None else data, sort_keys=False, allow_unicode=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def variant(**changes) -> dict:
    """A deep copy of GOOD with top-level keys replaced (None removes the key)."""
    data = yaml.safe_load(yaml.safe_dump(GOOD, sort_keys=False))
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
