"""io/files.py: the folder boundary, size limits, bounded YAML, CSV rows, table discovery and
atomic writing, each with the exact message a user reads."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from corpus import LAUGHS, ROOT, comm_row, copy_example, write_proposal

from coordgap.cli import main
from coordgap.errors import Problem
from coordgap.io import files
from coordgap.io.loader import read_case


def messages(case: Path) -> list[str]:
    return [str(p) for p in read_case(case)[1]]


# ------------------------------------------------------------------ YAML ----
def test_billion_laughs_stops_at_the_alias_budget_quickly():
    t0 = time.perf_counter()
    data, problems = files.load_yaml(LAUGHS, "case.yaml")
    assert time.perf_counter() - t0 < 2
    assert data is None and problems == [Problem(
        "case.yaml", 7, None, "aliases (*name) expand to more than 1,000,000 nodes: refused (a 'billion laughs' file?)")]


def test_a_few_aliases_are_fine():
    data, problems = files.load_yaml("a: &x [1, 2]\nb: *x\n", "f.yaml")
    assert problems == [] and data["b"] == [1, 2]


def test_deep_nesting_is_one_problem_not_a_crash():
    for text in ("[" * 1000 + "]" * 1000, "[" * 200_000, "a:\n" + "".join(" " * i + "- \n" for i in range(1, 300))):
        data, problems = files.load_yaml(text, "d.yaml")
        assert data is None and len(problems) == 1
        assert problems[0].message == "nested more than 100 levels deep: refused", problems[0]


def test_a_recursive_alias_is_refused():
    data, problems = files.load_yaml("a: &a [*a, *a]\nb: *a\n", "r.yaml")
    assert data is None and len(problems) == 1


def test_reserved_keys_are_refused_not_dropped():
    data, problems = files.load_yaml("id: x\n__lines__: {}\n", "k.yaml")
    assert problems == [Problem("k.yaml", 2, None,
                                "the key '__lines__' is reserved (coordgap keeps line numbers under it): rename it")]


def test_lines_and_dates_as_text_survive_the_c_parser():
    data, problems = files.load_yaml("a: 1\nb:\n  - {c: 2018-01-01}\n", "x.yaml")
    assert problems == [] and data["b"][0] == {"c": "2018-01-01", "__line__": 3, "__lines__": {"c": 3}}


def test_yaml_size_limit(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 5000 + "\n")
    with files.using(max_yaml_bytes=1000):
        data, problems = files.read_yaml(path, "big.yaml", tmp_path)
    assert problems == [Problem("big.yaml", None, None,
                                "is 5,004 bytes, over the limit of 1,000 bytes per file (--max-file-size)")]


# ------------------------------------------------------------------- CSV ----
def test_a_long_field_is_one_row_never_the_table(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,text\na,short\nb," + "x" * 3000 + "\nc,fine\n")
    with files.using(max_field_chars=1000):
        got = files.read_csv(path, "t.csv", tmp_path)
    assert [line for line, _ in got.rows] == [2, 4]
    assert got.unreadable == [(3, "row not read: text holds 3,000 characters, over the limit of 1,000 (--max-field-size)")]


def test_the_default_field_limit_reads_fields_over_the_csv_module_default(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,text\na," + "x" * 200_000 + "\n")
    got = files.read_csv(path, "t.csv", tmp_path)
    assert got.unreadable == [] and len(got.rows[0][1][1]) == 200_000
    assert files.limits().max_field_chars == 16 * 1024 * 1024


def test_bad_rows_keep_their_lines(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b'id,text\na,ok\n"b"x,bad\nc,caf\xe9\nd,1,2\ne,ok\n')
    got = files.read_csv(path, "t.csv", tmp_path)
    assert [line for line, _ in got.rows] == [2, 6]
    assert got.unreadable == [(3, "row not read: not valid CSV (',' expected after '\"')"),
                              (4, "row not read: not UTF-8 text"),
                              (5, "has 3 cells, the header has 2")]


# ------------------------------------------------------ the folder boundary ----
def test_links_leaving_the_folder_are_refused_unless_allowed(tmp_path):
    case = copy_example(tmp_path)
    outside = tmp_path / "elsewhere.csv"
    (case / "actors.csv").rename(outside)
    os.symlink(outside, case / "actors.csv")
    assert ("actors.csv: is a symbolic link to a place outside the folder: refused "
            "(pass --allow-outside-files to read it)") in messages(case)
    with files.using(allow_outside_files=True):
        assert messages(case) == []
    result = CliRunner().invoke(main, ["--allow-outside-files", "validate", str(case)])
    assert result.exit_code == 0, result.output


def test_links_inside_the_folder_are_followed(tmp_path):
    case = copy_example(tmp_path)
    (case / "actors.csv").rename(case / "people.csv")
    os.symlink("people.csv", case / "actors.csv")
    assert messages(case) == []


def test_broken_link_loop_folder_and_pipe_are_problems(tmp_path):
    case = copy_example(tmp_path)
    (case / "communications.csv").unlink()
    os.symlink("gone.csv", case / "communications.csv")
    assert "communications.csv: is a broken link (it points to 'gone.csv', which does not exist)" in messages(case)
    (case / "communications.csv").unlink()
    os.symlink("communications.csv", case / "communications.csv")
    assert "communications.csv: is a symbolic link that loops (it never reaches a file)" in messages(case)
    (case / "communications.csv").unlink()
    (case / "communications.csv").mkdir()
    assert "communications.csv: is a folder, not a CSV file" in messages(case)
    (case / "communications.csv").rmdir()
    os.mkfifo(case / "communications.csv")
    t0 = time.perf_counter()
    assert ("communications.csv: is not a regular file (a device, pipe or socket), not a CSV file"
            in messages(case))
    assert time.perf_counter() - t0 < 5


def test_a_broken_yaml_link_is_a_problem_not_an_empty_list(tmp_path):
    case = copy_example(tmp_path)
    (case / "flows.yaml").unlink()
    os.symlink("nowhere.yaml", case / "flows.yaml")
    assert "flows.yaml: is a broken link (it points to 'nowhere.yaml', which does not exist)" in messages(case)


def test_a_proposal_cannot_name_files_outside_its_folder(tmp_path):
    case = copy_example(tmp_path / "c")
    secret = tmp_path / "secret.yaml"
    secret.write_text("topics: []\n")
    proposal = write_proposal(case)
    text = proposal.read_text().replace(f"  case: {case}\n", f"  case: {case}\n  annotations: {secret}\n")
    proposal.write_text(text)
    result = CliRunner().invoke(main, ["check", str(proposal)])
    assert result.exit_code == 2
    assert (f"checked_against.annotations: {secret}: is outside the folder: refused "
            "(pass --allow-outside-files to read it)") in result.output


# -------------------------------------------------------- table discovery ----
def test_misnamed_files_are_problems_and_unknown_files_warnings(tmp_path):
    case = copy_example(tmp_path)
    (case / "communications.csv").rename(case / "communications.cvs")
    (case / "decisions.yaml").rename(case / "decisions.yml")
    (case / "notes.txt").write_text("hello")
    problems = messages(case)
    assert ("communications.cvs: not read: the name is close to 'communications.csv', which the case would read: "
            "rename it (or remove it)") in problems
    assert ("decisions.yml: not read: the name is close to 'decisions.yaml', which the case would read: "
            "rename it (or remove it)") in problems
    result = CliRunner().invoke(main, ["validate", str(case)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "warning: notes.txt: not a file coordgap reads; ignored"


def test_table_files_are_found_whatever_the_case_of_csv(tmp_path):
    case = copy_example(tmp_path)
    (case / "actors.csv").rename(case / "actors.CSV")
    parts = case / "communications"
    parts.mkdir()
    (case / "communications.csv").rename(parts / "part-a.Csv")
    header = (parts / "part-a.Csv").read_text().splitlines()[0]
    (parts / "part-b.CSV").write_text(header + "\n" + comm_row("c-part-b"))
    got, problems = read_case(case)
    assert problems == [] and "c-part-b" in got.communication_index and len(got.actors) == 1


def test_size_limit_option(tmp_path):
    case = copy_example(tmp_path)
    result = CliRunner().invoke(main, ["--max-file-size", "2k", "validate", str(case)])
    assert result.exit_code == 1
    size = (case / "evidence.csv").stat().st_size
    assert f"evidence.csv: is {size:,} bytes, over the limit of 2,048 bytes per file (--max-file-size)" in result.output
    bad = CliRunner().invoke(main, ["--max-file-size", "lots", "validate", str(case)])
    assert bad.exit_code == 2 and "'lots' is not a size (write e.g. 64M, 2G or a number of bytes)" in bad.output


# ---------------------------------------------------------------- writing ----
def test_a_symlink_at_an_output_path_is_replaced_not_written_through(tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(target, out / "report.md")
    result = CliRunner().invoke(main, ["report", "example", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert target.read_text() == "keep me"
    assert not (out / "report.md").is_symlink() and (out / "report.md").read_text().startswith("# ")
    os.symlink(target, tmp_path / "m.csv")
    CliRunner().invoke(main, ["matrix", "example", "--format", "csv", "-o", str(tmp_path / "m.csv")])
    assert target.read_text() == "keep me"


def test_a_failure_while_writing_leaves_every_old_file(tmp_path, monkeypatch):
    old = {tmp_path / "report.md": "old md", tmp_path / "report.html": "old html"}
    files.write_atomically(old)
    real = files._write_temp

    def full_disk(path, data):
        if path.name == "report.html":
            raise OSError(28, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(files, "_write_temp", full_disk)
    with pytest.raises(OSError):
        files.write_atomically({tmp_path / "report.md": "new md", tmp_path / "report.html": "new html"})
    assert {p: p.read_text() for p in old} == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.md"]  # no temporary left


KILLED_MID_WRITE = """
import os, sys, time
from coordgap.io import files
real = files._write_temp
def slow(path, data):
    tmp = real(path, data[: len(data) // 2])   # half of the first file is on disk ...
    print("writing", flush=True)
    time.sleep(60)                              # ... when the run is killed
files._write_temp = slow
from coordgap.cli import main
sys.argv = ["coordgap", "report", "example", "--out", sys.argv[1]]
main()
"""


def test_a_report_killed_mid_way_leaves_the_previous_report_intact(tmp_path):
    out = tmp_path / "report"
    assert CliRunner().invoke(main, ["report", "example", "--out", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-c", KILLED_MID_WRITE, str(out)], stdout=subprocess.PIPE, env=env)
    try:
        assert proc.stdout.readline().strip() == b"writing"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    assert {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")} == before
