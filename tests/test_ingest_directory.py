"""Who is who (the directory), what a message is about (topics) and what kind it is (heuristics)."""

from __future__ import annotations

from datetime import date

from coordgap.ingest.classify import DecisionWindow, infer_kind
from coordgap.ingest.directory import Directory
from coordgap.ingest.topics import TopicSearch, first_sentence


def _directory(tmp_path, text: str, known=None):
    path = tmp_path / "dir.csv"
    path.write_text(text, encoding="utf-8")
    return Directory.read(path, known)


def test_lookup_order_address_name_domain_suffix(tmp_path):
    d, problems = _directory(tmp_path, "address,party\nann.lee@ex.gov,p-ann\nBob Moss,p-bob\n@ex.gov,ex\n"
                                       ".agency.gov,agency\n*.field.agency.gov,field\n")
    assert problems == []
    look = lambda a, n="": d.lookup(d.normalise(a), n, date(2018, 1, 1))  # noqa: E731
    assert look("Ann.Lee@EX.gov") == "p-ann"
    assert look("bob.private@home.example", "Bob Moss") == "p-bob"
    assert look("x@home.example", "Moss, Bob") == "p-bob"  # "Last, First" is the same name
    assert look("bob@ex.gov", "Bob Moss") == "p-bob"  # a display name beats a domain
    assert look("press@ex.gov") == "ex"
    assert look("a@agency.gov") == "agency" and look("a@west.agency.gov") == "agency"
    assert look("a@x.field.agency.gov") == "field"  # the longest suffix wins
    assert look("a@notex.gov") is None and look("a@ex.gov.evil.example") is None


def test_plus_addressing_undone_only_where_the_directory_confirms_it(tmp_path):
    d, _ = _directory(tmp_path, "address,party\nann@ex.gov,p-ann\ncarl+ops@ex.gov,p-ops\n")
    assert d.normalise("ann+press@ex.gov") == "ann@ex.gov"
    assert d.normalise("carl+ops@ex.gov") == "carl+ops@ex.gov"  # the plus form is an address of its own
    assert d.normalise("dora+x@ex.gov") == "dora+x@ex.gov"      # nothing known: left as written


def test_x500_and_imceaex_to_smtp(tmp_path):
    dn = "/o=ex/ou=exchange administrative group/cn=recipients/cn=ann.lee"
    d, _ = _directory(tmp_path, f"address,party,smtp\n\"{dn}\",p-ann,ann.lee@ex.gov\n")
    assert d.normalise(dn.upper()) == "ann.lee@ex.gov"
    enc = "IMCEAEX-_O=EX_OU=EXCHANGE+20ADMINISTRATIVE+20GROUP_CN=RECIPIENTS_CN=ANN+2ELEE@ex.gov"
    assert d.normalise(enc) == "ann.lee@ex.gov"
    assert d.lookup(d.normalise(enc), "", date(2018, 1, 1)) == "p-ann"


def test_validity_dates_follow_a_move(tmp_path):
    d, _ = _directory(tmp_path, "address,party,valid_from,valid_to\nann@ex.gov,p-ann-a,,2018-06-30\n"
                                "ann@ex.gov,p-ann-b,2018-07-01,\n")
    assert d.lookup("ann@ex.gov", "", date(2018, 6, 30)) == "p-ann-a"
    assert d.lookup("ann@ex.gov", "", date(2018, 7, 1)) == "p-ann-b"


def test_directory_problems(tmp_path):
    _, problems = _directory(tmp_path, "address,party,valid_to\n,p-a,\nann@x,p-nobody,\nbob@x,p-a,soon\n",
                             known={"p-a"})
    assert [(p.line, p.field) for p in problems] == [(2, "address"), (3, "party"), (4, "valid_to")]
    _, problems = _directory(tmp_path, "mail,who\na@x,p\n")
    assert {p.field for p in problems} == {"address", "party"}


def test_topics_word_boundaries_phrases_and_stems():
    s = TopicSearch({"beds": ["bed space", "detain*"], "court": ["docket"]})
    body = "First line.\nWe are out of bed\nspace now. Detainees wait.\nThe dockets are full."
    found = s.find("Weekly", body)
    assert found == {"beds": "We are out of bed\nspace now."}  # the phrase spans a line break, quoted verbatim
    assert found["beds"] in body
    assert s.find("", "Detainees wait.") == {"beds": "Detainees wait."}
    assert s.find("", "The dockets are full.") == {}  # `docket` is a word, not a prefix
    assert s.find("Docket review", "nothing") == {"court": "Docket review"}  # the subject is searched
    assert first_sentence("  Hello there. More.") == "Hello there."


def test_kind_heuristics_in_order():
    assert infer_kind(True, False, "x", "We are worried.")[:2] == ("meeting", "consultation")
    assert infer_kind(False, True, "Re: x", "We are worried about beds.")[1] == "concern"
    assert infer_kind(False, False, "x", "Could we have your views on the draft?")[1] == "consultation"
    assert infer_kind(False, True, "x", "Thanks.")[1] == "response"
    assert infer_kind(False, False, "RE: x", "Thanks.")[1] == "response"
    assert infer_kind(False, False, "Fwd: x", "For your files.")[1] == "notification"


def test_decision_window():
    from coordgap.model.case import Decision, Impact

    d = Decision(id="d1", title="t", date="2018-04-06", decided_by="a", summary="s",
                 impacts=(Impact(id="i1", stakeholder="b", topic="beds", description="x"),))
    w = DecisionWindow.build([d], days_before=10, days_after=2)
    assert w.concerned(["beds"], date(2018, 3, 27)) == ["d1"]
    assert w.concerned(["beds"], date(2018, 3, 26)) == []
    assert w.concerned(["beds"], date(2018, 4, 8)) == ["d1"] and w.concerned(["beds"], date(2018, 4, 9)) == []
    assert w.concerned(["court"], date(2018, 4, 6)) == []
