"""Records in = the rows and entries the files hold, whatever became of them: files corrupted in
every way of issue #15, in any combination, and Appendix B's accounting still counts and balances."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import yaml
from corpus import EXAMPLE, comm_row, replace_in
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coordgap.assess.accounting import account
from coordgap.assess.case import evaluate
from coordgap.engine.matrix import consultation_matrix
from coordgap.io import files
from coordgap.io.loader import read_case


def _append(case: Path, name: str, text: str | bytes) -> None:
    with (case / name).open("ab") as fh:
        fh.write(text.encode() if isinstance(text, str) else text)


def _interfaces_as_list(case: Path) -> None:
    entries = yaml.safe_load((case / "interfaces.yaml").read_text())["interfaces"]
    (case / "interfaces.yaml").write_text(yaml.safe_dump(entries))


def _stakeholders_as_upper_part(case: Path) -> None:
    (case / "stakeholders").mkdir()
    (case / "stakeholders.csv").rename(case / "stakeholders" / "part-b.CSV")


def _broken_link(case: Path, name: str) -> None:
    (case / name).unlink()
    os.symlink("nowhere.csv", case / name)


def _folder(case: Path, name: str) -> None:
    (case / name).unlink()
    (case / name).mkdir()


# name -> (corrupt the case, {table: records added}, tables then held as one unreadable entry)
CORRUPTIONS = {
    "wrong number of cells": (lambda c: _append(c, "communications.csv", comm_row("c-short").replace(",e-c-north", "")),
                              {"communications": 1}, ()),
    "bad date": (lambda c: _append(c, "communications.csv", comm_row("c-date", date="~9999-12-31")),
                 {"communications": 1}, ()),
    "not valid CSV": (lambda c: _append(c, "communications.csv", '"c-q"x,2024-03-02\n'), {"communications": 1}, ()),
    "not UTF-8": (lambda c: _append(c, "communications.csv", comm_row("c-8", "caf\u00e9").encode("latin-1")),
                  {"communications": 1}, ()),
    "over the field limit": (lambda c: _append(c, "communications.csv", comm_row("c-long", "x" * 5000)),
                             {"communications": 1}, ()),
    "duplicate id": (lambda c: _append(c, "communications.csv", comm_row("c-north-workload")), {"communications": 1}, ()),
    "answers itself": (lambda c: _append(c, "communications.csv", comm_row("c-self").replace(",d-curfew,,", ",d-curfew,c-self,")),
                       {"communications": 1}, ()),
    "wrong header": (lambda c: replace_in(c / "procedures.csv", "organisation", "organization"), {}, ()),
    "part file .CSV": (_stakeholders_as_upper_part, {}, ()),
    "entry not a mapping": (lambda c: replace_in(c / "decisions.yaml", "decisions:\n", "decisions:\n  - just text\n"),
                            {"decisions": 1}, ()),
    "YAML not a mapping": (_interfaces_as_list, {}, ()),
    "YAML does not parse": (lambda c: _append(c, "flows.yaml", "  - id: [unclosed\n"), {}, ("flows",)),
    "broken link": (lambda c: _broken_link(c, "actors.csv"), {}, ("actors",)),
    "folder for a file": (lambda c: _folder(c, "agreements.csv"), {}, ("agreements",)),
}


def _held(case_dir: Path) -> dict[str, int]:
    case, problems = read_case(case_dir)
    assert problems == []
    acc = account(case, consultation_matrix(case), evaluate(case))
    return {t.table: t.records_in for t in acc.tables}


ORIGINAL = _held(EXAMPLE)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sets(st.sampled_from(sorted(CORRUPTIONS)), min_size=1))
@example(set(CORRUPTIONS))
def test_records_in_counts_what_the_files_hold(kinds):
    with tempfile.TemporaryDirectory() as tmp:
        case_dir = Path(tmp) / "case"
        shutil.copytree(EXAMPLE, case_dir)
        expected = dict(ORIGINAL)
        for kind in sorted(kinds):
            corrupt, added, unreadable = CORRUPTIONS[kind]
            corrupt(case_dir)
            for table, n in added.items():
                expected[table] += n
            for table in unreadable:
                expected[table] = 1
        with files.using(max_field_chars=1000):
            case, problems = read_case(case_dir)
        assert case is not None and (problems or kinds == {"part file .CSV"})
        acc = account(case, consultation_matrix(case), evaluate(case))
        assert acc.balanced
        got = {t.table: t.records_in for t in acc.tables}
        assert {t: got.get(t, 0) for t in expected} == expected, kinds
        for r in acc.records:
            if r.category == "rejected":
                assert r.why.split(": ", 1)[1], r  # every rejected record says why
