"""The hostile-input corpus: one small case folder or proposal per kind of attack.

Each attack starts from a copy of the bundled example case (and a small
proposal checked against it) and changes one thing, the way an attacker or a
careless user would. `ATTACKS` maps a name to (builder, what validate must
say): the builder edits the folder in place and returns the proposal path.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "datasets" / "example"

SPOOF = "\x1b[2J\x1b[H\x1b[32mPASSED: no blocking gap\x1b[0m"
FORMULAS = ("=HYPERLINK(\"http://evil.example\",\"click\")", "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1", "-2+3")
LINKS = "see https://evil.example/x, www.evil.example and bob@evil.example <img src=x onerror=alert(1)>"

PROPOSAL = """\
id: p-hostile
title: {title}
issuing_office: ports-minister
planned_issue_date: 2024-09-01
checked_against:
  case: {case}
changes:
  - id: more-manifests
    flows: [f-manifests]
    description: Every ship files its manifest twice.
    volume: more
stakeholders: [ports-customs]
{extra}"""


def copy_example(tmp: Path) -> Path:
    case = tmp / "case"
    shutil.copytree(EXAMPLE, case)
    return case


def write_proposal(case: Path, title: str = "A hostile proposal", extra: str = "") -> Path:
    path = case.parent / "proposal.yaml"
    path.write_text(PROPOSAL.format(title=title, case=case, extra=extra), encoding="utf-8")
    return path


def append(path: Path, text: str | bytes) -> None:
    with path.open("ab") as fh:
        fh.write(text.encode("utf-8") if isinstance(text, str) else text)


def comm_row(cid: str, summary: str = "A note.", date: str = "2024-03-02", extra_cells: str = "") -> str:
    """A communications.csv row (12 columns) about the example's decision."""
    summary = '"' + summary.replace('"', '""') + '"'
    return f"{cid},{date},email,notification,ports-legal,customs-north,staffing,d-curfew,,,{summary},e-c-north{extra_cells}\n"


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


LAUGHS = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))


# ------------------------------------------------------------------ attacks ----
def billion_laughs(case: Path) -> None:
    (case / "case.yaml").write_text(LAUGHS, encoding="utf-8")


def deep_yaml(case: Path) -> None:
    (case / "decisions.yaml").write_text("decisions: " + "[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")


def date_end_of_calendar_yaml(case: Path) -> None:
    replace_in(case / "decisions.yaml", "date: 2024-03-15", "date: ~9999-12-31")


def date_end_of_calendar_csv(case: Path) -> None:
    append(case / "communications.csv", comm_row("c-late", date="~9999-12-31"))


def window_edge(case: Path) -> None:
    replace_in(case / "case.yaml", "end: 2024-12-31", "end: 9999-12-31")
    replace_in(case / "decisions.yaml", "date: 2024-03-15", "date: 9999-12-31")


def fullwidth_date(case: Path) -> None:
    append(case / "communications.csv", comm_row("c-wide", date="２０２４-02-20"))


def misnamed_table(case: Path) -> None:
    (case / "communications.csv").rename(case / "communications.cvs")


def dangling_link(case: Path) -> None:
    (case / "communications.csv").unlink()
    os.symlink(case / "no-such-file.csv", case / "communications.csv")


def link_loop(case: Path) -> None:
    (case / "communications.csv").unlink()
    os.symlink(case / "loop-b.csv", case / "communications.csv")
    os.symlink(case / "communications.csv", case / "loop-b.csv")


def folder_as_table(case: Path) -> None:
    (case / "communications.csv").unlink()
    (case / "communications.csv").mkdir()


def link_outside(case: Path) -> None:
    (case / "communications.csv").unlink()
    os.symlink("/etc/passwd", case / "communications.csv")


def fifo_as_table(case: Path) -> None:
    (case / "communications.csv").unlink()
    os.mkfifo(case / "communications.csv")


def long_field(case: Path) -> None:
    append(case / "communications.csv", comm_row("c-long", "x" * 200_000))


def wrong_cells(case: Path) -> None:
    append(case / "communications.csv", comm_row("c-short").replace(",e-c-north", ""))


def wrong_header(case: Path) -> None:
    replace_in(case / "procedures.csv", "organisation", "organization")


