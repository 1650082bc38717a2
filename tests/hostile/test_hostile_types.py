"""Dates, numbers and yes/no fields: strict, in range, each with its message; a fuzz test of the
date parser and of the CSV and YAML readers on random input."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus import comm_row, copy_example, replace_in
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from coordgap.io import files
from coordgap.io.loader import read_case
from coordgap.model.case import Communication, Flow, Impact, Window
from coordgap.model.dates import FORMS, FuzzyDate, is_valid

FORMS_TEXT = ("write YYYY-MM-DD, ~YYYY-MM-DD, early|mid|late YYYY-MM, YYYY-MM, YYYY, or two of these joined by '/' "
              "(years 1000 to 9998)")


@pytest.mark.parametrize("text, why", [
    ("~9999-12-31", ": the year is outside 1000 to 9998"),
    ("~0001-01-01", ": the year is outside 1000 to 9998"),
    ("9999", ": the year is outside 1000 to 9998"),
    ("2018-02-30", ": there is no such day"),
    ("2018-13", ": there is no such month"),
    ("early 2018-00", ": there is no such month"),
    ("2018-05-04/2018-05-01", ": it ends before it starts"),
    ("２０２４-02-20", ""),  # full-width digits
    ("٢٠٢٤-02-20", ""),  # Arabic-Indic digits
    ("2024-02-20\u202e", ""),
])
def test_every_bad_date_has_the_one_message(text, why):
    with pytest.raises(ValueError) as exc:
        FuzzyDate(text)
    assert str(exc.value) == f"{text!r} is not a date{why}; {FORMS_TEXT}"
    assert FORMS == FORMS_TEXT


def test_out_of_range_dates_in_every_file(tmp_path):
    case = copy_example(tmp_path)
    replace_in(case / "decisions.yaml", "date: 2024-03-15", "date: ~9999-12-31")
    (case / "communications.csv").open("a").write(comm_row("c-late", date="~9999-12-31"))
    out = [str(p) for p in read_case(case)[1]]
    msg = f"'~9999-12-31' is not a date: the year is outside 1000 to 9998; {FORMS_TEXT}"
    assert f"communications.csv:17: [c-late] date: {msg}" in out
    assert any(p.startswith("decisions.yaml:") and p.endswith(f"date: {msg}") for p in out), out
    assert not any("Overflow" in p for p in out)


def test_window_in_range():
    with pytest.raises(ValidationError, match="the window's end must be in the years 1000 to 9998"):
        Window(start="2024-01-01", end="9999-12-31")
    with pytest.raises(ValidationError, match="the window ends before it starts"):
        Window(start="2024-01-01", end="2023-12-31")


def test_booleans_are_not_numbers_and_numbers_have_ranges():
    base = dict(id="i", stakeholder="s", topic="t", description="d")
    with pytest.raises(ValidationError, match="must be a number, not true or false"):
        Impact(**base, required_lead_days=True)
    with pytest.raises(ValidationError, match="Input should be less than or equal to 36500"):
        Impact(**base, required_lead_days=3_000_000_000)
    assert Impact(**base, required_lead_days="30").required_lead_days == 30
    flow = dict(id="f", source="a", target="b", handover="h")
    for bad in (float("inf"), float("nan"), 10**9, True):
        with pytest.raises(ValidationError):
            Flow(**flow, deadline_hours=bad)


def test_a_yes_no_field_takes_true_or_false_only(tmp_path):
    case = copy_example(tmp_path)
    replace_in(case / "decisions.yaml", "significant: true", "significant: 1")
    assert any("significant: " in str(p) and "is not true or false" in str(p) for p in read_case(case)[1])


def test_a_communication_cannot_answer_itself():
    with pytest.raises(ValidationError, match=r"responds_to: a communication cannot answer itself \('c-1'\)"):
        Communication(id="c-1", date="2024-01-01", channel="email", kind="response", sender="a",
                      recipients=["b"], responds_to=["c-1"], summary="s")


def test_huge_lead_days_no_longer_crash_the_engine(tmp_path):
    from click.testing import CliRunner

    from coordgap.cli import main

    case = copy_example(tmp_path)
    replace_in(case / "decisions.yaml", "required_lead_days: 30", "required_lead_days: 3000000000")
    for cmd in ("validate", "matrix", "findings", "report"):
        result = CliRunner().invoke(main, [cmd, str(case)] + (["--out", str(tmp_path / "r")] if cmd == "report" else []))
        assert result.exit_code == 1 and "is out of range: must be at most 36500" in result.output, result.output


# -------------------------------------------------------------------- fuzz ----
@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30) | st.from_regex(r"~?[0-9０-９]{4}-[0-9]{2}(-[0-9]{2})?(/[0-9]{4})?", fullmatch=True))
def test_fuzz_dates_only_ever_raise_the_message(text):
    try:
        d = FuzzyDate(text)
    except ValueError as exc:
        assert "is not a date" in str(exc) and "Error" not in str(exc)
        assert not is_valid(text)
    else:
        assert d.start <= d.end and 1000 <= d.start.year and d.end.year <= 9998
        assert text.isascii() or text != text.strip() or " " in text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_fuzz_csv_reader_on_random_bytes(tmp_path, data):
    path = tmp_path / "f.csv"
    path.write_bytes(b"id,text\n" + data)
    got = files.read_csv(path, "f.csv", tmp_path)
    lines = [line for line, _ in got.rows] + [line for line, _ in got.unreadable]
    assert len(lines) == len(set(lines)) and all(line >= 2 for line in lines)
    assert all(len(cells) == 2 for _, cells in got.rows)
    for _, cells in got.rows:
        assert all("\udc80" > ch or ch > "\udcff" for c in cells for ch in c)  # no undecoded byte passes


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300) | st.text(alphabet="[]{}:-&*ab, \n'\"!#|>", max_size=300).map(str.encode))
def test_fuzz_yaml_reader_on_random_bytes(data):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    value, problems = files.load_yaml(text, "f.yaml")
    assert (value is None) == bool(problems) or (value is None and not problems)  # an empty file is None
    for p in problems:
        assert p.file == "f.yaml" and p.message and "Traceback" not in p.message


def test_fuzz_whole_case_with_random_bytes_in_each_file(tmp_path):
    """Every file of a case replaced by garbage in turn: problems, never an exception."""
    import random

    rng = random.Random(15)
    case = copy_example(tmp_path)
    names = sorted(p.name for p in case.iterdir() if p.suffix in (".csv", ".yaml"))
    for name in names:
        original = (case / name).read_bytes()
        for _ in range(5):
            blob = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
            (case / name).write_bytes(original[: rng.randrange(len(original))] + blob)
            got, problems = read_case(case)
            assert got is None or isinstance(problems, list)
        (case / name).write_bytes(original)
    assert read_case(Path(case))[1] == []
