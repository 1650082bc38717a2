"""Small, hand-built cases for rules the example case does not exercise."""

from __future__ import annotations

from datetime import date

from coordgap import consultation_matrix
from coordgap.model.case import (
    Case,
    CaseMeta,
    Communication,
    Decision,
    Impact,
    Source,
    Stakeholder,
    Topic,
    Window,
)


def tiny_case(*comms: Communication) -> Case:
    orgs = [
        Stakeholder(id="dept", name="Department", kind="department", branch="executive"),
        Stakeholder(id="hq", name="Headquarters", parent="dept", kind="office", branch="executive"),
        Stakeholder(id="agency", name="Agency", parent="dept", kind="component", branch="executive"),
        Stakeholder(id="field", name="Field office", parent="agency", kind="field_office", branch="executive"),
    ]
    decision = Decision(
        id="d", title="D", date="2020-06-15", decided_by="dept", summary="s",
        impacts=(Impact(id="d.agency.t", stakeholder="agency", topic="t", description="x"),),
    )
    meta = CaseMeta(id="tiny", title="tiny", window=Window(start=date(2020, 1, 1), end=date(2020, 12, 31)),
                    sources=(Source(id="s", title="S"),), topics=(Topic(id="t", description="t"),))
    return Case(meta=meta, stakeholders=tuple(orgs), decisions=(decision,), communications=tuple(comms))


def comm(cid, sender, recipients, kind="concern"):
    return Communication(id=cid, date="2020-06-01", channel="email", kind=kind, sender=sender,
                         recipients=tuple(recipients), topics=("t",), decisions=("d",), summary="s")


def test_writing_to_the_side_is_raised_but_writing_to_own_units_is_not():
    # the whole department decided, so the agency's own field office is on the decision's side too
    row = consultation_matrix(tiny_case(comm("up", "agency", ["hq"]), comm("down", "agency", ["field"]))).iloc[0]
    assert row.raised == ("up",)
    assert row.status == "none"  # neither contact earns the agency a rung


def test_a_unit_writing_up_shows_what_the_stakeholder_knew_not_that_it_was_consulted():
    row = consultation_matrix(tiny_case(comm("q", "field", ["hq"], kind="request"))).iloc[0]
    assert row.raised == ("q",) and row.unanswered == ("q",) and row.status == "none"


def test_the_side_writing_to_a_unit_of_the_stakeholder_reaches_it_directly():
    row = consultation_matrix(tiny_case(comm("n", "hq", ["field"], kind="consultation"))).iloc[0]
    assert row.status == "consulted" and row.lead_time_days == 14


def text_case(*comms: Communication) -> Case:
    """A decision whose text covers topic t but is silent on topic u (the April 2018 memo
    covered prosecuting referred cases and said nothing of family-unit adults)."""
    base = tiny_case()
    d = base.decisions[0].model_copy(update={
        "covers": ("t",),
        "impacts": (Impact(id="d.agency.t", stakeholder="agency", topic="t", description="x"),
                    Impact(id="d.agency.u", stakeholder="agency", topic="u", description="x")),
    })
    meta = base.meta.model_copy(update={"topics": (Topic(id="t", description="t"), Topic(id="u", description="u"))})
    return base.model_copy(update={"meta": meta, "decisions": (d,), "communications": comms})


def draft(cid, sender, recipients, kind="consultation", topics=(), about_text=True):
    return Communication(id=cid, date="2020-06-01", channel="email", kind=kind, sender=sender,
                         recipients=tuple(recipients), topics=tuple(topics), about_text=about_text,
                         decisions=("d",), summary="s")


def _by_topic(case):
    from reference import reference_matrix

    engine = {r.topic: r for r in consultation_matrix(case).itertuples()}
    ref = {r["topic"]: r for r in reference_matrix(case)}
    assert {t: r.status for t, r in engine.items()} == {t: r["status"] for t, r in ref.items()}
    return engine


def test_a_contact_about_the_text_counts_for_the_topics_the_text_covers_and_no_other():
    rows = _by_topic(text_case(draft("ask", "hq", ["agency"])))
    assert rows["t"].status == "consulted" and rows["t"].lead_time_days == 14
    assert rows["u"].status == "none" and rows["u"].other_topic_contacts == ("ask",)


def test_without_the_flag_a_topicless_contact_counts_for_nothing():
    rows = _by_topic(text_case(draft("ask", "hq", ["agency"], about_text=False)))
    assert rows["t"].status == "none" and rows["t"].other_topic_contacts == ("ask",)


def test_topics_listed_beside_the_flag_still_count():
    rows = _by_topic(text_case(draft("ask", "hq", ["agency"], topics=("u",))))
    assert rows["t"].status == "consulted" and rows["u"].status == "consulted"


def test_the_stakeholder_answering_about_the_text_is_raised_for_the_covered_topics():
    rows = _by_topic(text_case(draft("reply", "agency", ["hq"], kind="response")))
    assert rows["t"].raised == ("reply",) and rows["u"].raised == ()