def csv_syntax(case: Path) -> None:
    append(case / "communications.csv", '"c-bad"x,2024-03-02,email\n')


def not_utf8(case: Path) -> None:
    append(case / "communications.csv", comm_row("c-latin1", "caf\u00e9").encode("latin-1"))


def nul_bytes(case: Path) -> None:
    append(case / "communications.csv", comm_row("c-nul", "a\x00b"))


def yaml_not_mapping(case: Path) -> None:
    (case / "interfaces.yaml").write_text("- just\n- a list\n", encoding="utf-8")


def yaml_tag(case: Path) -> None:
    replace_in(case / "decisions.yaml", "title: Night curfew on the harbour",
               "title: !!python/object/apply:os.system [echo pwned]")


def part_file_upper(case: Path) -> None:
    parts = case / "communications"
    parts.mkdir()
    (case / "communications.csv").rename(parts / "part-a.csv")
    header = (parts / "part-a.csv").read_text(encoding="utf-8").splitlines()[0]
    (parts / "part-b.CSV").write_text(header + "\n" + comm_row("c-part-b"), encoding="utf-8")


def huge_lead_days(case: Path) -> None:
    replace_in(case / "decisions.yaml", "required_lead_days: 30", "required_lead_days: 3000000000")


def bool_lead_days(case: Path) -> None:
    replace_in(case / "decisions.yaml", "required_lead_days: 30", "required_lead_days: true")


def answers_itself(case: Path) -> None:
    append(case / "communications.csv", comm_row("c-self").replace(",d-curfew,,,", ",d-curfew,c-self,,"))


def reserved_key(case: Path) -> None:
    replace_in(case / "decisions.yaml", "    significant: true", "    significant: true\n    __line__: 7")


def newline_in_id(case: Path) -> None:
    append(case / "communications.csv", '"c-x\nexample: valid (0 problems)",2024-03-02,email,notification,'
                                         'ports-legal,customs-north,staffing,d-curfew,,,A note.,e-c-north\n')


def escapes_in_names(case: Path) -> None:
    replace_in(case / "stakeholders.csv", "Department of Ports", "\x1b[2JDepartment\u202e of Ports\x07")
    replace_in(case / "decisions.yaml", "title: Night curfew on the harbour",
               'title: "Night curfew\\e[31m\\rPASSED\\u202e"')


def formulas(case: Path) -> None:
    stake = case / "stakeholders.csv"
    replace_in(stake, "City Police", FORMULAS[0].replace('"', '""').join('""'))
    text = (case / "decisions.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Night curfew on the harbour", "title: '@SUM(1+1)*cmd'")
    (case / "decisions.yaml").write_text(text, encoding="utf-8")


def markup(case: Path) -> None:
    replace_in(case / "stakeholders.csv", "Department of Ports", f'"{LINKS} # not a heading | cell"')
    replace_in(case / "decisions.yaml", "summary: The Minister closed the harbour at night",
               f"summary: '# {LINKS} [x](javascript:alert(1)) | broken | row' # ")


def too_big(case: Path) -> None:
    append(case / "evidence.csv", "".join(f"e-pad-{i},inquiry,Padding,,Quote {i}.\n" for i in range(3000)))


def empty_file(case: Path) -> None:
    (case / "actors.csv").write_text("", encoding="utf-8")


def empty_tree(case: Path) -> None:
    header = (case / "stakeholders.csv").read_text(encoding="utf-8").splitlines()[0]
    (case / "stakeholders.csv").write_text(header + "\n", encoding="utf-8")


def case_yaml_list(case: Path) -> None:
    (case / "case.yaml").write_text("- id: example\n", encoding="utf-8")


