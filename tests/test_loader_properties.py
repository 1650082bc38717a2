"""Property tests for the loader: what is written is read back unchanged, and
a corrupted cell is reported at its file, line and field while every other
record survives."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engine_reference import cases

from coordgap import read_case
from coordgap.io.writer import save_case
from coordgap.model.case import Evidence

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def with_evidence(case):
    """Every cited evidence id given a record (a generated case leaves some out), keeping the
    grades of those it has; only the records a loaded case can hold."""
    graded = {e.id: e.grade for e in case.evidence}
    ids = sorted({e for c in case.communications for e in c.evidence}
                 | {e for d in case.decisions for i in d.impacts for e in i.evidence})
    evidence = tuple(Evidence(id=i, source="s", section="S", quote=f"quote {i}, with \"quotes\"; and commas",
                              **({"grade": graded[i]} if i in graded else {})) for i in ids)
    return case.model_copy(update={"evidence": evidence})


@SETTINGS
@given(cases())
def test_round_trip(case):
    case = with_evidence(case)
    with tempfile.TemporaryDirectory() as tmp:
        save_case(case, tmp)
        loaded, problems = read_case(tmp)
    assert problems == []
    assert loaded == case


BAD_VALUES = {
    "date": "2018-02-30",
    "channel": "pigeon",
    "kind": "gossip",
    "sender": "Not An Id",
    "recipients": "",
    "decisions": "no-such-decision",
    "about_text": "maybe",
}


@SETTINGS
@given(cases().filter(lambda c: len(c.communications) > 0), st.data())
def test_corrupted_cell_is_named_and_nothing_else_is_lost(case, data):
    case = with_evidence(case)
    with tempfile.TemporaryDirectory() as tmp:
        save_case(case, tmp)
        path = Path(tmp) / "communications.csv"
        rows = list(csv.reader(path.open(newline="", encoding="utf-8")))
        header = rows[0]
        victim = data.draw(st.integers(1, len(rows) - 1))
        column = data.draw(st.sampled_from(sorted(BAD_VALUES)))
        rows[victim][header.index(column)] = BAD_VALUES[column]
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
        loaded, problems = read_case(tmp)
    victim_id = rows[victim][0]
    assert problems, "the bad cell must be reported"
    assert all(p.file == "communications.csv" for p in problems)
    direct = [p for p in problems if p.line == victim + 1]
    assert {p.field for p in direct} == {column}
    # anything else rejected was rejected because it replies to the bad row, and says so
    knock_on = [p for p in problems if p.line != victim + 1]
    assert all(p.field == "responds_to" and "was itself rejected" in p.message for p in knock_on)
    kept = {c.id for c in loaded.communications}
    rejected = {r.record for r in loaded.rejected}
    assert victim_id in rejected and not kept & rejected
    assert kept | rejected == {c.id for c in case.communications}
