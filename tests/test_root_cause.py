"""Root cause first (issue #11, validation that helps): a problem that follows from another
(a record naming a rejected record; ids naming a file the case lacks) is grouped under it, in
`coordgap validate`'s text and JSON and in the Python API's error, and none is dropped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE

from coordgap.cli import main
from coordgap.errors import InvalidInputError, Problem, ProblemTree
from coordgap.io.loader import load_case, read_case


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    shutil.copytree(EXAMPLE, folder)
    return folder


def _edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _validate(folder: Path, *args: str):
    return CliRunner().invoke(main, ["validate", str(folder), *args])


MISSING_DECISIONS = ("decisions.yaml: missing: records name decisions (e.g. 'd-curfew', in communications.csv:2), "
                     "but the case has none, so every record naming one is rejected; add decisions.yaml "
                     "(docs/data-model.md)")


def test_a_removed_decisions_file_is_one_root_cause_naming_the_file(tmp_path: Path):
    folder = _copy(tmp_path)
    (folder / "decisions.yaml").unlink()
    out = _validate(folder)
    assert out.exit_code == 1
    lines = out.output.splitlines()
    assert lines[0] == MISSING_DECISIONS
    assert lines[1] == ("  case.yaml: suppressions.decision: unknown decision 'd-curfew' (decisions.yaml is missing)")
    assert lines[2] == ("  communications.csv:2: [c-north-workload] decisions: unknown decision 'd-curfew' "
                        "(decisions.yaml is missing)")
    _, problems = read_case(folder)
    assert lines[-1] == (f"{len(problems)} problem(s) (1 root cause(s), {len(problems) - 1} following from them); "
                         f"{len(read_case(folder)[0].rejected)} record(s) rejected.")
    assert [line for line in lines if not line.startswith(" ")][:1] == [MISSING_DECISIONS]
    assert sum(not line.startswith(" ") for line in lines[:-1]) == 1  # one root, then the summary


def test_json_lists_every_consequence_with_what_it_follows_from(tmp_path: Path):
    folder = _copy(tmp_path)
    (folder / "decisions.yaml").unlink()
    data = json.loads(_validate(folder, "--format", "json").output)
    problems = data["problems"]
    _, read = read_case(folder)
    assert len(problems) == len(read)  # nothing dropped
    assert data["root_causes"] == 1
    root = problems[0]
    assert root["message"] == MISSING_DECISIONS.removeprefix("decisions.yaml: ")
    assert root["caused_by"] is None and root["consequences"] == len(problems) - 1
    ids = {p["id"]: p for p in problems}
    for p in problems[1:]:  # every chain leads to the root
        up = p
        while up["caused_by"] is not None:
            up = ids[up["caused_by"]]
        assert up is root
    # a rejected interface's agreement follows from the interface, which follows from the root
    agreement = next(p for p in problems if p["record"] == "ag-night-transfer")
    interface = ids[agreement["caused_by"]]
    assert interface["record"] == "i-night-transfer" and interface["caused_by"] == "p1"
    assert agreement["message"] == "interface 'i-night-transfer' was itself rejected (see interfaces.yaml:2)"


def test_a_rejected_stakeholder_has_what_cites_it_indented_under_it(tmp_path: Path):
    folder = _copy(tmp_path)
    _edit(folder, "stakeholders.csv", "ports-customs,Customs Service,ports,component",
          "ports-customs,Customs Service,ports,componnt")
    out = _validate(folder, "--all")
    lines = out.output.splitlines()
    root = next(i for i, line in enumerate(lines) if line.startswith("stakeholders.csv:5: [ports-customs] kind:"))
    assert lines[root + 1] == ("  agreements.csv:2: [ag-night-transfer] parties: organisation 'ports-customs' was "
                               "itself rejected (see stakeholders.csv:5)")
    # a child organisation rejected with it, and a communication naming that child, one level further in
    child = lines.index("  stakeholders.csv:6: [customs-north] parent: parent organisation 'ports-customs' was "
                        "itself rejected (see stakeholders.csv:5)")
    assert lines[child + 1] == ("    communications.csv:2: [c-north-workload] recipients: organisation or actor "
                                "'customs-north' was itself rejected (see stakeholders.csv:6)")
    assert child > root
    assert not any(line.startswith(("agreements.csv", "communications.csv", "decisions.yaml")) for line in lines)


def test_text_summarises_beyond_three_and_all_lists_every_one(tmp_path: Path):
    folder = _copy(tmp_path)
    _edit(folder, "decisions.yaml", "    decided_by: ports-minister", "    decided_by: ports-ministr")
    short = _validate(folder).output.splitlines()
    assert short[0] == ("decisions.yaml:2: [d-curfew] decided_by: unknown organisation or actor 'ports-ministr'; "
                        "did you mean 'ports-minister'?")
    assert short[4] == ("  ... and 24 more problems follow from it, in communications.csv (11), conclusions.yaml (9), "
                        "procedures.csv (2) and 2 more file(s) (coordgap validate --all lists every one)")
    assert short[5] == "28 problem(s) (1 root cause(s), 27 following from them); 23 record(s) rejected."
    full = _validate(folder, "--all").output.splitlines()
    assert len(full) == 28 + 1 and full[-1] == short[5]


def test_a_suppression_naming_a_rejected_decision_says_it_was_rejected(tmp_path: Path):
    folder = _copy(tmp_path)
    _edit(folder, "decisions.yaml", "    decided_by: ports-minister", "    decided_by: ports-ministr")
    _, problems = read_case(folder)
    sup = [p for p in problems if p.field == "suppressions.decision"]
    assert [str(p) for p in sup] == [
        "case.yaml: suppressions.decision: decision 'd-curfew' was itself rejected (see decisions.yaml:2)"]
    assert sup[0].cause is not None and sup[0].cause.field == "decided_by"


def test_the_python_error_lists_root_causes_first_with_their_counts(tmp_path: Path):
    folder = _copy(tmp_path)
    (folder / "decisions.yaml").unlink()
    with pytest.raises(InvalidInputError) as info:
        load_case(folder)
    err = info.value
    n = len(err.problems)
    assert str(err).splitlines() == [
        f"{n} problem(s) in {folder} (1 root cause(s); {n - 1} follow from them):",
        f"  {MISSING_DECISIONS}",
        f"    ... and {n - 1} problems follow from it",
    ]
    assert [str(p) for p in err.roots] == [MISSING_DECISIONS]
    assert err.problems[0] is err.roots[0]  # every problem still there, the root first


def test_rows_under_a_wrong_header_follow_from_it(tmp_path: Path):
    folder = _copy(tmp_path)
    path = folder / "evidence.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0].replace(",quote", ",quotation"), *lines[1:]]) + "\n")
    tree = ProblemTree(read_case(folder)[1])
    assert [str(p) for p in tree.roots] == ["evidence.csv:1: quote: missing required column"]
    under = {str(p) for p, _ in tree.descendants(tree.roots[0])}
    assert "evidence.csv:2: row not read: the header is wrong" in under
    assert ("actors.csv:2: [p-minister] evidence: unknown evidence 'e-decision' (the case holds no evidence "
            "record: see evidence.csv:1)") in under


def test_an_empty_decisions_file_and_no_topics_name_themselves(tmp_path: Path):
    folder = _copy(tmp_path)
    (folder / "decisions.yaml").write_text("decisions: []\n")
    roots = [str(p) for p in ProblemTree(read_case(folder)[1]).roots]
    assert roots == ["decisions.yaml: holds no decision: records name decisions (e.g. 'd-curfew', in "
                     "communications.csv:2), but the case has none, so every record naming one is rejected; "
                     "add them to decisions.yaml (docs/data-model.md)"]
    text = (folder / "case.yaml").read_text()
    start = text.index("topics:\n")
    end = text.index("\n", text.index("\nsuppressions:") - 1)
    (folder / "case.yaml").write_text(text[:start] + text[end + 1:])
    roots = [str(p) for p in ProblemTree(read_case(folder)[1]).roots]
    assert roots[0] == ("case.yaml: topics: no topic is declared, yet records name topics (e.g. "
                        "'inspection-workload', in communications.csv:2): declare each under `topics` "
                        "(docs/data-model.md)")


def test_the_tree_keeps_every_problem_even_when_causes_loop_or_are_absent():
    a = Problem("a.csv", 1, None, "root")
    b = Problem("b.csv", 2, "f", "follows", cause=a)
    c = Problem("c.csv", 3, "f", "follows further", cause=b)
    orphan = Problem("d.csv", 4, "f", "its cause is not listed", cause=Problem("x", None, None, "gone"))
    tree = ProblemTree([c, orphan, b, a])
    assert tree.walk() == [(a, 0), (b, 1), (c, 2), (orphan, 0)]
    assert tree.following(a) == 2 and tree.following(b) == 1
    skip = ProblemTree([c, a])  # b missing: c hangs under the next cause up its chain
    assert skip.walk() == [(a, 0), (c, 1)]
    x = Problem("x.csv", 1, None, "x")
    loop_a = Problem("y.csv", 1, None, "y", cause=x)
    loop_x = Problem("x.csv", 1, None, "x", cause=loop_a)  # equal to x: a loop through values
    assert sorted(map(str, ProblemTree([loop_a, loop_x]).ordered())) == sorted(map(str, [loop_a, loop_x]))
    d = ProblemTree([c, b, a]).as_dicts()
    assert [(p["id"], p["caused_by"], p["consequences"]) for p in d] == [("p1", None, 2), ("p2", "p1", 1),
                                                                         ("p3", "p2", 0)]


def test_an_id_many_records_name_and_none_holds_is_one_root_cause(tmp_path: Path):
    folder = _copy(tmp_path)  # a stakeholder renamed: every record naming its old id follows from one problem
    _edit(folder, "stakeholders.csv", "\ncustoms-north,", "\ncustoms-nrth,")
    tree = ProblemTree(read_case(folder)[1])
    assert [str(p) for p in tree.roots] == [
        "stakeholders.csv: no organisation 'customs-north', yet 6 record(s) name it (e.g. decisions.yaml:2); "
        "did you mean 'customs-nrth'?"]
    under = [str(p) for p, depth in tree.descendants(tree.roots[0]) if depth == 1]
    assert ("communications.csv:2: [c-north-workload] recipients: unknown organisation or actor 'customs-north'; "
            "did you mean 'customs-nrth'?") in under
    assert len(tree.ordered()) == len(tree.problems)  # nothing dropped


def test_an_id_named_once_stays_its_own_root(tmp_path: Path):
    folder = _copy(tmp_path)
    _edit(folder, "communications.csv", "inspection-workload,d-curfew,", "inspection-workload,d-curfew-2,")
    _, problems = read_case(folder)
    assert [str(p) for p in ProblemTree(problems).roots] == [
        "communications.csv:2: [c-north-workload] decisions: unknown decision 'd-curfew-2'; did you mean 'd-curfew'?"]


def test_a_misspelt_column_is_named_with_the_missing_one(tmp_path: Path):
    folder = _copy(tmp_path)
    _edit(folder, "communications.csv", "id,date,channel,", "id,date,chanel,")
    tree = ProblemTree(read_case(folder)[1])
    assert [str(p) for p in tree.roots] == [
        "communications.csv:1: channel: missing required column (the header has 'chanel': a typo?)"]
    assert tree.following(tree.roots[0]) == 15  # each of its 15 rows, not read


def test_ids_a_lost_row_may_have_held_follow_from_that_row(tmp_path: Path):
    folder = _copy(tmp_path)  # an unquoted comma in a quote: the row cannot be read, its id is lost
    path = folder / "evidence.csv"
    lines = path.read_text().splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith("e-c-north,"))
    lines[i] = lines[i].replace('"', "")
    path.write_text("\n".join(lines) + "\n")
    out = _validate(folder).output.splitlines()
    assert out[:4] == [
        "evidence.csv:6: has 6 cells, the header has 5",
        "  evidence.csv: no evidence record 'e-c-north', yet 2 record(s) name it (e.g. decisions.yaml:2); "
        "evidence.csv:6 could not be read and may hold it",
        "    communications.csv:2: [c-north-workload] evidence: unknown evidence 'e-c-north'; did you mean 'e-c-court'?",
        "    decisions.yaml:2: [d-curfew] impacts.0.evidence: unknown evidence 'e-c-north'; did you mean 'e-c-court'?",
    ]
    assert out[-1].endswith("(1 root cause(s), 30 following from them); 24 record(s) rejected.")