# name -> (builder, text validate's output must contain, extra CLI options)
ATTACKS: dict[str, tuple] = {
    "billion-laughs": (billion_laughs, "case.yaml:7: aliases (*name) expand to more than 1,000,000 nodes", ()),
    "deep-yaml": (deep_yaml, "decisions.yaml:1: nested more than 100 levels deep: refused", ()),
    "date-9999-yaml": (date_end_of_calendar_yaml, "'~9999-12-31' is not a date: the year is outside 1000 to 9998", ()),
    "date-9999-csv": (date_end_of_calendar_csv, "'~9999-12-31' is not a date: the year is outside 1000 to 9998", ()),
    "window-edge": (window_edge, "the window's end must be in the years 1000 to 9998", ()),
    "fullwidth-date": (fullwidth_date, "'２０２４-02-20' is not a date; write YYYY-MM-DD", ()),
    "misnamed-table": (misnamed_table, "communications.cvs: not read: the name is close to 'communications.csv'", ()),
    "dangling-link": (dangling_link, "communications.csv: is a broken link", ()),
    "link-loop": (link_loop, "communications.csv: is a symbolic link that loops", ()),
    "folder-as-table": (folder_as_table, "communications.csv: is a folder, not a CSV file", ()),
    "link-outside": (link_outside, "communications.csv: is a symbolic link to a place outside the folder: refused", ()),
    "fifo-as-table": (fifo_as_table, "communications.csv: is not a regular file", ()),
    "long-field": (long_field, "valid (16 organisations, 2 decisions, 16 communications", ()),  # 200k < 16M: read
    "long-field-limit": (long_field, "communications.csv:17: row not read: summary holds 200,000 characters, over "
                                     "the limit of 102,400 (--max-field-size)", ("--max-field-size", "100k")),
    "wrong-cells": (wrong_cells, "communications.csv:17: has 11 cells, the header has 12", ()),
    "wrong-header": (wrong_header, "procedures.csv:1: organisation: missing required column", ()),
    "csv-syntax": (csv_syntax, "communications.csv:17: row not read: not valid CSV", ()),
    "not-utf8": (not_utf8, "communications.csv:17: row not read: not UTF-8 text", ()),
    "nul-bytes": (nul_bytes, "valid (16 organisations, 2 decisions, 16 communications", ()),  # shown escaped
    "yaml-not-mapping": (yaml_not_mapping, "interfaces.yaml:1: must be a mapping with one key, 'interfaces'", ()),
    "yaml-tag": (yaml_tag, "YAML tags that build objects are not allowed", ()),
    "part-file-upper": (part_file_upper, "valid (16 organisations, 2 decisions, 16 communications", ()),
    "huge-lead-days": (huge_lead_days, "required_lead_days: 3000000000 is out of range: must be at most 36500", ()),
    "bool-lead-days": (bool_lead_days, "must be a number, not true or false", ()),
    "answers-itself": (answers_itself, "a communication cannot answer itself ('c-self')", ()),
    "reserved-key": (reserved_key, "the key '__line__' is reserved", ()),
    "newline-in-id": (newline_in_id, "c-x\\nexample: valid (0 problems)", ()),
    "escapes-in-names": (escapes_in_names, "", ()),
    "formulas": (formulas, "", ()),
    "markup": (markup, "", ()),
    "too-big": (too_big, "evidence.csv: is 1", ("--max-file-size", "100k")),
    "empty-file": (empty_file, "actors.csv: file is empty: a header row is required", ()),
    "empty-tree": (empty_tree, "stakeholders.csv: holds no organisation: a case needs its organisation tree", ()),
    "case-yaml-list": (case_yaml_list, "case.yaml:1: must be a mapping", ()),
}

# Proposal attacks: (title, extra YAML, text check's output must contain)
PROPOSAL_ATTACKS: dict[str, tuple[str, str, str]] = {
    "spoofed-title": (SPOOF.replace("\x1b", "\\e").join('""'), "", "FAILED: "),
    "proposal-fullwidth-date": ("Wide", "consultations:\n  - with: [ports-customs]\n    date: ２０２４-08-01\n"
                                "    kind: consultation\n    topics: [staffing]\n", "'２０２４-08-01' is not a date"),
    "proposal-date-9999": ("Late", "consultations:\n  - with: [ports-customs]\n    date: ~9999-12-31\n"
                           "    kind: consultation\n    topics: [staffing]\n",
                           "'~9999-12-31' is not a date: the year is outside 1000 to 9998"),
    "proposal-laughs": ("Laughs", "summary: &x [" + ", ".join(["lol"] * 9) + "]\n" + "".join(
        f"s{i}: &y{i} [{', '.join(['*' + ('x' if i == 0 else f'y{i - 1}')] * 9)}]\n" for i in range(8)),
        "aliases (*name) expand to more than 1,000,000 nodes"),
}
